package de.marktplatz.app.model

import de.marktplatz.core.Op
import de.marktplatz.core.OpState
import de.marktplatz.core.Priority
import de.marktplatz.core.PushStop
import java.net.URLEncoder
import java.nio.charset.StandardCharsets
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.cancel
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test

/** Signing in with the console's QR link, and operations that outlive the screen that made them. */
class OrganiserSignInTest {
    private val world = TestWorld()

    @After
    fun close() = world.close()

    private fun consoleLink(event: String = EVENT, token: String = organiserToken()): String {
        fun escape(text: String) = URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20")
        return "marktplatz://organiser?server=${escape(testServer())}&event=${escape(event)}&token=${escape(token)}"
    }

    @Test
    fun aScannedLinkSignsInAndAnotherEventsLinkIsRefused() = runBlocking<Unit> {
        world.synced()
        val organiser = OrganiserModel(world.repo, world.scope, world.event)
        organiser.state.awaitState { it.sessions.isNotEmpty() }

        organiser.signInWithLink(consoleLink(event = "another-fair-2027"))
        assertEquals(LinkProblem.OTHER_EVENT, organiser.state.value.linkProblem)
        organiser.signInWithLink("https://example.org/")
        assertEquals(LinkProblem.NOT_A_SIGN_IN_LINK, organiser.state.value.linkProblem)
        assertNull(world.repo.organiser(EVENT))

        organiser.signInWithLink(consoleLink())
        val signedIn = organiser.state.awaitState { it.organiser != null && !it.busy }
        assertEquals(testServer(), signedIn.organiser!!.serverUrl)
        assertNull(signedIn.linkProblem)
        // The token from the link is the one the server accepts.
        organiser.announce("Per QR angemeldet " + System.nanoTime(), "", Priority.NORMAL, java.time.Duration.ofHours(1))
        val pushed = organiser.state.awaitState { it.lastPush != null && !it.busy }
        assertEquals(null, pushed.lastPush!!.stopped)
        assertEquals(1u, pushed.lastPush!!.accepted)
    }

    @Test
    fun aLinkOpenedFromOutsideWaitsForTheOrganisersYes() = runBlocking<Unit> {
        world.synced()
        val organiser = OrganiserModel(world.repo, world.scope, world.event)
        organiser.state.awaitState { it.sessions.isNotEmpty() }
        organiser.offerLink(consoleLink())
        assertEquals(testServer(), organiser.state.value.offeredLink?.serverUrl)
        organiser.declineOfferedLink()
        assertNull(organiser.state.value.offeredLink)
        assertNull(world.repo.organiser(EVENT))

        organiser.offerLink(consoleLink())
        organiser.confirmOfferedLink()
        organiser.state.awaitState { it.organiser?.serverUrl == testServer() && !it.busy }
        assertNull(organiser.state.value.offeredLink)
    }

    @Test
    fun anAnnouncementIsSentAfterItsScreenIsGone() = runBlocking<Unit> {
        world.synced()
        // The organiser model lives in the app's scope; the screen has its own, cancelled when it is popped.
        val organiser = OrganiserModel(world.repo, world.scope, world.event)
        organiser.state.awaitState { it.sessions.isNotEmpty() }
        organiser.signIn(organiserToken(), testServer())
        organiser.state.awaitState { it.organiser != null && !it.busy }
        val screen = CoroutineScope(Job() + Dispatchers.Default)
        val title = "Nach dem Zurück " + System.nanoTime()
        screen.launch { organiser.announce(title, "", Priority.NORMAL, java.time.Duration.ofHours(1)) }.join()
        screen.cancel()
        val sent = organiser.state.awaitState { s -> s.outbox.any { (it.op as? Op.AnnouncementCreate)?.title == title && it.state != OpState.PENDING && it.state != OpState.IN_FLIGHT } }
        assertTrue(sent.outbox.first { (it.op as? Op.AnnouncementCreate)?.title == title }.state in setOf(OpState.ACCEPTED, OpState.DONE))
    }

    @Test
    fun aRefusalIsReportedAfterItsScreenIsGone() = runBlocking<Unit> {
        world.synced()
        val organiser = OrganiserModel(world.repo, world.scope, world.event)
        organiser.state.awaitState { it.sessions.isNotEmpty() }
        organiser.signIn("revoked.token", testServer())
        organiser.state.awaitState { it.organiser != null && !it.busy }
        val screen = CoroutineScope(Job() + Dispatchers.Default)
        screen.launch { organiser.announce("Abgelehnt", "", Priority.NORMAL, null) }.join()
        screen.cancel()
        val refused = organiser.state.awaitState { it.lastPush != null && !it.busy }
        assertTrue("${refused.lastPush}", refused.lastPush!!.stopped is PushStop.Unauthorized)

        // An operation the core refuses outright is reported too (an announcement needs a title).
        organiser.announce(" ", "", Priority.NORMAL, null)
        val problem = organiser.state.awaitState { it.problem != null && !it.busy }.problem!!
        assertEquals(ProblemKind.INVALID_INPUT, problem.kind)
    }
}
