package de.marktplatz.app.model

import java.time.Clock
import java.time.Instant
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.collectLatest
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch

/**
 * Bumped whenever what the screens show may have changed: a sync brought changes, the user
 * changed a favourite or a setting, an organiser queued an operation. Screen models reload.
 */
class ContentSignal {
    private val mutableVersion = MutableStateFlow(0L)
    val version: StateFlow<Long> = mutableVersion.asStateFlow()

    fun changed() = mutableVersion.update { it + 1 }
}

/** The event the app shows, where it comes from, and what every screen model shares. */
class EventContext(
    eventId: String,
    val serverUrl: String,
    val clock: Clock = Clock.systemUTC(),
    val changes: ContentSignal = ContentSignal(),
) {
    /** Read at every load: screen models follow a [switchTo] by reloading on [changes]. */
    @Volatile
    var eventId: String = eventId
        private set

    fun now(): Instant = clock.instant()

    /** Shows [eventId] from now on; every screen model reloads for it. */
    fun switchTo(eventId: String) {
        if (eventId == this.eventId) return
        this.eventId = eventId
        changes.changed()
    }
}

/** Runs [load] now and again after every content change; a newer change cancels a running load. */
internal fun CoroutineScope.reloadOnChange(event: EventContext, load: suspend () -> Unit): Job =
    launch { event.changes.version.collectLatest { load() } }
