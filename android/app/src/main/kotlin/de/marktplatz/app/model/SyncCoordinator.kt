package de.marktplatz.app.model

import de.marktplatz.bridge.MarktplatzRepository
import de.marktplatz.core.ApiException
import de.marktplatz.core.FollowHandle
import de.marktplatz.core.Phase
import de.marktplatz.core.Progress
import de.marktplatz.core.SyncOutcome
import de.marktplatz.core.Update
import java.time.Instant
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Deferred
import kotlinx.coroutines.Job
import kotlinx.coroutines.async
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock

/** The quiet indicator: when content was last updated, and whether a sync runs or failed. */
data class SyncStatus(
    /** When the device last heard from the server (null: never, nothing stored yet). */
    val lastUpdated: Instant? = null,
    val running: Boolean = false,
    /** 0..1 while content or assets arrive; null when there is nothing to measure. */
    val progress: Float? = null,
    /** Why the last sync failed; cleared by the next one that succeeds. */
    val problem: Problem? = null,
)

/** How one sync ended, for the background scheduler (retry or not). */
sealed interface SyncResult {
    data class Updated(val outcome: SyncOutcome) : SyncResult
    data class Failed(val problem: Problem) : SyncResult
    /** Stopped by `suspend()` or a cancel: try again later. */
    data object Stopped : SyncResult
}

/**
 * Runs syncs for the app — on start, pull-to-refresh, connectivity returning and the periodic
 * background job — one at a time (a second caller waits for the running sync), and after each
 * one reschedules the reminders and posts the change alerts and urgent announcements the core
 * hands out. While the app is in the foreground it follows the event ([startFollowing]), so a
 * change arrives within a second and is notified the same way.
 *
 * Also hears syncs started elsewhere in the process (the core tells every listener), so the
 * indicator and the screens follow them too.
 */
