package de.marktplatz.bridge

import de.marktplatz.core.ApiException
import de.marktplatz.core.EntityKind
import de.marktplatz.core.SearchField
import de.marktplatz.core.SearchQuery
import java.io.File
import java.nio.file.Files
import java.time.Instant
import java.time.LocalDate
import kotlinx.coroutines.runBlocking
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Assert.fail
import org.junit.Before
import org.junit.Test

/**
 * Search hits from the real library (host build, through JNA) over the content of the real
 * `marktplatz serve --demo` started by scripts/test-kotlin.sh: when and where a session hit takes
 * place, and type-ahead keystrokes answered in the order typed.
 */
class SearchHitsTest {
    private val server: String = System.getenv("MARKTPLATZ_TEST_SERVER")
        ?: error("MARKTPLATZ_TEST_SERVER is not set: run scripts/test-kotlin.sh")
    private val event = "egov-marktplatz-nordwest-2027"
    private lateinit var dir: File
    private lateinit var repo: CoreRepository

    @Before
    fun open() = runBlocking<Unit> {
        dir = Files.createTempDirectory("marktplatz-search").toFile()
        repo = CoreRepository.open(dir.path)
        repo.sync(event, server)
        repo.warmSearch()
    }

    @After
    fun close() {
        repo.close()
        dir.deleteRecursively()
    }

    private fun query(text: String) = SearchQuery(
        text = text,
        eventId = event,
        kinds = emptyList(),
        day = null,
        trackId = null,
        locationId = null,
        favouritesOnly = false,
        upcomingOnly = false,
        now = Instant.parse("2027-02-01T06:00:00Z"),
        limit = 20u,
    )

    @Test
    fun aSessionHitSaysWhenAndWhereInTheEventsTimeZone() = runBlocking<Unit> {
        val hits = repo.search(query("Cyberangriffe"))
        val talk = hits.first { it.id == "cyberangriffe-ernstfall" }
        val whenAndWhere = talk.whenAndWhere ?: error("a session hit without when and where")
        assertEquals(LocalDate.of(2027, 2, 1), whenAndWhere.day)
        // 09:55–10:35 UTC is 10:55–11:35 in Delmenhorst, as the agenda shows it.
        assertEquals("10:55", whenAndWhere.localStart)
        assertEquals("11:35", whenAndWhere.localEnd)
        assertEquals("Forum", whenAndWhere.place)
        val station = repo.search(query("Station")).first { it.kind == EntityKind.LOCATION }
        assertNull("a station has no time", station.whenAndWhere)
    }

    @Test
    fun aLateOlderKeystrokeIsCancelledAndTheNewestOneAnswers() = runBlocking<Unit> {
        SearchField().use { field ->
            val older = field.takeTicket()
            val newer = field.takeTicket()
            val hits = repo.searchAsYouType(field, newer, query("Cyberangriffe"))
            assertTrue(hits.any { it.id == "cyberangriffe-ernstfall" })
            try {
                repo.searchAsYouType(field, older, query("Cyber"))
                fail("the older keystroke was answered after a newer one was taken")
            } catch (expected: ApiException.Cancelled) {
            }
        }
    }
}
