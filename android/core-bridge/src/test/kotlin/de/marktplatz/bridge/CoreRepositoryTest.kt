package de.marktplatz.bridge

import de.marktplatz.core.ApiException
import de.marktplatz.core.CalendarSelection
import de.marktplatz.core.FavouriteKind
import de.marktplatz.core.MarktplatzStore
import de.marktplatz.core.Op
import de.marktplatz.core.OpState
import de.marktplatz.core.Priority
import de.marktplatz.core.Phase
import de.marktplatz.core.Update
import de.marktplatz.core.UpdateListener
import java.io.File
import java.nio.file.Files
import java.time.Instant
import java.time.LocalDate
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.async
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.yield
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import org.junit.Assert.fail
import org.junit.Before
import org.junit.Test

/**
 * Drives the real library (host build, loaded through JNA) against a real `marktplatz serve
 * --demo` on loopback, started by scripts/test-kotlin.sh (its URL in MARKTPLATZ_TEST_SERVER).
 */
class CoreRepositoryTest {
    private val server: String = System.getenv("MARKTPLATZ_TEST_SERVER")
        ?: error("MARKTPLATZ_TEST_SERVER is not set: run scripts/test-kotlin.sh")
    private val event = "egov-marktplatz-nordwest-2027"
    private val fairDay: LocalDate = LocalDate.of(2027, 2, 1)
    private lateinit var dir: File
    private lateinit var repo: CoreRepository

    @Before
    fun open() {
        dir = Files.createTempDirectory("marktplatz-kotlin").toFile()
        repo = CoreRepository.open(dir.path)
    }

    @After
    fun close() {
        repo.close()
        dir.deleteRecursively()
    }

    @Test
    fun syncsFromTheServerAndReadsTheAgenda() = runBlocking<Unit> {
        val outcome = repo.sync(event, server)
        assertFalse(outcome.notModified)
        assertTrue("sessions were added", outcome.changed.any { it.added > 0u })
        // What the sync spent of its budget; a sound server leaves it unspent and no page skipped.
        assertTrue(outcome.pages > 0u)
        assertTrue(outcome.bytes > 0uL)
        assertFalse(outcome.budgetSpent)
        assertTrue(outcome.skippedPages.isEmpty())
        val overview = repo.overview(event)
        assertEquals("E-Government Marktplatz Nordwest", overview.event.title)
        assertEquals(listOf(fairDay), overview.event.days)
        val agenda = repo.agenda(event, fairDay)
        assertEquals(overview.sessionCount.toInt(), agenda.size)
        assertEquals("08:30", agenda.first().localStart)
        assertTrue(agenda.zipWithNext().all { (a, b) -> !a.start.isAfter(b.start) })
        val stations = repo.stations(event).filter { it.location.kind == de.marktplatz.core.LocationKind.STATION }
        assertEquals(10, stations.size)
        // Eleven past eleven on the fair day: the cyber-attack talk is on.
        val now = repo.nowNext(event, Instant.parse("2027-02-01T10:10:00Z"))
        assertTrue(now.now.any { it.title.startsWith("Cyberangriffe") })
        // Nothing new the second time: one conditional request.
        assertTrue(repo.sync(event).notModified)
    }

    @Test
    fun progressAndOutcomeArriveThroughFlows() = runBlocking<Unit> {
        val finished = async { repo.updates().first { it is Update.SyncFinished } as Update.SyncFinished }
        val progress = async { repo.syncProgress(event).take(2).toList() }
        yield() // let both collectors subscribe before the sync starts
        Thread.sleep(50)
        val outcome = repo.sync(event, server)
        val seen = withTimeout(10_000) { finished.await() }
        assertEquals(outcome, seen.outcome)
        val phases = withTimeout(10_000) { progress.await() }.map { it.phase }
        assertTrue("progress phases: $phases", phases.all { it in setOf(Phase.CHECKING, Phase.CONTENT, Phase.ASSETS, Phase.DONE) })
    }

