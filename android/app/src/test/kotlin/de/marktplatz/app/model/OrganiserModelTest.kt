package de.marktplatz.app.model

import de.marktplatz.core.OpState
import de.marktplatz.core.Op
import de.marktplatz.core.Priority
import de.marktplatz.core.PushStop
import java.time.Duration
import kotlinx.coroutines.runBlocking
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test

class OrganiserModelTest {
    private val world = TestWorld()

    @After
    fun close() = world.close()

    @Test
    fun anAnnouncementShowsAtOnceAndIsAccepted() = runBlocking<Unit> {
        world.synced()
        val organiser = OrganiserModel(world.repo, world.scope, world.event)
        organiser.state.awaitState { it.sessions.isNotEmpty() }
        organiser.signIn(organiserToken(), testServer())
        organiser.state.awaitState { it.organiser != null }
        val announcements = AnnouncementsModel(world.repo, world.scope, world.event)
        val title = "Kaffee im Foyer " + System.nanoTime()
        organiser.announce(title, "Frisch gebrüht.", Priority.IMPORTANT, Duration.ofHours(2))
        announcements.state.awaitState { list -> list.announcements.any { it.title == title } }
        val state = organiser.state.awaitState { it.lastPush != null && !it.busy }
        assertEquals(1u, state.lastPush!!.accepted)
        val entry = state.outbox.first { (it.op as? Op.AnnouncementCreate)?.title == title }
        assertEquals(OpState.ACCEPTED, entry.state)
        assertTrue((entry.op as Op.AnnouncementCreate).id.startsWith("announcement-"))
    }

    @Test
    fun offlineOperationsWaitAndGoWhenConnectivityReturns() = runBlocking<Unit> {
        world.synced()
        val session = "station-datenportal"
        val organiser = OrganiserModel(world.repo, world.scope, world.event)
        organiser.state.awaitState { it.sessions.isNotEmpty() }
        // Signed in against a server that cannot be reached: the phone is offline.
        organiser.signIn(organiserToken(), "http://127.0.0.1:9")
        organiser.state.awaitState { it.organiser != null && !it.busy }
        organiser.cancelSession(session)
        val waiting = organiser.state.awaitState { it.lastPush != null && !it.busy }
        assertTrue("${waiting.lastPush}", waiting.lastPush!!.stopped is PushStop.Offline)
        assertEquals(null, waiting.problem)
        assertEquals(OpState.PENDING, waiting.outbox.single().state)
        // Every screen shows it already.
        assertEquals(de.marktplatz.core.SessionStatus.CANCELLED, world.repo.sessionDetail(EVENT, session).summary.status)

        // The signal returns (here: the real server's address).
        organiser.signIn(organiserToken(), testServer())
        organiser.state.awaitState { it.organiser?.serverUrl == testServer() && !it.busy }
        try {
            val sync = SyncCoordinator(world.repo, world.scope, world.event, world.notifier)
            assertTrue(sync.connectivityReturned() is SyncResult.Updated)
            val sent = organiser.state.awaitState { s -> s.outbox.singleOrNull()?.state in setOf(OpState.ACCEPTED, OpState.DONE) }
            assertEquals(OpState.DONE, sent.outbox.single().state)
        } finally {
            organiser.reinstateSession(session)
            organiser.state.awaitState { s -> s.outbox.size == 2 && s.outbox.none { it.state == OpState.PENDING || it.state == OpState.IN_FLIGHT } }
        }
    }

    @Test
    fun aWrongTokenIsToldAndNothingIsLost() = runBlocking<Unit> {
        world.synced()
        val organiser = OrganiserModel(world.repo, world.scope, world.event)
        organiser.state.awaitState { it.sessions.isNotEmpty() }
        organiser.signIn("nope.nope", testServer())
        organiser.state.awaitState { it.organiser != null && !it.busy }
        organiser.announce("Wird nie gesendet", "", Priority.NORMAL, null)
        val state = organiser.state.awaitState { it.lastPush != null && !it.busy }
        assertTrue("${state.lastPush}", state.lastPush!!.stopped is PushStop.Unauthorized)
        assertEquals(OpState.PENDING, state.outbox.single().state)
        organiser.signOut()
        assertEquals(null, organiser.state.awaitState { it.organiser == null }.organiser)
    }
}
