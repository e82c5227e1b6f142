package de.marktplatz.app.model

import de.marktplatz.bridge.MarktplatzRepository
import de.marktplatz.core.CalendarSelection
import de.marktplatz.core.ChangeAlert
import de.marktplatz.core.FavouriteKind
import de.marktplatz.core.SessionDetail
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch

data class SessionDetailState(
    val detail: SessionDetail? = null,
    val favourite: Boolean = false,
    /** My note on this session while it is a favourite. */
    val note: String? = null,
    /** An unseen change to this (favourited) session, shown as a banner; opening marks it seen. */
    val alert: ChangeAlert? = null,
    /** Local photo files of the speakers that are cached, by speaker id. */
    val speakerPhotos: Map<String, String> = emptyMap(),
    val loading: Boolean = true,
    val problem: Problem? = null,
)

/** One session: who, where, when; favourite toggle; calendar and share data. */
class SessionDetailModel(
    private val repo: MarktplatzRepository,
    private val scope: CoroutineScope,
    private val event: EventContext,
    val sessionId: String,
) {
    private val mutableState = MutableStateFlow(SessionDetailState())
    val state: StateFlow<SessionDetailState> = mutableState.asStateFlow()

    private var shownAlert: ChangeAlert? = null

    init {
        scope.reloadOnChange(event) { load() }
    }

    fun toggleFavourite() {
        scope.launch {
            val now = attempt(::report) { repo.toggleFavourite(event.eventId, FavouriteKind.SESSION, sessionId) }
                ?: return@launch
            mutableState.update { it.copy(favourite = now) }
            event.changes.changed()
        }
    }

    /** Writes, edits or (blank) clears my note on this favourite session. */
    fun setNote(text: String) {
        scope.launch {
            attempt(::report) { repo.saveSessionNote(event.eventId, sessionId, text) } ?: return@launch
            event.changes.changed()
        }
    }

    /** An iCalendar file of this session (stable UID: importing it again updates the entry). */
    suspend fun calendarFile(): String? =
        attempt(::report) { repo.calendar(event.eventId, CalendarSelection.Session(sessionId)) }

    private suspend fun load() {
        val detail = attempt(::fail) { repo.sessionDetail(event.eventId, sessionId) } ?: return
        val favourite = attempt(::fail) { repo.isFavourite(event.eventId, FavouriteKind.SESSION, sessionId) } ?: return
        val note = if (favourite) {
            attempt(::fail) { repo.favourites(event.eventId) }
                ?.firstOrNull { it.kind == FavouriteKind.SESSION && it.id == sessionId }?.note
        } else {
            null
        }
        // A photo not cached yet is simply not shown; a failing lookup is reported beside the session.
        var problem: Problem? = null
        val photos = detail.speakers.mapNotNull { speaker ->
            val photo = speaker.photo ?: return@mapNotNull null
            attempt({ problem = it }) { repo.cachedAssetFile(photo) }?.let { speaker.id to it }
        }.toMap()
        val unseen = attempt({ problem = it }) { repo.alerts(event.eventId, includeSeen = false) }
            ?.firstOrNull { it.sessionId == sessionId }
        // The banner stays while the screen is open, though the alert is marked seen below.
        if (unseen != null) shownAlert = unseen
        mutableState.value = SessionDetailState(detail, favourite, note, shownAlert, photos, loading = false, problem = problem)
        if (unseen != null) attempt(::report) { repo.markAlertsSeen(event.eventId, listOf(unseen.id)) }
    }

    private fun fail(problem: Problem) = mutableState.update { it.copy(loading = false, problem = problem) }

    private fun report(problem: Problem) = mutableState.update { it.copy(problem = problem) }
}
