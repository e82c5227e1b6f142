package de.marktplatz.app.model

import de.marktplatz.bridge.MarktplatzRepository
import de.marktplatz.core.Location
import de.marktplatz.core.Op
import de.marktplatz.core.OrganiserInfo
import de.marktplatz.core.OutboxEntry
import de.marktplatz.core.Priority
import de.marktplatz.core.PushReport
import de.marktplatz.core.SessionSummary
import java.time.Duration
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch

data class OrganiserState(
    /** Who is signed in for this event (the token itself is never shown back). */
    val organiser: OrganiserInfo? = null,
    /** Operations made on this device: pending, in flight, accepted, rejected (and done). */
    val outbox: List<OutboxEntry> = emptyList(),
    /** What a session can be moved to, and the sessions to pick from (all days). */
    val locations: List<Location> = emptyList(),
    val sessions: List<SessionSummary> = emptyList(),
    /** The last push: how many were accepted, rejected, still waiting, or why it stopped. */
    val lastPush: PushReport? = null,
    val busy: Boolean = false,
    val problem: Problem? = null,
)

/**
 * Organiser mode: sign in with a token, then compose announcements, move or cancel sessions
 * and add photos. Each operation is stored on the device at once (every screen shows it) and
 * sent right away when online, else when connectivity returns.
 */
class OrganiserModel(
    private val repo: MarktplatzRepository,
    private val scope: CoroutineScope,
    private val event: EventContext,
) {
    private val mutableState = MutableStateFlow(OrganiserState())
    val state: StateFlow<OrganiserState> = mutableState.asStateFlow()

    init {
        scope.reloadOnChange(event) { load() }
    }

    /** Stores the token for this event; the next push tells whether the server accepts it. */
    fun signIn(token: String, serverUrl: String = event.serverUrl) {
        perform { repo.signInAsOrganiser(event.eventId, serverUrl.trim(), token.trim()) }
    }

    fun signOut() = perform { repo.signOutAsOrganiser(event.eventId) }

    /** Queues a new announcement, published now; [expiresIn] null keeps it until retracted. */
    fun announce(title: String, body: String, priority: Priority, expiresIn: Duration?) = queue {
        val now = event.now()
        Op.AnnouncementCreate(
            id = repo.newEntityId("announcement"),
            title = title.trim(),
            body = body.trim(),
            priority = priority,
            publishedAt = now,
            expiresAt = expiresIn?.let { now.plus(it) },
        )
    }

    fun moveSession(sessionId: String, locationId: String) = queue { Op.SessionMove(sessionId, locationId) }

    fun cancelSession(sessionId: String) = queue { Op.SessionCancel(sessionId) }

    fun reinstateSession(sessionId: String) = queue { Op.SessionReinstate(sessionId) }

    /** Queues a photo (JPEG or PNG bytes from the camera or the picker) for the gallery. */
    fun addPhoto(bytes: ByteArray, caption: String, credit: String) = perform {
        repo.queuePhoto(event.eventId, bytes, caption.trim(), credit.trim())
        event.changes.changed()
        push()
    }

    /** Sends what is queued now (also done by every sync and when connectivity returns). */
    fun pushNow() = perform { push() }

    /** Queues a rejected operation again, over the server's current version. */
    fun retry(outboxId: Long) = perform {
        repo.retryRejected(outboxId)
        event.changes.changed()
        push()
    }

    /** Drops a rejected operation. */
    fun dismiss(outboxId: Long) = perform {
        repo.dismissOp(outboxId)
        event.changes.changed()
    }

    private fun queue(op: () -> Op) = perform {
        repo.queue(event.eventId, op())
        event.changes.changed()
        push()
    }

    /** One push; being offline is no problem here (it is sent later), so it is not reported. */
    private suspend fun push() {
        if (mutableState.value.organiser == null && repo.organiser(event.eventId) == null) return
        val report = repo.push(event.eventId)
        mutableState.update { it.copy(lastPush = report) }
        loadOutbox()
    }

    private fun perform(action: suspend () -> Unit) {
        scope.launch {
            mutableState.update { it.copy(busy = true, problem = null) }
            attempt(::report) { action() }
            mutableState.update { it.copy(busy = false) }
            load()
        }
    }

    private suspend fun load() {
        val organiser = attempt(::report) { repo.organiser(event.eventId) }
        val locations = attempt({}) { repo.locations(event.eventId) } ?: emptyList()
        val sessions = attempt({}) {
            repo.overview(event.eventId).event.days.sorted().flatMap { repo.agenda(event.eventId, it) }
        } ?: emptyList()
        mutableState.update { it.copy(organiser = organiser, locations = locations, sessions = sessions) }
        loadOutbox()
    }

    private suspend fun loadOutbox() {
        val outbox = attempt(::report) { repo.outbox(event.eventId, includeDone = true) } ?: return
        mutableState.update { it.copy(outbox = outbox) }
    }

    private fun report(problem: Problem) = mutableState.update { it.copy(problem = problem) }
}
