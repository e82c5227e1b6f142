package de.marktplatz.app.model

import de.marktplatz.bridge.MarktplatzRepository
import de.marktplatz.core.FavouriteKind
import de.marktplatz.core.FavouriteState
import de.marktplatz.core.SessionSummary
import de.marktplatz.core.Track
import java.time.Duration
import java.time.LocalDate
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch

/** Today's agenda: day tabs, the day's sessions, what runs now and what comes next. */
data class AgendaState(
    val days: List<LocalDate> = emptyList(),
    val day: LocalDate? = null,
    /** The day's sessions the filter lets through. */
    val sessions: List<SessionSummary> = emptyList(),
    val filter: AgendaFilter = AgendaFilter(),
    /** The event's tracks, to filter by. */
    val tracks: List<Track> = emptyList(),
    /** The stations and rooms of the day's sessions (id to name, in first-use order), to filter by. */
    val places: List<Pair<String, String>> = emptyList(),
    val now: List<SessionSummary> = emptyList(),
    val next: List<SessionSummary> = emptyList(),
    /** Ids of the favourited sessions (the star on each row). */
    val favourites: Set<String> = emptySet(),
    val loading: Boolean = true,
    val problem: Problem? = null,
)

/**
 * Opens on the day the core picks (today's conference day, else the next), keeps "now/next"
 * current every [tick], and reloads when content or favourites change.
 */
class AgendaModel(
    private val repo: MarktplatzRepository,
    private val scope: CoroutineScope,
    private val event: EventContext,
    /** Where the filter is kept per event (the app gives lasting storage). */
    private val filters: AgendaFilterStore = InMemoryAgendaFilterStore(),
    private val tick: Duration = Duration.ofMinutes(1),
) {
    private val mutableState = MutableStateFlow(AgendaState())
    val state: StateFlow<AgendaState> = mutableState.asStateFlow()

    /** The day the user picked; null until they pick one (then the core's choice applies). */
    private var picked: LocalDate? = null

    init {
        scope.reloadOnChange(event) { load() }
        scope.launch {
            while (true) {
                delay(tick.toMillis())
                refreshNowNext()
            }
        }
    }

    fun selectDay(day: LocalDate) {
        picked = day
        mutableState.update { it.copy(day = day) }
        scope.launch { load() }
    }

    /** Filters by station/room and track (null for all), kept for this event. */
    fun setFilter(filter: AgendaFilter) {
        filters.save(event.eventId, filter)
        mutableState.update { it.copy(filter = filter) }
        scope.launch { load() }
    }

    fun toggleFavourite(sessionId: String) {
        scope.launch {
            val now = attempt(::report) { repo.toggleFavourite(event.eventId, FavouriteKind.SESSION, sessionId) } ?: return@launch
            mutableState.update { it.copy(favourites = if (now) it.favourites + sessionId else it.favourites - sessionId) }
            event.changes.changed()
        }
    }

    private suspend fun load() {
        val overview = attempt(::fail) { repo.overview(event.eventId) } ?: return
        val days = overview.event.days.sorted()
        val day = picked?.takeIf { it in days } ?: attempt(::fail) { repo.agendaDay(event.eventId, event.now()) } ?: return
        val sessions = attempt(::fail) { repo.agenda(event.eventId, day) } ?: return
        val tracks = attempt(::fail) { repo.tracks(event.eventId) } ?: return
        val filter = filters.load(event.eventId)
        val inTrack = filter.trackId?.let { track ->
            attempt(::fail) { repo.sessionsInTrack(event.eventId, track) }?.mapTo(mutableSetOf()) { it.id } ?: return
        }
        val nowNext = attempt(::fail) { repo.nowNext(event.eventId, event.now()) } ?: return
        val favourites = attempt(::fail) { favouriteSessionIds() } ?: return
        mutableState.value = AgendaState(
            days = days,
            day = day,
            sessions = sessions.filter { session ->
                (filter.locationId == null || session.locationId == filter.locationId) &&
                    (inTrack == null || session.id in inTrack)
            },
            filter = filter,
            tracks = tracks,
            places = sessions.mapNotNull { s -> s.locationId?.let { it to (s.locationName ?: it) } }.distinctBy { it.first },
            now = nowNext.now,
            next = nowNext.next,
            favourites = favourites,
            loading = false,
        )
    }

    private suspend fun refreshNowNext() {
        val nowNext = attempt({}) { repo.nowNext(event.eventId, event.now()) } ?: return
        mutableState.update { it.copy(now = nowNext.now, next = nowNext.next) }
    }

    private suspend fun favouriteSessionIds(): Set<String> =
        repo.favourites(event.eventId)
            .filter { it.kind == FavouriteKind.SESSION && it.state != FavouriteState.REMOVED }
            .mapTo(mutableSetOf()) { it.id }

    private fun fail(problem: Problem) = mutableState.update { it.copy(loading = false, problem = problem) }

    private fun report(problem: Problem) = mutableState.update { it.copy(problem = problem) }
}
