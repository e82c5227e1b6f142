package de.marktplatz.app.model

import java.nio.file.Files
import kotlinx.coroutines.runBlocking
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test

class AgendaFilterTest {
    private val world = TestWorld()

    @After
    fun close() = world.close()

    @Test
    fun aTrackFilterShowsOnlyItsSessionsAndIsKeptPerEvent() = runBlocking<Unit> {
        world.synced()
        val filters = InMemoryAgendaFilterStore()
        val model = AgendaModel(world.repo, world.scope, world.event, filters)
        val all = model.state.awaitState { !it.loading }
        assertTrue(all.tracks.any { it.id == "sicherheit" })
        assertTrue(all.places.any { it.first == "station-it-sicherheit" })

        model.setFilter(AgendaFilter(trackId = "sicherheit"))
        val security = model.state.awaitState { it.filter.trackId == "sicherheit" && !it.loading && it.sessions.size < all.sessions.size }
        assertEquals(
            listOf("cyberangriffe-ernstfall", "cybersicherheitsstrategie", "werkstatt-leitlinie", "station-phishing-parcours", "station-notfallkarte").sorted(),
            security.sessions.map { it.id }.sorted(),
        )
        assertTrue(security.sessions.all { it.trackId == "sicherheit" })

        // Track and station together: the security sessions at the IT security station.
        model.setFilter(AgendaFilter(locationId = "station-it-sicherheit", trackId = "sicherheit"))
        val atStation = model.state.awaitState { it.filter.locationId != null && it.sessions.size == 2 }
        assertEquals(listOf("station-phishing-parcours", "station-notfallkarte"), atStation.sessions.map { it.id })

        // A new model for the same event opens with the filter; another event has none.
        val again = AgendaModel(world.repo, world.scope, world.event, filters).state.awaitState { !it.loading }
        assertEquals(AgendaFilter("station-it-sicherheit", "sicherheit"), again.filter)
        assertEquals(2, again.sessions.size)
        assertEquals(AgendaFilter(), filters.load("another-event"))
    }

    @Test
    fun theFileStoreKeepsEachEventsFilterAcrossInstances() {
        val dir = Files.createTempDirectory("agenda-filters").toFile()
        try {
            FileAgendaFilterStore(dir).save(EVENT, AgendaFilter(trackId = "daten"))
            FileAgendaFilterStore(dir).save("other/../event", AgendaFilter(locationId = "forum"))
            assertEquals(AgendaFilter(trackId = "daten"), FileAgendaFilterStore(dir).load(EVENT))
            assertEquals(AgendaFilter(locationId = "forum"), FileAgendaFilterStore(dir).load("other/../event"))
            assertEquals(AgendaFilter(), FileAgendaFilterStore(dir).load("unknown"))
            FileAgendaFilterStore(dir).save(EVENT, AgendaFilter())
            assertEquals(AgendaFilter(), FileAgendaFilterStore(dir).load(EVENT))
            assertTrue(dir.listFiles()!!.all { it.parentFile == dir })
        } finally {
            dir.deleteRecursively()
        }
    }
}
