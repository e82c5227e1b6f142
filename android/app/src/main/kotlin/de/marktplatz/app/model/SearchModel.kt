package de.marktplatz.app.model

import de.marktplatz.bridge.MarktplatzRepository
import de.marktplatz.core.EntityKind
import de.marktplatz.core.SearchField
import de.marktplatz.core.SearchHit
import de.marktplatz.core.SearchQuery
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch

/** One result row: what it is, and its title and context line with the matches marked. */
data class SearchResult(val hit: SearchHit, val title: MarkedText, val context: MarkedText)

data class SearchState(
    val text: String = "",
    /** Only this kind (sessions, speakers, exhibitors, locations); null for everything. */
    val kind: EntityKind? = null,
    val results: List<SearchResult> = emptyList(),
    val searching: Boolean = false,
    val problem: Problem? = null,
)

/**
 * Search as you type: each keystroke takes its ticket from the core at once and searches on a
 * worker. The core answers keystrokes in the order typed: an older keystroke's search, however
 * late it arrives or ends, answers Cancelled (ignored here), so a stale result never overwrites
 * a newer one and no ordering is needed here.
 */
class SearchModel(
    private val repo: MarktplatzRepository,
    private val scope: CoroutineScope,
    private val event: EventContext,
    private val limit: Int = 40,
) : AutoCloseable {
    private val mutableState = MutableStateFlow(SearchState())
    val state: StateFlow<SearchState> = mutableState.asStateFlow()
    private val field = SearchField()

    /** The kinds a user can narrow to, in the order of the filter chips. */
    val kinds: List<EntityKind> = listOf(EntityKind.SESSION, EntityKind.SPEAKER, EntityKind.EXHIBITOR, EntityKind.LOCATION)

    init {
        // Loads the search's in-memory state while the user starts typing; a failure here
        // shows with the first search, which loads it itself.
        scope.launch { attempt({}) { repo.warmSearch() } }
    }

    fun onTextChange(text: String) {
        mutableState.update { it.copy(text = text) }
        search()
    }

    fun onKindChange(kind: EntityKind?) {
        mutableState.update { it.copy(kind = kind) }
        search()
    }

    private fun search() {
        val (text, kind) = mutableState.value.let { it.text to it.kind }
        if (text.isBlank()) {
            // Whatever search is still on its way answers Cancelled.
            field.cancel()
            mutableState.update { it.copy(results = emptyList(), searching = false, problem = null) }
            return
        }
        // Taken here, in keystroke order, not on the worker: that is the order the core keeps.
        val ticket = field.takeTicket()
        mutableState.update { it.copy(searching = true) }
        scope.launch {
            val query = SearchQuery(
                text = text,
                eventId = event.eventId,
                kinds = listOfNotNull(kind),
                day = null,
                trackId = null,
                locationId = null,
                favouritesOnly = false,
                upcomingOnly = false,
                now = event.now(),
                limit = limit.toUInt(),
            )
            var problem: Problem? = null
            val hits = attempt({ problem = it }) { repo.searchAsYouType(field, ticket, query) }
            val results = hits?.map(::resultOf)
            mutableState.update {
                when {
                    // The field changed after this search answered: the state is the newer one's.
                    it.text != text || it.kind != kind -> it
                    results != null -> it.copy(results = results, searching = false, problem = null)
                    problem != null -> it.copy(searching = false, problem = problem)
                    else -> it
                }
            }
        }
    }

    /** Stops a search still running (the screen closed) and frees the native field. */
    override fun close() {
        field.cancel()
        field.close()
    }
}

private fun resultOf(hit: SearchHit) = SearchResult(
    hit = hit,
    title = markedText(hit.title, hit.titleHighlights),
    context = markedText(hit.context, hit.contextHighlights),
)