    @Test
    fun aCancelledSyncLeavesTheStoreUsable() = runBlocking<Unit> {
        // Cancel as soon as the first content page arrives.
        val cancelled = CompletableDeferred<Unit>()
        val watcher = launch {
            repo.syncProgress(event).first { it.phase == Phase.CONTENT || it.phase == Phase.ASSETS }
            repo.cancelSync(event)
            cancelled.complete(Unit)
        }
        yield()
        Thread.sleep(50)
        var wasCancelled = false
        try {
            repo.sync(event, server)
        } catch (e: ApiException.Cancelled) {
            wasCancelled = true
        }
        withTimeout(10_000) { cancelled.await() }
        watcher.cancel()
        // The demo's first sync has a content page and 60 assets: the cancel lands before the end.
        assertTrue("the sync was not cancelled", wasCancelled)
        // The next sync completes and the content is whole.
        repo.sync(event, server)
        assertEquals(repo.overview(event).sessionCount.toInt(), repo.agenda(event, fairDay).size)
    }

    @Test
    fun droppingTheSyncCoroutineIsSafe() = runBlocking<Unit> {
        val job = launch { repo.sync(event, server) }
        Thread.sleep(20)
        job.cancel()
        job.join()
        val outcome = repo.sync(event, server)
        assertEquals(event, outcome.eventId)
        assertTrue(repo.agenda(event, fairDay).isNotEmpty())
    }

    @Test
    fun serverErrorsMapToTheRightExceptions() = runBlocking<Unit> {
        try {
            repo.sync("no-such-event", server)
            fail("an unknown event must fail")
        } catch (e: ApiException.NotFound) {
            assertTrue(e.reason, e.reason.contains("no-such-event"))
        }
        try {
            repo.sync(event, "http://127.0.0.1:9") // discard port: nothing listens
            fail("an unreachable server must fail")
        } catch (e: ApiException.Offline) {
            assertTrue(e.reason.isNotEmpty())
        }
        try {
            repo.overview("never-synced")
            fail("an event not on the device must fail")
        } catch (e: ApiException.NotFound) {
        }
    }

    @Test
    fun reopeningTheStoreFindsTheDataOffline() = runBlocking<Unit> {
        repo.sync(event, server)
        val before = repo.agenda(event, fairDay)
        repo.toggleFavourite(event, FavouriteKind.SESSION, before[3].id)
        repo.close()
        repo = CoreRepository.open(dir.path)
        assertEquals(before, repo.agenda(event, fairDay))
        assertTrue(repo.isFavourite(event, FavouriteKind.SESSION, before[3].id))
        assertEquals(listOf(event), repo.events().map { it.id })
    }

    @Test
    fun aThrowingListenerDoesNotBreakTheStore() = runBlocking<Unit> {
        val store = MarktplatzStore.open(dir.path)
        val handle = store.subscribe(object : UpdateListener {
            override fun onUpdate(update: Update) {
                throw IllegalStateException("listener bug")
            }
        })
        val outcome = store.sync(server, event)
        assertTrue(outcome.changed.isNotEmpty())
        assertEquals(outcome.cursor, store.sync(null, event).cursor)
        handle.cancel()
        store.close()
        assertTrue(repo.agenda(event, fairDay).isNotEmpty())
    }

    @Test
    fun favouritesAgendaCalendarAndSharing() = runBlocking<Unit> {
        repo.sync(event, server)
        val agenda = repo.agenda(event, fairDay)
        val talk = agenda.first { it.title.startsWith("Cyberangriffe") }
        val clash = agenda.first { it.id != talk.id && it.start.isBefore(talk.end) && it.end.isAfter(talk.start) }
        assertTrue(repo.toggleFavourite(event, FavouriteKind.SESSION, talk.id))
        assertTrue(repo.toggleFavourite(event, FavouriteKind.SESSION, clash.id))
        val mine = repo.personalAgenda(event, fairDay)
        assertEquals(2, mine.entries.size)
        // Both entries collide, each naming the other.
        assertEquals(2u, mine.conflictCount)
        assertEquals(listOf(clash.id), mine.entries.first { it.session.id == talk.id }.conflictsWith)
        val ics = repo.calendar(event, CalendarSelection.Favourites)
        assertTrue(ics.startsWith("BEGIN:VCALENDAR"))
        assertTrue(ics.contains("BEGIN:VTIMEZONE"))
        val code = repo.shareCode(event)
        val shared = repo.readShareCode(code)
        assertEquals(setOf(talk.id, clash.id), shared.sessions.map { it.session.id }.toSet())
        assertTrue(shared.sessions.all { it.mine })
        assertEquals(0, repo.unseenAlerts(event).first())
    }

