package de.marktplatz.app.model

import de.marktplatz.bridge.MarktplatzRepository
import de.marktplatz.core.Location
import de.marktplatz.core.Op
import de.marktplatz.core.OrganiserInfo
import de.marktplatz.core.OutboxEntry
import de.marktplatz.core.Priority
import de.marktplatz.core.PushReport
import de.marktplatz.core.SessionSummary
import java.time.DateTimeException
import java.time.Duration
import java.time.LocalTime
import java.time.ZoneId
import java.time.format.DateTimeFormatter
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
    /** What each kind of edit can pick from (sessions are picked from [sessions]). */
    val entries: Map<EditKind, List<EditEntry>> = emptyMap(),
    /** The form open now, with the values the thing has on this phone. */
    val editing: Editable? = null,
    /** A sign-in link opened from outside the app: shown to confirm, never used unasked. */
    val offeredLink: OrganiserLink? = null,
    /** Why the last scanned, pasted or opened link did not sign in. */
    val linkProblem: LinkProblem? = null,
    val busy: Boolean = false,
    val problem: Problem? = null,
)

/**
 * Organiser mode: sign in with a token or the console's QR link, then use every operation the
 * core has (announce, edit or retract announcements; move, retime, edit, cancel or reinstate
 * sessions; edit stations, place them on the hall plan, replace the plan; edit exhibitors; add,
 * edit or remove photos and info pages, and order the pages). Each
 * operation is stored on the device at once (every screen shows it) and sent right away when
 * online, else when connectivity returns.
 *
 * [scope] must outlive the organiser screens (the app's scope): a screen hands over an
 * operation and goes back at once, and the push and its outcome must not die with it.
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

    /** Signs in with a link the organiser scanned or pasted (they chose to use it). */
    fun signInWithLink(text: String) {
        val link = checkedLink(text) ?: return
        signIn(link.token, link.serverUrl)
    }

    /** A link opened from outside (another app, a web page): shown first, used only when confirmed. */
    fun offerLink(text: String) {
        val link = checkedLink(text) ?: return
        mutableState.update { it.copy(offeredLink = link) }
    }

    fun confirmOfferedLink() {
        val link = mutableState.value.offeredLink ?: return
        mutableState.update { it.copy(offeredLink = null) }
        signIn(link.token, link.serverUrl)
    }

    fun declineOfferedLink() = mutableState.update { it.copy(offeredLink = null) }

    private fun checkedLink(text: String): OrganiserLink? {
        val problem = when (val reading = OrganiserLink.read(text)) {
            is LinkReading.Refused -> reading.problem
            is LinkReading.Read -> if (reading.link.eventId == event.eventId) {
                mutableState.update { it.copy(linkProblem = null) }
                return reading.link
            } else {
                LinkProblem.OTHER_EVENT
            }
        }
        mutableState.update { it.copy(linkProblem = problem) }
        return null
    }

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

    /**
     * Moves a session in time on its own day: [start] and [end] as the organiser typed them
     * ("9:30", "09:30" or "9.30"), in the event's time zone.
     */
    fun retimeSession(sessionId: String, start: String, end: String) = queue {
        val session = repo.sessionDetail(event.eventId, sessionId).summary
        val zone = ZoneId.of(repo.overview(event.eventId).event.timezone)
        val day = session.start.atZone(zone).toLocalDate()
        val from = localTime(start) ?: return@queue invalid("start", start)
        val to = localTime(end)?.takeUnless { it.isBefore(from) } ?: return@queue invalid("end", end)
        Op.SessionRetime(sessionId, day.atTime(from).atZone(zone).toInstant(), day.atTime(to).atZone(zone).toInstant())
    }

    /** Opens the form for one thing, with the values it has on this phone now. */
    fun edit(kind: EditKind, id: String) = perform {
        val form = when (kind) {
            EditKind.SESSION -> EditForms.session(repo.sessionDetail(event.eventId, id))
            EditKind.STATION -> EditForms.station(repo.stations(event.eventId).first { it.location.id == id })
            EditKind.EXHIBITOR -> EditForms.exhibitor(repo.exhibitors(event.eventId).first { it.exhibitor.id == id })
            EditKind.ANNOUNCEMENT -> EditForms.announcement(repo.announcements(event.eventId, event.now()).first { it.id == id })
            EditKind.PHOTO -> EditForms.photo(repo.gallery(event.eventId).first { it.id == id })
            EditKind.INFO_PAGE -> EditForms.infoPage(repo.infoPages(event.eventId).first { it.id == id })
        }
        mutableState.update { it.copy(editing = form) }
    }

    fun closeForm() = mutableState.update { it.copy(editing = null) }

    /** Queues what changed in the open form (nothing if nothing did) and closes it. */
    fun save(entered: Map<EditField, String>) {
        val form = mutableState.value.editing ?: return
        closeForm()
        val op = EditForms.editOp(form, entered) ?: return
        queue { op }
    }

    /** Retracts an announcement, removes a photo or an info page. */
    fun remove(kind: EditKind, id: String) {
        val op = EditForms.removeOp(kind, id) ?: return
        if (mutableState.value.editing?.id == id) closeForm()
        queue { op }
    }

    /** A new info page, after the existing ones. */
    fun addInfoPage(title: String, body: String) = queue {
        val last = repo.infoPages(event.eventId).maxOfOrNull { it.sortOrder } ?: 0
        Op.InfoAdd(repo.newEntityId("info"), title.trim(), body.trim(), last + 1)
    }

    /**
     * Places a station's pin where the organiser tapped the plan: ([x], [y]) in the plan's own
     * pixels as drawn, [width] x [height] its drawn size (zoom does not matter: both scale).
     */
    fun placeStation(stationId: String, x: Float, y: Float, width: Float, height: Float) = queue {
        val position = PinPlacement.positionOf(x, y, width, height) ?: return@queue invalid("position", "$x,$y")
        Op.StationEdit(stationId, null, null, position)
    }

    /** Moves an info page [by] places (-1 up, +1 down) in the order attendees read them. */
    fun moveInfoPage(pageId: String, by: Int) = perform {
        val edits = InfoOrder.move(repo.infoPages(event.eventId), pageId, by)
        if (edits.isEmpty()) return@perform
        for (edit in edits) repo.queue(event.eventId, edit)
        event.changes.changed()
        push()
    }

    /** Queues a new hall plan (JPEG or PNG bytes); stations keep their places on it. */
    fun setHallPlan(bytes: ByteArray) = perform {
        repo.queueHallPlan(event.eventId, bytes)
        event.changes.changed()
        push()
    }

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

    /** Builds the operation (null: what was typed is reported instead), queues it and pushes. */
    private fun queue(op: suspend () -> Op?) = perform {
        val built = op() ?: return@perform
        repo.queue(event.eventId, built)
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
        // Before the first sync there is nothing to pick from (no problem); anything else is.
        val quiet = unlessNotSynced(::report)
        val locations = attempt(quiet) { repo.locations(event.eventId) } ?: emptyList()
        val sessions = attempt(quiet) {
            repo.overview(event.eventId).event.days.sorted().flatMap { repo.agenda(event.eventId, it) }
        } ?: emptyList()
        val entries = attempt(quiet) { loadEntries() } ?: emptyMap()
        mutableState.update { it.copy(organiser = organiser, locations = locations, sessions = sessions, entries = entries) }
        loadOutbox()
    }

    private suspend fun loadEntries(): Map<EditKind, List<EditEntry>> = mapOf(
        EditKind.STATION to repo.stations(event.eventId).map { EditEntry(EditKind.STATION, it.location.id, it.location.name, it.location.description) },
        EditKind.EXHIBITOR to repo.exhibitors(event.eventId).map { EditEntry(EditKind.EXHIBITOR, it.exhibitor.id, it.exhibitor.name, it.stationName.orEmpty()) },
        EditKind.ANNOUNCEMENT to repo.announcements(event.eventId, event.now()).map { EditEntry(EditKind.ANNOUNCEMENT, it.id, it.title, it.body) },
        EditKind.PHOTO to repo.gallery(event.eventId).map { EditEntry(EditKind.PHOTO, it.id, it.caption.ifBlank { it.id }, it.credit) },
        EditKind.INFO_PAGE to repo.infoPages(event.eventId).map { EditEntry(EditKind.INFO_PAGE, it.id, it.title, it.body.take(120)) },
    )

    private suspend fun loadOutbox() {
        val outbox = attempt(::report) { repo.outbox(event.eventId, includeDone = true) } ?: return
        mutableState.update { it.copy(outbox = outbox) }
    }

    private fun report(problem: Problem) = mutableState.update { it.copy(problem = problem) }

    /** Reports what was typed into [field] as unusable; no operation. */
    private fun invalid(field: String, text: String): Op? {
        report(Problem(ProblemKind.INVALID_INPUT, "$field: $text"))
        return null
    }

    private fun localTime(text: String): LocalTime? =
        try {
            LocalTime.parse(text.trim().replace('.', ':'), TIME)
        } catch (e: DateTimeException) {
            null
        }

    private companion object {
        val TIME: DateTimeFormatter = DateTimeFormatter.ofPattern("H:mm")
    }
}
