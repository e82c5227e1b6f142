package de.marktplatz.app.model

import de.marktplatz.bridge.MarktplatzRepository
import de.marktplatz.core.ExhibitorEntry
import de.marktplatz.core.FavouriteKind
import de.marktplatz.core.FavouriteState
import de.marktplatz.core.Location
import de.marktplatz.core.LocationKind
import de.marktplatz.core.SessionSummary
import de.marktplatz.core.StationEntry
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch

data class StationsState(
    /** The themed stations (and other places with exhibitors or sessions), in the hall's order. */
    val stations: List<StationEntry> = emptyList(),
    /** Every exhibitor, or those of [topic]. */
    val exhibitors: List<ExhibitorEntry> = emptyList(),
    /** Topics to filter exhibitors by, from the exhibitors themselves. */
    val topics: List<String> = emptyList(),
    val topic: String? = null,
    val favouriteExhibitors: Set<String> = emptySet(),
    val loading: Boolean = true,
    val problem: Problem? = null,
)

/** Stations and exhibitors (two tabs of one screen). */
class StationsModel(
    private val repo: MarktplatzRepository,
    private val scope: CoroutineScope,
    private val event: EventContext,
) {
    private val mutableState = MutableStateFlow(StationsState())
    val state: StateFlow<StationsState> = mutableState.asStateFlow()
    private var topics: List<String> = emptyList()

    init {
        scope.reloadOnChange(event) { load() }
    }

    fun filterByTopic(topic: String?) {
        mutableState.update { it.copy(topic = topic) }
        scope.launch { load() }
    }

    fun toggleFavourite(exhibitorId: String) {
        scope.launch {
            val now = attempt(::report) { repo.toggleFavourite(event.eventId, FavouriteKind.EXHIBITOR, exhibitorId) }
                ?: return@launch
            mutableState.update {
                it.copy(favouriteExhibitors = if (now) it.favouriteExhibitors + exhibitorId else it.favouriteExhibitors - exhibitorId)
            }
            event.changes.changed()
        }
    }

    private suspend fun load() {
        val topic = mutableState.value.topic
        val stations = attempt(::fail) { repo.stations(event.eventId) } ?: return
        val all = attempt(::fail) { repo.exhibitors(event.eventId) } ?: return
        topics = all.flatMap { it.exhibitor.topics }.distinct().sortedWith(String.CASE_INSENSITIVE_ORDER)
        val shown = if (topic == null) all else attempt(::fail) { repo.exhibitors(event.eventId, topic = topic) } ?: return
        val favourites = attempt(::fail) { favouriteIds(repo, event, FavouriteKind.EXHIBITOR) } ?: return
        mutableState.value = StationsState(
            stations = stations.filter { it.location.kind == LocationKind.STATION || it.exhibitorCount > 0u },
            exhibitors = shown,
            topics = topics,
            topic = topic,
            favouriteExhibitors = favourites,
            loading = false,
        )
    }

    private fun fail(problem: Problem) = mutableState.update { it.copy(loading = false, problem = problem) }

    private fun report(problem: Problem) = mutableState.update { it.copy(problem = problem) }
}

data class StationDetailState(
    val location: Location? = null,
    val exhibitors: List<ExhibitorEntry> = emptyList(),
    val sessions: List<SessionSummary> = emptyList(),
    val loading: Boolean = true,
    val problem: Problem? = null,
)

/** One station: what it is about, who exhibits there, what is presented there when. */
class StationDetailModel(
    private val repo: MarktplatzRepository,
    scope: CoroutineScope,
    private val event: EventContext,
    val locationId: String,
) {
    private val mutableState = MutableStateFlow(StationDetailState())
    val state: StateFlow<StationDetailState> = mutableState.asStateFlow()

    init {
        scope.reloadOnChange(event) { load() }
    }

    private suspend fun load() {
        val fail = { problem: Problem -> mutableState.update { it.copy(loading = false, problem = problem) } }
        val station = attempt(fail) { repo.stations(event.eventId).firstOrNull { it.location.id == locationId } } ?: return
        val exhibitors = attempt(fail) { repo.exhibitors(event.eventId, stationId = locationId) } ?: return
        val sessions = attempt(fail) { repo.sessionsAtLocation(event.eventId, locationId) } ?: return
        mutableState.value = StationDetailState(station.location, exhibitors, sessions, loading = false)
    }
}

data class ExhibitorDetailState(
    val entry: ExhibitorEntry? = null,
    val favourite: Boolean = false,
    val logo: String? = null,
    val loading: Boolean = true,
    val problem: Problem? = null,
)

/** One exhibitor: description, topics, station, contact, favourite. */
class ExhibitorDetailModel(
    private val repo: MarktplatzRepository,
    private val scope: CoroutineScope,
    private val event: EventContext,
    val exhibitorId: String,
) {
    private val mutableState = MutableStateFlow(ExhibitorDetailState())
    val state: StateFlow<ExhibitorDetailState> = mutableState.asStateFlow()

    init {
        scope.reloadOnChange(event) { load() }
    }

    fun toggleFavourite() {
        scope.launch {
            val now = attempt(::report) { repo.toggleFavourite(event.eventId, FavouriteKind.EXHIBITOR, exhibitorId) }
                ?: return@launch
            mutableState.update { it.copy(favourite = now) }
            event.changes.changed()
        }
    }

    private suspend fun load() {
        val entry = attempt(::fail) {
            repo.exhibitors(event.eventId).firstOrNull { it.exhibitor.id == exhibitorId }
        }
        if (entry == null) {
            if (mutableState.value.problem == null) fail(Problem(ProblemKind.NOT_FOUND, "exhibitor '$exhibitorId'"))
            return
        }
        val favourite = attempt(::fail) { repo.isFavourite(event.eventId, FavouriteKind.EXHIBITOR, exhibitorId) } ?: return
        var assetProblem: Problem? = null
        val logo = entry.exhibitor.logo?.let { attempt({ assetProblem = it }) { repo.cachedAssetFile(it) } }
        mutableState.value = ExhibitorDetailState(entry, favourite, logo, loading = false, problem = assetProblem)
    }

    private fun fail(problem: Problem) = mutableState.update { it.copy(loading = false, problem = problem) }

    private fun report(problem: Problem) = mutableState.update { it.copy(problem = problem) }
}

/** Ids of the event's favourites of [kind] that still exist. */
internal suspend fun favouriteIds(repo: MarktplatzRepository, event: EventContext, kind: FavouriteKind): Set<String> =
    repo.favourites(event.eventId)
        .filter { it.kind == kind && it.state != FavouriteState.REMOVED }
        .mapTo(mutableSetOf()) { it.id }
