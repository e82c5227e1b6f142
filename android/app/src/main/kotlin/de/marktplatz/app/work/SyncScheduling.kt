package de.marktplatz.app.work

import android.content.Context
import androidx.work.BackoffPolicy
import androidx.work.Constraints
import androidx.work.ExistingPeriodicWorkPolicy
import androidx.work.ExistingWorkPolicy
import androidx.work.NetworkType
import androidx.work.OneTimeWorkRequestBuilder
import androidx.work.PeriodicWorkRequestBuilder
import androidx.work.WorkManager
import de.marktplatz.app.AppGraph
import java.time.Duration
import java.time.Instant

/** WorkManager jobs: all of them wait for a network, so none runs (or drains battery) offline. */
object SyncScheduling {
    private const val PERIODIC = "sync-periodic"
    private const val ONCE = "sync-when-online"

    private val online = Constraints.Builder().setRequiredNetworkType(NetworkType.CONNECTED).build()

    /** Every hour while the app is installed (Android batches it with other work). */
    fun schedulePeriodic(context: Context) {
        val request = PeriodicWorkRequestBuilder<SyncWorker>(Duration.ofHours(1))
            .setConstraints(online)
            .setBackoffCriteria(BackoffPolicy.EXPONENTIAL, Duration.ofMinutes(1))
            .build()
        WorkManager.getInstance(context).enqueueUniquePeriodicWork(PERIODIC, ExistingPeriodicWorkPolicy.KEEP, request)
    }

    /**
     * One sync as soon as a network is there (after [delay]). A waiting request is updated, a
     * running one is left to finish (REPLACE would cancel a sync in the middle of its pages).
     */
    fun syncWhenOnline(context: Context, delay: Duration = Duration.ZERO) {
        val request = OneTimeWorkRequestBuilder<SyncWorker>()
            .setConstraints(online)
            .setInitialDelay(delay)
            .setBackoffCriteria(BackoffPolicy.EXPONENTIAL, Duration.ofSeconds(30))
            .build()
        WorkManager.getInstance(context).enqueueUniqueWork(ONCE, ExistingWorkPolicy.APPEND_OR_REPLACE, request)
    }

    /** The outbox said when it wants its next attempt (backoff after a failure): wake up then. */
    suspend fun scheduleNextPush(context: Context, graph: AppGraph) {
        val at = runCatching { graph.repo.nextPushAttemptAt(graph.event.eventId) }.getOrNull() ?: return
        syncWhenOnline(context, Duration.between(Instant.now(), at).coerceAtLeast(Duration.ZERO))
    }
}
