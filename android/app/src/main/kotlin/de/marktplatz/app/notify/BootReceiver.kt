package de.marktplatz.app.notify

import android.content.BroadcastReceiver
import android.content.Context
import android.content.Intent
import de.marktplatz.app.graph
import kotlinx.coroutines.launch

/**
 * Alarms are gone after a reboot or an app update, and exact ones become possible when the
 * user allows them: reschedule from the core's reminder list (local, no network).
 */
class BootReceiver : BroadcastReceiver() {
    override fun onReceive(context: Context, intent: Intent) {
        val pending = goAsync()
        val graph = context.graph
        graph.scope.launch {
            try {
                graph.sync.rescheduleReminders()
            } finally {
                pending.finish()
            }
        }
    }
}
