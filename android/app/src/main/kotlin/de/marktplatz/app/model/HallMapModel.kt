package de.marktplatz.app.model

import de.marktplatz.bridge.MarktplatzRepository
import de.marktplatz.core.MapPosition
import de.marktplatz.core.StationEntry
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlin.math.abs

/** A place drawn on the plan: [x] and [y] are fractions (0..1) of the plan's width and height. */
data class MapPin(val stationId: String, val label: String, val x: Double, val y: Double)

/** A place in the screen-reader list; [pinned] is false when the plan does not show it. */
data class MapListEntry(val stationId: String, val label: String, val pinned: Boolean)

data class HallMapState(
    /** The plan image on the device (null until downloaded, or if the event has none). */
    val mapFile: String? = null,
    /** Width divided by height of the plan, when the content says (else the image decides). */
    val aspectRatio: Float? = null,
    /** Every place with a position, in the hall's order (the core's: sort order, then name). */
    val pins: List<MapPin> = emptyList(),
    /** Every place, in reading order of the plan; those without a position last. */
    val list: List<MapListEntry> = emptyList(),
    /** The place asked for ("show on map"), drawn stronger. */
    val highlighted: String? = null,
    val loading: Boolean = true,
    val problem: Problem? = null,
)

/** What "show on map" asks to highlight: a station, or the place of a session. */
sealed interface MapFocus {
    data class Station(val stationId: String) : MapFocus
    data class Session(val sessionId: String) : MapFocus
}

/** The focus of a map route's arguments (a station wins; neither: the whole plan). */
fun mapFocusOf(stationId: String?, sessionId: String?): MapFocus? = when {
    !stationId.isNullOrEmpty() -> MapFocus.Station(stationId)
    !sessionId.isNullOrEmpty() -> MapFocus.Session(sessionId)
    else -> null
}

/**
 * The venue plan with a pin per place from its position (fractions of the plan, see the
 * model's `MapPosition`), and the same places as a list for screen readers.
 */
class HallMapModel(
    private val repo: MarktplatzRepository,
    scope: CoroutineScope,
    private val event: EventContext,
    private val focus: MapFocus? = null,
) {
    private val mutableState = MutableStateFlow(HallMapState())
    val state: StateFlow<HallMapState> = mutableState.asStateFlow()

    init {
        scope.reloadOnChange(event) { load() }
    }

    private suspend fun load() {
        val fail = { problem: Problem -> mutableState.update { it.copy(loading = false, problem = problem) } }
        val stations = attempt(fail) { repo.stations(event.eventId) } ?: return
        val highlighted = when (focus) {
            null -> null
            is MapFocus.Station -> focus.stationId
            is MapFocus.Session -> attempt(fail) { repo.sessionDetail(event.eventId, focus.sessionId) }?.summary?.locationId ?: return
        }
        val map = (attempt(fail) { repo.overview(event.eventId) } ?: return).event.venue.map
        mutableState.update {
            it.copy(
                pins = pinsOf(stations),
                list = readingOrder(stations),
                highlighted = highlighted,
                aspectRatio = map?.let { asset -> aspectRatioOf(asset.width, asset.height) },
                loading = map != null && it.mapFile == null,
                problem = null,
            )
        }
        if (map == null) return
        // The plan comes with the content's assets; fetch it only if that sync did not.
        val file = attempt(fail) { repo.cachedAssetFile(map) ?: repo.assetFile(event.eventId, map) } ?: return
        mutableState.update { it.copy(mapFile = file, loading = false) }
    }
}

/** Pins of the places that have a position, in the core's (the hall's) order. */
internal fun pinsOf(stations: List<StationEntry>): List<MapPin> =
    stations.mapNotNull { entry ->
        entry.location.position?.let { MapPin(entry.location.id, entry.location.name, it.x, it.y) }
    }

/**
 * Places as a reader scans the plan: rows from top to bottom (positions within [ROW_TOLERANCE]
 * of the row's first one share it), each row left to right; places without a position follow
 * in the core's order. Screen-reader users meet them in the order sighted users see them.
 */
internal fun readingOrder(stations: List<StationEntry>): List<MapListEntry> {
    val placed = stations.mapNotNull { entry -> entry.location.position?.let { entry to it } }.sortedBy { it.second.y }
    val rows = mutableListOf<MutableList<Pair<StationEntry, MapPosition>>>()
    for (place in placed) {
        val row = rows.lastOrNull()
        if (row != null && abs(row.first().second.y - place.second.y) <= ROW_TOLERANCE) row.add(place) else rows.add(mutableListOf(place))
    }
    val ordered = rows.flatMap { row -> row.sortedBy { it.second.x } }.map { it.first }
    val unplaced = stations.filter { it.location.position == null }
    return ordered.map { MapListEntry(it.location.id, it.location.name, pinned = true) } +
        unplaced.map { MapListEntry(it.location.id, it.location.name, pinned = false) }
}

/** Two positions this close in height (a twentieth of the plan) stand in one row. */
internal const val ROW_TOLERANCE = 0.05

private fun aspectRatioOf(width: UInt?, height: UInt?): Float? =
    if (width == null || height == null || width == 0u || height == 0u) null else width.toFloat() / height.toFloat()
