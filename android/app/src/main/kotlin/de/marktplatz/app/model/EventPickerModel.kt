package de.marktplatz.app.model

import de.marktplatz.bridge.MarktplatzRepository
import de.marktplatz.core.EventSummary
import de.marktplatz.core.ListedEvent
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch

/** Where the app keeps the id of the event shown last (plain preferences: it is no secret). */
interface LastEventStore {
    fun load(): String?
    fun save(eventId: String)
}

/** A [LastEventStore] in memory (tests; a process that must not persist). */
class InMemoryLastEventStore(private var eventId: String? = null) : LastEventStore {
    override fun load(): String? = eventId
    override fun save(eventId: String) {
        this.eventId = eventId
    }
}

/** The event to open at start: the one shown last, else the build's own. */
fun startEventId(store: LastEventStore, buildEventId: String): String =
    store.load()?.takeIf { it.isNotBlank() } ?: buildEventId

data class EventPickerState(
    /** The events on this device (each with its own content and favourites), by title. */
    val events: List<EventSummary> = emptyList(),
    val current: String = "",
    /** An event id being fetched from the server. */
    val adding: String? = null,
    val loading: Boolean = true,
    val problem: Problem? = null,
    /** The events the server offers to anyone (its list; protected ones are added by id). */
    val serverEvents: List<ListedEvent> = emptyList(),
    /** The server's list has been read at least once. */
    val serverListed: Boolean = false,
    /** Why the server's list could not be read (offline): the events on the device still work. */
    val serverProblem: Problem? = null,
) {
    /** The server's events not yet on this device, to add with one tap. */
    val offered: List<ListedEvent>
        get() = serverEvents.filter { listed -> events.none { it.id == listed.id } }
}

/**
 * Several events: the ones on the device to switch between, the others the server lists, and
 * any other by its id (a protected event, from the organisers' link or poster). The core keeps
 * each event's content and favourites apart; switching re-targets the [EventContext] and
 * remembers the choice.
 */
class EventPickerModel(
    private val repo: MarktplatzRepository,
    private val scope: CoroutineScope,
    private val event: EventContext,
    private val lastEvent: LastEventStore,
    /** Told after a switch (the app's sync coordinator follows and syncs the new event). */
    private val onSwitched: () -> Unit = {},
) {
    private val mutableState = MutableStateFlow(EventPickerState(current = event.eventId))
    val state: StateFlow<EventPickerState> = mutableState.asStateFlow()

    init {
        scope.reloadOnChange(event) { load() }
        refreshServerEvents()
    }

    /** Reads the server's event list again (at start, and when the user asks). */
    fun refreshServerEvents(): Job = scope.launch {
        val listed = attempt({ problem -> mutableState.update { it.copy(serverProblem = problem) } }) {
            repo.serverEvents(event.serverUrl)
        } ?: return@launch
        mutableState.update { it.copy(serverEvents = listed, serverListed = true, serverProblem = null) }
    }

    /** Shows [eventId] everywhere and opens it at the next start. */
    fun choose(eventId: String) {
        lastEvent.save(eventId)
        if (eventId != event.eventId) {
            event.switchTo(eventId)
            onSwitched()
        }
        mutableState.update { it.copy(current = eventId, problem = null) }
    }

    /** Fetches the event [eventId] from the app's server, then shows it. */
    fun add(eventId: String): Job = scope.launch {
        val id = eventId.trim()
        if (id.isEmpty()) return@launch
        mutableState.update { it.copy(adding = id, problem = null) }
        val fail = { problem: Problem -> mutableState.update { it.copy(adding = null, problem = problem) } }
        attempt(fail) { repo.sync(id, event.serverUrl) } ?: return@launch
        mutableState.update { it.copy(adding = null) }
        choose(id)
    }

    private suspend fun load() {
        val events = attempt({ problem -> mutableState.update { it.copy(loading = false, problem = problem) } }) {
            repo.events()
        } ?: return
        mutableState.update {
            it.copy(events = events.sortedWith(compareBy(String.CASE_INSENSITIVE_ORDER) { e -> e.title }), current = event.eventId, loading = false)
        }
    }
}
