package de.marktplatz.app.model

import de.marktplatz.bridge.MarktplatzRepository
import de.marktplatz.core.GalleryItem
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch

/** A gallery tile: the item and its thumbnail file if it is on the device. */
data class GalleryTile(val item: GalleryItem, val thumbnail: String?)

/** The photo opened full size: its file once downloaded (or cached), or why it failed. */
data class OpenedPhoto(val item: GalleryItem, val file: String? = null, val problem: Problem? = null)

data class GalleryState(
    val tiles: List<GalleryTile> = emptyList(),
    val opened: OpenedPhoto? = null,
    val loading: Boolean = true,
    val problem: Problem? = null,
)

/** Thumbnails from the device (synced with the content); the full image on demand. */
class GalleryModel(
    private val repo: MarktplatzRepository,
    private val scope: CoroutineScope,
    private val event: EventContext,
) {
    private val mutableState = MutableStateFlow(GalleryState())
    val state: StateFlow<GalleryState> = mutableState.asStateFlow()
    private var opening: Job? = null

    init {
        scope.reloadOnChange(event) { load() }
    }

    /** Shows [item] full size: at once if cached, else after downloading it. */
    fun open(item: GalleryItem) {
        opening?.cancel()
        mutableState.update { it.copy(opened = OpenedPhoto(item)) }
        opening = scope.launch {
            var problem: Problem? = null
            val file = attempt({ problem = it }) { repo.assetFile(event.eventId, item.image) }
            mutableState.update { state ->
                if (state.opened?.item?.id != item.id) state else state.copy(opened = OpenedPhoto(item, file, problem))
            }
        }
    }

    fun close() {
        opening?.cancel()
        mutableState.update { it.copy(opened = null) }
    }

    private suspend fun load() {
        val items = attempt({ problem -> mutableState.update { it.copy(loading = false, problem = problem) } }) {
            repo.gallery(event.eventId)
        } ?: return
        // A thumbnail not cached yet is a placeholder tile; a failing lookup is reported.
        var assetProblem: Problem? = null
        val tiles = items.map { item ->
            GalleryTile(item, attempt({ assetProblem = it }) { repo.cachedAssetFile(item.thumbnail ?: item.image) })
        }
        mutableState.update { it.copy(tiles = tiles, loading = false, problem = assetProblem) }
    }
}
