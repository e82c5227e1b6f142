package de.marktplatz.app.notify

import android.app.NotificationChannel
import android.app.NotificationManager
import android.content.Context
import de.marktplatz.app.R

/** The kinds of notification, each switchable by the user in the system settings. */
object NotificationChannels {
    const val REMINDERS = "reminders"
    const val CHANGES = "changes"
    /** Urgent announcements ("Durchsagen"): high importance, they matter within minutes. */
    const val ANNOUNCEMENTS = "announcements"

    fun create(context: Context) {
        val manager = context.getSystemService(NotificationManager::class.java)
        manager.createNotificationChannels(
            listOf(
                NotificationChannel(REMINDERS, context.getString(R.string.channel_reminders), NotificationManager.IMPORTANCE_HIGH)
                    .apply { description = context.getString(R.string.channel_reminders_description) },
                NotificationChannel(CHANGES, context.getString(R.string.channel_changes), NotificationManager.IMPORTANCE_HIGH)
                    .apply { description = context.getString(R.string.channel_changes_description) },
                NotificationChannel(ANNOUNCEMENTS, context.getString(R.string.channel_announcements), NotificationManager.IMPORTANCE_HIGH)
                    .apply { description = context.getString(R.string.channel_announcements_description) },
            ),
        )
    }
}
