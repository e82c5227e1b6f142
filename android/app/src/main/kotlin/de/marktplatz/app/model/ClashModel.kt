package de.marktplatz.app.model

import de.marktplatz.bridge.MarktplatzRepository
import de.marktplatz.core.FavouriteKind
import de.marktplatz.core.FavouriteState
import de.marktplatz.core.SessionSummary
import de.marktplatz.core.SharedSession
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch

data class ClashState(
    /** Their sessions in start order, each marked as mine already or with my sessions it clashes with. */
    val theirs: List<SharedSession> = emptyList(),
    /** My favourite sessions (present ones) in start order, beside theirs. */
    val mine: List<SessionSummary> = emptyList(),
    /** Titles of my sessions by id, to name what one of theirs clashes with. */
    val myTitles: Map<String, String> = emptyMap(),
    /** Shared entries this device could not find in its content. */
    val unresolved: Int = 0,
    val loading: Boolean = true,
    val problem: Problem? = null,
) {
    /** Theirs that are not mine yet and clash with none of mine: what "add all" adds. */
    val addable: List<SharedSession> get() = theirs.filter { !it.mine && it.clashesWith.isEmpty() }
}

/** A friend's favourites beside mine: clashes marked, "add theirs" one by one or all that fit. */
class ClashModel(
    private val repo: MarktplatzRepository,
    private val scope: CoroutineScope,
    private val event: EventContext,
    private val code: String,
) {
    private val mutableState = MutableStateFlow(ClashState())
    val state: StateFlow<ClashState> = mutableState.asStateFlow()

    init {
        scope.reloadOnChange(event) { load() }
    }

    fun addTheirs(sessionId: String) = add(listOf(sessionId))

    /** Adds every one of theirs that is not mine and clashes with none of mine. */
    fun addAllNonClashing() = add(state.value.addable.map { it.session.id })

    private fun add(sessionIds: List<String>) {
        if (sessionIds.isEmpty()) return
        scope.launch {
            for (id in sessionIds) {
                attempt(::report) { repo.addFavourite(event.eventId, FavouriteKind.SESSION, id) } ?: break
            }
            event.changes.changed()
        }
    }

    private suspend fun load() {
        val shared = attempt(::fail) { repo.readShareCode(code) } ?: return
        val days = attempt(::fail) { repo.overview(event.eventId) }?.event?.days?.sorted() ?: return
        // The personal agenda has my sessions with their local times, day by day.
        val mySessions = days.flatMap { day ->
            attempt(::fail) { repo.personalAgenda(event.eventId, day) }?.entries ?: return
        }.filter { it.state == FavouriteState.PRESENT }.map { it.session }
        mutableState.value = ClashState(
            theirs = shared.sessions.sortedBy { it.session.start },
            mine = mySessions,
            myTitles = mySessions.associate { it.id to it.title },
            unresolved = shared.unresolved.toInt(),
            loading = false,
        )
    }

    private fun fail(problem: Problem) = mutableState.update { it.copy(loading = false, problem = problem) }

    private fun report(problem: Problem) = mutableState.update { it.copy(problem = problem) }
}
