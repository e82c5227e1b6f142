package de.marktplatz.app.model

import de.marktplatz.bridge.MarktplatzRepository
import de.marktplatz.core.EventOverview
import de.marktplatz.core.InfoPage
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update

data class EventInfoState(
    val overview: EventOverview? = null,
    /** Organisers' pages (arrival, food, Wi-Fi, ...), in their order. */
    val pages: List<InfoPage> = emptyList(),
    /** The venue map and the event logo, if on the device. */
    val mapFile: String? = null,
    val logoFile: String? = null,
    val loading: Boolean = true,
    val problem: Problem? = null,
)

/** Event info and venue. */
class EventInfoModel(
    private val repo: MarktplatzRepository,
    scope: CoroutineScope,
    private val event: EventContext,
) {
    private val mutableState = MutableStateFlow(EventInfoState())
    val state: StateFlow<EventInfoState> = mutableState.asStateFlow()

    init {
        scope.reloadOnChange(event) { load() }
    }

    private suspend fun load() {
        val fail = { problem: Problem -> mutableState.update { it.copy(loading = false, problem = problem) } }
        val overview = attempt(fail) { repo.overview(event.eventId) } ?: return
        val pages = attempt(fail) { repo.infoPages(event.eventId) } ?: return
        // Not cached yet: not shown; a failing lookup is reported beside the rest.
        var assetProblem: Problem? = null
        val map = overview.event.venue.map?.let { attempt({ assetProblem = it }) { repo.cachedAssetFile(it) } }
        val logo = overview.event.logo?.let { attempt({ assetProblem = it }) { repo.cachedAssetFile(it) } }
        mutableState.value = EventInfoState(overview, pages.sortedBy { it.sortOrder }, map, logo, loading = false, problem = assetProblem)
    }
}