class SyncCoordinator(
    private val repo: MarktplatzRepository,
    private val scope: CoroutineScope,
    private val event: EventContext,
    private val notifier: Notifier,
) {
    private val mutableStatus = MutableStateFlow(SyncStatus())
    val status: StateFlow<SyncStatus> = mutableStatus.asStateFlow()

    private val lock = Mutex()
    private var running: Deferred<SyncResult>? = null
    private var following: FollowHandle? = null

    init {
        readLastUpdated()
        scope.launch { repo.updates().collect(::heard) }
        // Favourites, settings and organiser changes move reminders too (the first value is
        // the current one: scheduling at start covers alarms lost by an app update).
        scope.launch { event.changes.version.collect { rescheduleReminders() } }
    }

    /** Starts a sync unless one runs (pull-to-refresh, app start). */
    fun refresh(): Job = scope.launch { sync() }

    /**
     * Syncs the event now, or waits for the sync already running, then reschedules
     * notifications. Never throws for a sync failure: the content stays as it was and the
     * [status] tells the user quietly. The core's sync sends the organiser's outbox first.
     */
    suspend fun sync(): SyncResult {
        val job = lock.withLock {
            running?.takeIf { it.isActive } ?: scope.async { runSync() }.also { running = it }
        }
        return job.await()
    }

    /**
     * The attendee typed the event's access code (asked for when a sync answered
     * [ProblemKind.ACCESS_CODE]): it is stored and the event synced with it at once.
     */
    suspend fun enterAccessCode(code: String): SyncResult {
        var refused: Problem? = null
        attempt({ refused = it }) { repo.setAccessCode(event.eventId, code) }
        val problem = refused
        if (problem != null) {
            mutableStatus.update { it.copy(problem = problem) }
            return SyncResult.Failed(problem)
        }
        return sync()
    }

    /** Stops the running sync between two pages (the content stays at its last whole page). */
    fun cancel() = repo.cancelSync(event.eventId)

    /** [enterAccessCode] from the UI's dialog. */
    fun submitAccessCode(code: String): Job = scope.launch { enterAccessCode(code) }

    /** Connectivity came back: send what the organiser queued and pull what changed. */
    suspend fun connectivityReturned(): SyncResult = sync()

    /** The app came to the foreground: follow the event until [stopFollowing] (one loop at most). */
    @Synchronized
    fun startFollowing() {
        if (following?.isRunning() == true) return
        following?.close()
        following = try {
            repo.follow(event.eventId, event.serverUrl)
        } catch (e: ApiException) {
            problemOf(e)?.let { problem -> mutableStatus.update { it.copy(problem = problem) } }
            null
        }
    }

    /** The app left the foreground: stop following (the periodic sync takes over). */
    @Synchronized
    fun stopFollowing() {
        following?.cancel()
        following?.close()
        following = null
    }

    /** The app switched events ([EventContext.switchTo]): the indicator, following and a sync move to it. */
    @Synchronized
    fun eventSwitched() {
        val wasFollowing = following != null
        stopFollowing()
        mutableStatus.value = SyncStatus()
        readLastUpdated()
        if (wasFollowing) startFollowing()
        refresh()
    }

    /** When the shown event was last synced, from the store (a sync heard meanwhile wins). */
    private fun readLastUpdated() = scope.launch {
        val stored = attempt({}) { repo.events().firstOrNull { it.id == event.eventId }?.lastSyncedAt }
        mutableStatus.update { it.copy(lastUpdated = it.lastUpdated ?: stored) }
    }

    /** Reminders from the core's list (favourites, lead time, current content). */
    suspend fun rescheduleReminders() {
        val reminders = attempt({}) { repo.reminders(event.eventId, event.now()) } ?: return
        notifier.replaceReminders(reminders)
    }

    private suspend fun runSync(): SyncResult {
        mutableStatus.update { it.copy(running = true, progress = null) }
        val result = try {
            SyncResult.Updated(repo.sync(event.eventId, event.serverUrl))
        } catch (e: CancellationException) {
            mutableStatus.update { it.copy(running = false, progress = null) }
            throw e
        } catch (e: Exception) {
            problemOf(e)?.let { SyncResult.Failed(it) } ?: SyncResult.Stopped
        }
        mutableStatus.update {
            when (result) {
                is SyncResult.Updated -> it.copy(running = false, progress = null, problem = null, lastUpdated = result.outcome.syncedAt)
                is SyncResult.Failed -> it.copy(running = false, progress = null, problem = result.problem)
                SyncResult.Stopped -> it.copy(running = false, progress = null)
            }
        }
        if (result is SyncResult.Updated) afterSync()
        return result
    }

    private suspend fun afterSync() {
        rescheduleReminders()
        notifyNews()
    }

    /**
     * Posts what the core hands out as news: change alerts of favourites and urgent
     * announcements. Each is handed out once, so running this twice for one change is harmless.
     */
    private suspend fun notifyNews() {
        val alerts = attempt({}) { repo.takeAlertsToNotify(event.eventId) }
        if (!alerts.isNullOrEmpty()) notifier.showChangeAlerts(alerts)
        val urgent = attempt({}) { repo.takeAnnouncementsToNotify(event.eventId, event.now()) }
        if (!urgent.isNullOrEmpty()) notifier.showAnnouncements(urgent)
    }

    private fun heard(update: Update) {
        when (update) {
            is Update.SyncProgress -> if (update.progress.eventId == event.eventId) {
                mutableStatus.update { it.copy(running = true, progress = fractionOf(update.progress)) }
            }
            is Update.SyncFinished -> if (update.outcome.eventId == event.eventId) {
                mutableStatus.update {
                    it.copy(running = false, progress = null, lastUpdated = update.outcome.syncedAt, problem = null)
                }
                if (update.outcome.changed.isNotEmpty() || update.outcome.rebootstrapped) {
                    event.changes.changed()
                    // A followed answer (or a sync started elsewhere) may bring news too.
                    scope.launch { notifyNews() }
                }
            }
            is Update.Alerts -> if (update.notice.eventId == event.eventId) event.changes.changed()
            is Update.SyncFailed -> if (update.eventId == event.eventId) {
                mutableStatus.update { it.copy(running = false, progress = null) }
            }
        }
    }
}

/** How far a sync is: content pages by sequence number, then assets by count. */
fun fractionOf(progress: Progress): Float? = when (progress.phase) {
    Phase.CHECKING -> null
    Phase.CONTENT ->
        if (progress.seqTotal == 0uL) null
        else (progress.seqDone.toDouble() / progress.seqTotal.toDouble()).toFloat().coerceIn(0f, 1f)
    Phase.ASSETS ->
        if (progress.assetsTotal == 0u) null
        else (progress.assetsDone.toDouble() / progress.assetsTotal.toDouble()).toFloat().coerceIn(0f, 1f)
    Phase.DONE -> 1f
}
