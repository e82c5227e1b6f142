package de.marktplatz.app.notify

import android.annotation.SuppressLint
import android.content.BroadcastReceiver
import android.content.Context
import android.content.Intent
import androidx.core.app.NotificationCompat
import androidx.core.app.NotificationManagerCompat
import de.marktplatz.app.R
import de.marktplatz.core.Reminder

/** A reminder's alarm went off: post its notification ("13:15 · Forum"). */
class ReminderReceiver : BroadcastReceiver() {
    @SuppressLint("MissingPermission") // checked by canNotify
    override fun onReceive(context: Context, intent: Intent) {
        val id = intent.getIntExtra(EXTRA_ID, 0)
        val sessionId = intent.getStringExtra(EXTRA_SESSION) ?: return
        if (!AndroidNotifier.canNotify(context)) return
        val notification = NotificationCompat.Builder(context, NotificationChannels.REMINDERS)
            .setSmallIcon(R.drawable.ic_notification)
            .setContentTitle(intent.getStringExtra(EXTRA_TITLE))
            .setContentText(context.getString(R.string.reminder_text, intent.getStringExtra(EXTRA_TEXT)))
            .setCategory(NotificationCompat.CATEGORY_REMINDER)
            .setPriority(NotificationCompat.PRIORITY_HIGH)
            .setWhen(intent.getLongExtra(EXTRA_START, System.currentTimeMillis()))
            .setShowWhen(true)
            .setContentIntent(SessionLinks.open(context, sessionId, id))
            .setAutoCancel(true)
            .build()
        try {
            NotificationManagerCompat.from(context).notify(TAG, id, notification)
        } catch (denied: SecurityException) {
            // The permission was withdrawn after the alarm was set: nothing to show.
        }
    }

    companion object {
        private const val TAG = "reminder"
        private const val EXTRA_ID = "id"
        private const val EXTRA_SESSION = "session"
        private const val EXTRA_TITLE = "title"
        private const val EXTRA_TEXT = "text"
        private const val EXTRA_START = "start"

        fun fill(intent: Intent, reminder: Reminder) {
            intent.putExtra(EXTRA_ID, reminder.notificationId)
                .putExtra(EXTRA_SESSION, reminder.sessionId)
                .putExtra(EXTRA_TITLE, reminder.title)
                .putExtra(EXTRA_TEXT, reminder.text)
                .putExtra(EXTRA_START, reminder.sessionStart.toEpochMilli())
        }
    }
}
