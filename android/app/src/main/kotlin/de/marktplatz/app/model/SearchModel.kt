package de.marktplatz.app.model

import de.marktplatz.bridge.MarktplatzRepository
import de.marktplatz.core.EntityKind
import de.marktplatz.core.SearchField
import de.marktplatz.core.SearchHit
import de.marktplatz.core.SearchQuery
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Job
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext

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
 * Search as you type: each keystroke interrupts the previous keystroke's search if it still runs
 * and searches as soon as that one has returned (a stale result never overwrites a newer one).
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
    private var running: Job? = null

    /** The kinds a user can narrow to, in the order of the filter chips. */
    val kinds: List<EntityKind> = listOf(EntityKind.SESSION, EntityKind.SPEAKER, EntityKind.EXHIBITOR, EntityKind.LOCATION)

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
        val superseded = running
        superseded?.cancel()
        // Interrupts the superseded search in the core now; it returns Cancelled promptly.
        field.cancel()
        if (text.isBlank()) {
            // `running` stays the superseded job: the next keystroke still waits for it.
            mutableState.update { it.copy(results = emptyList(), searching = false, problem = null) }
            return
        }
        mutableState.update { it.copy(searching = true) }
        // Undispatched: the job starts waiting at once, so it cannot be cancelled before it
        // waits (a job cancelled before it starts never runs, and would not wait at all).
        running = scope.launch(start = CoroutineStart.UNDISPATCHED) {
            // Keystrokes reach the core in the order typed: an older search still on its way
            // would otherwise arrive after this one and cancel it, leaving no results at all.
            // The wait is not cut short when this job is superseded in turn, so each job waits
            // for the whole chain before it; a cancelled job stops before it reaches the core.
            withContext(NonCancellable) { superseded?.join() }
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
            val hits = attempt({ problem = it }) { repo.searchAsYouType(field, query) }
            val results = hits?.map(::resultOf)
            mutableState.update {
                when {
                    // A newer keystroke replaced this search: the state is the newer one's to set.
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
        running?.cancel()
        field.cancel()
        field.close()
    }
}

private fun resultOf(hit: SearchHit) = SearchResult(
    hit = hit,
    title = markedText(hit.title, hit.titleHighlights),
    context = markedText(hit.context, hit.contextHighlights),
)