    @Test
    fun organiserQueuesAnAnnouncementAndAttendeesReceiveIt() = runBlocking<Unit> {
        val token = System.getenv("MARKTPLATZ_TEST_ORGANISER_TOKEN")
            ?: error("MARKTPLATZ_TEST_ORGANISER_TOKEN is not set: run scripts/test-kotlin.sh")
        repo.sync(event, server)
        repo.signInAsOrganiser(event, server, token)
        val id = "kotlin-" + java.util.UUID.randomUUID()
        val op = Op.AnnouncementCreate(id, "Häppchen und Getränke im Foyer", "Ab sofort.", Priority.IMPORTANT, Instant.now().minusSeconds(5), null)
        val queued = repo.queue(event, op)
        assertEquals(OpState.PENDING, queued.state)
        // Shown on this device at once, before anything was sent.
        assertTrue(repo.announcements(event).any { it.id == id })
        val report = repo.push(event)
        assertEquals(1u, report.accepted)
        assertEquals(0u, report.remaining)
        // The organiser's next sync sees its own operation in the content: done.
        repo.sync(event)
        assertEquals(OpState.DONE, repo.outbox(event, includeDone = true).first { it.id == queued.id }.state)
        // An attendee's device gets it through the normal delta sync.
        val attendeeDir = Files.createTempDirectory("marktplatz-attendee").toFile()
        CoreRepository.open(attendeeDir.path).use { attendee ->
            attendee.sync(event, server)
            assertTrue(attendee.announcements(event).any { it.id == id && it.title == "Häppchen und Getränke im Foyer" })
        }
        attendeeDir.deleteRecursively()
    }

    @Test
    fun aFollowedOperationArrivesIsNotifiedOnceAndCancelStopsTheLoop() = runBlocking<Unit> {
        repo.sync(event, server)
        assertTrue("the first sync's backlog is not news", repo.takeAnnouncementsToNotify(event).isEmpty())
        val handle = repo.follow(event)
        assertTrue(handle.isRunning())
        val id = "follow-" + java.util.UUID.randomUUID()
        val arrived = async {
            repo.updates().first { it is Update.SyncFinished && it.outcome.changed.isNotEmpty() } as Update.SyncFinished
        }
        yield()
        Thread.sleep(300) // the loop holds its long-poll by now
        val sent = System.nanoTime()
        organiserSends(Op.AnnouncementCreate(id, "Raumänderung: Forum jetzt im Seminarraum", "Ab 11 Uhr.", Priority.URGENT, Instant.now().minusSeconds(5), null))
        val update = withTimeout(5_000) { arrived.await() }
        assertTrue("within moments", (System.nanoTime() - sent) / 1_000_000 < 3_000)
        assertEquals(event, update.outcome.eventId)
        assertEquals(listOf(id), repo.takeAnnouncementsToNotify(event).map { it.id })
        assertTrue("each once", repo.takeAnnouncementsToNotify(event).isEmpty())
        handle.cancel()
        assertFalse(handle.isRunning())
        handle.close()
    }

    /** An organiser's phone (its own store) sends [op] to the server. */
    private suspend fun organiserSends(op: Op) {
        val token = System.getenv("MARKTPLATZ_TEST_ORGANISER_TOKEN")
            ?: error("MARKTPLATZ_TEST_ORGANISER_TOKEN is not set: run scripts/test-kotlin.sh")
        val organiserDir = Files.createTempDirectory("marktplatz-organiser").toFile()
        CoreRepository.open(organiserDir.path).use { organiser ->
            organiser.sync(event, server)
            organiser.signInAsOrganiser(event, server, token)
            organiser.queue(event, op)
            assertEquals(1u, organiser.push(event).accepted)
        }
        organiserDir.deleteRecursively()
    }
}
