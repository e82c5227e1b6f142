package de.marktplatz.app.model

import de.marktplatz.bridge.MarktplatzRepository
import de.marktplatz.core.CalendarSelection
import de.marktplatz.core.ChangeAlert
import de.marktplatz.core.Favourite
import de.marktplatz.core.FavouriteKind
import de.marktplatz.core.PersonalAgenda
import de.marktplatz.core.SessionSummary
import java.time.LocalDate
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch

data class MyAgendaState(
    val days: List<LocalDate> = emptyList(),
    val day: LocalDate? = null,
    /** The day's favourited sessions with conflicts, walks and free gaps (the core's plan). */
    val agenda: PersonalAgenda? = null,
    /** Unseen change alerts by session id: the row shows what changed. */
    val alerts: Map<String, ChangeAlert> = emptyMap(),
    /** My favourite sessions running now, and the next of them. */
    val mineNow: List<SessionSummary> = emptyList(),
    val mineNext: List<SessionSummary> = emptyList(),
    /** Favourite speakers and exhibitors (removed ones stay, marked). */
    val others: List<Favourite> = emptyList(),
    val loading: Boolean = true,
    val problem: Problem? = null,
)

/** My agenda: favourites of a day with conflicts and change alerts marked. */
class MyAgendaModel(
    private val repo: MarktplatzRepository,
    private val scope: CoroutineScope,
    private val event: EventContext,
) {
    private val mutableState = MutableStateFlow(MyAgendaState())
    val state: StateFlow<MyAgendaState> = mutableState.asStateFlow()
    private var picked: LocalDate? = null

    init {
        scope.reloadOnChange(event) { load() }
    }

    fun selectDay(day: LocalDate) {
        picked = day
        mutableState.update { it.copy(day = day) }
        scope.launch { load() }
    }

    /** The user read the change marks: clear them (and the badge). */
    fun markAllSeen() {
        scope.launch {
            attempt(::report) { repo.markAllAlertsSeen(event.eventId) } ?: return@launch
            mutableState.update { it.copy(alerts = emptyMap()) }
        }
    }

    fun removeFavourite(kind: FavouriteKind, id: String) {
        scope.launch {
            attempt(::report) { repo.removeFavourite(event.eventId, kind, id) } ?: return@launch
            event.changes.changed()
        }
    }

    /** Writes, edits or (blank) clears the note on a favourite session. */
    fun setNote(sessionId: String, text: String) {
        scope.launch {
            attempt(::report) { repo.saveSessionNote(event.eventId, sessionId, text) } ?: return@launch
            event.changes.changed()
        }
    }

    /** All favourite sessions as an iCalendar file, for the calendar app. */
    suspend fun calendarFile(): String? =
        attempt(::report) { repo.calendar(event.eventId, CalendarSelection.Favourites) }

    private suspend fun load() {
        val overview = attempt(::fail) { repo.overview(event.eventId) } ?: return
        val days = overview.event.days.sorted()
        val day = picked?.takeIf { it in days } ?: attempt(::fail) { repo.agendaDay(event.eventId, event.now()) } ?: return
        val agenda = attempt(::fail) { repo.personalAgenda(event.eventId, day) } ?: return
        val alerts = attempt(::fail) { repo.alerts(event.eventId, includeSeen = false) } ?: return
        val favourites = attempt(::fail) { repo.favourites(event.eventId) } ?: return
        val nowNext = attempt(::fail) { repo.favouritesNowNext(event.eventId, event.now()) } ?: return
        mutableState.value = MyAgendaState(
            days = days,
            day = day,
            agenda = agenda,
            alerts = alerts.associateBy { it.sessionId },
            mineNow = nowNext.now,
            mineNext = nowNext.next,
            others = favourites.filter { it.kind != FavouriteKind.SESSION },
            loading = false,
        )
    }

    private fun fail(problem: Problem) = mutableState.update { it.copy(loading = false, problem = problem) }

    private fun report(problem: Problem) = mutableState.update { it.copy(problem = problem) }
}
