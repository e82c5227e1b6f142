package de.marktplatz.app.notify

import android.content.BroadcastReceiver
import android.content.Context
import android.content.Intent
import de.marktplatz.app.awaitGraph
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.launch

/**
 * Alarms are gone after a reboot or an app update, and exact ones become possible when the
 * user allows them: reschedule from the core's reminder list (local, no network).
 */
class BootReceiver : BroadcastReceiver() {
    override fun onReceive(context: Context, intent: Intent) {
        val pending = goAsync()
        // The receiver may start the process: wait for the store off the main thread.
        scope.launch {
            try {
                runCatching { context.awaitGraph() }.getOrNull()?.sync?.rescheduleReminders()
            } finally {
                pending.finish()
            }
        }
    }

    private companion object {
        val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)
    }
}
