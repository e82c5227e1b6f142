package de.marktplatz.app.work

import android.content.Context
import androidx.work.CoroutineWorker
import androidx.work.WorkerParameters
import de.marktplatz.app.awaitGraph
import de.marktplatz.app.model.ProblemKind
import de.marktplatz.app.model.SyncResult

/**
 * A background sync (periodic, or once when connectivity returns): pushes the organiser's
 * outbox and pulls changes through the app's coordinator, which then reschedules reminders
 * and posts change alerts. Network trouble is retried with WorkManager's backoff.
 */
class SyncWorker(context: Context, params: WorkerParameters) : CoroutineWorker(context, params) {
    override suspend fun doWork(): Result {
        // A store that cannot be opened (the app says why when opened): nothing to sync into.
        val graph = runCatching { applicationContext.awaitGraph() }.getOrNull() ?: return Result.failure()
        return when (val result = graph.sync.sync()) {
            is SyncResult.Updated -> {
                SyncScheduling.scheduleNextPush(applicationContext, graph)
                Result.success()
            }
            SyncResult.Stopped -> Result.retry()
            is SyncResult.Failed -> when (result.problem.kind) {
                ProblemKind.OFFLINE, ProblemKind.SERVER, ProblemKind.PAUSED -> Result.retry()
                // Nothing a retry would change (e.g. storage full): the next period tries again.
                else -> Result.failure()
            }
        }
    }
}
