package de.marktplatz.app.notify

import android.Manifest
import android.annotation.SuppressLint
import android.app.AlarmManager
import android.app.PendingIntent
import android.content.Context
import android.content.Intent
import android.content.pm.PackageManager
import android.net.Uri
import android.os.Build
import androidx.core.app.NotificationCompat
import androidx.core.app.NotificationManagerCompat
import androidx.core.content.ContextCompat
import androidx.core.content.edit
import de.marktplatz.app.R
import de.marktplatz.app.model.Notifier
import de.marktplatz.core.Announcement
import de.marktplatz.core.ChangeAlert
import de.marktplatz.core.Reminder

/**
 * Reminders as alarms that post a notification when they fire ([ReminderReceiver]); change
 * alerts and urgent announcements (channel "Durchsagen") as notifications right away. The core decides what to schedule and which alert is
 * news; this class only talks to AlarmManager and NotificationManager.
 */
class AndroidNotifier(private val context: Context) : Notifier {
    private val alarms = context.getSystemService(AlarmManager::class.java)
    /** AlarmManager cannot list what is scheduled: the ids scheduled last, to cancel them. */
    private val scheduled = context.getSharedPreferences("scheduled_reminders", Context.MODE_PRIVATE)

    @Synchronized
    override fun replaceReminders(reminders: List<Reminder>) {
        val keep = reminders.map { it.notificationId.toString() }.toSet()
        for (stale in scheduled.getStringSet(IDS, emptySet()).orEmpty() - keep) {
            alarms.cancel(alarmIntent(stale.toInt(), null))
        }
        for (reminder in reminders) {
            val intent = alarmIntent(reminder.notificationId, reminder)
            val at = reminder.fireAt.toEpochMilli()
            if (Build.VERSION.SDK_INT < Build.VERSION_CODES.S || alarms.canScheduleExactAlarms()) {
                alarms.setExactAndAllowWhileIdle(AlarmManager.RTC_WAKEUP, at, intent)
            } else {
                // Without the exact-alarm permission Android may deliver it a few minutes late.
                alarms.setAndAllowWhileIdle(AlarmManager.RTC_WAKEUP, at, intent)
            }
        }
        scheduled.edit { putStringSet(IDS, keep) }
    }

    @SuppressLint("MissingPermission") // checked by canNotify
    override fun showChangeAlerts(alerts: List<ChangeAlert>) {
        if (!canNotify(context)) return
        val manager = NotificationManagerCompat.from(context)
        for (alert in alerts) {
            val id = ALERT_ID_BASE + (alert.id and 0x0fff_ffffL).toInt()
            val notification = NotificationCompat.Builder(context, NotificationChannels.CHANGES)
                .setSmallIcon(R.drawable.ic_notification)
                .setContentTitle(alert.new.title)
                .setContentText(AlertText.describe(context, alert))
                .setStyle(NotificationCompat.BigTextStyle().bigText(AlertText.describe(context, alert)))
                .setCategory(NotificationCompat.CATEGORY_EVENT)
                .setPriority(NotificationCompat.PRIORITY_HIGH)
                .setContentIntent(SessionLinks.open(context, alert.sessionId, id))
                .setAutoCancel(true)
                .build()
            manager.notify(TAG_ALERT, id, notification)
        }
    }

    @SuppressLint("MissingPermission") // checked by canNotify
    override fun showAnnouncements(announcements: List<Announcement>) {
        if (!canNotify(context)) return
        val manager = NotificationManagerCompat.from(context)
        for (announcement in announcements) {
            // Stable per announcement: a repost would replace, never duplicate.
            val id = ANNOUNCEMENT_ID_BASE + (announcement.id.hashCode() and 0x0fff_ffff)
            val text = announcement.body.ifBlank { announcement.title }
            val notification = NotificationCompat.Builder(context, NotificationChannels.ANNOUNCEMENTS)
                .setSmallIcon(R.drawable.ic_notification)
                .setContentTitle(announcement.title)
                .setContentText(text)
                .setStyle(NotificationCompat.BigTextStyle().bigText(text))
                .setCategory(NotificationCompat.CATEGORY_MESSAGE)
                .setPriority(NotificationCompat.PRIORITY_HIGH)
                .setWhen(announcement.publishedAt.toEpochMilli())
                .setContentIntent(AnnouncementLinks.open(context, id))
                .setAutoCancel(true)
                .build()
            manager.notify(TAG_ANNOUNCEMENT, id, notification)
        }
    }

    private fun alarmIntent(notificationId: Int, reminder: Reminder?): PendingIntent {
        val intent = Intent(context, ReminderReceiver::class.java)
            // The data makes each reminder's PendingIntent distinct (extras do not).
            .setData(Uri.parse("marktplatz-reminder://$notificationId"))
        if (reminder != null) ReminderReceiver.fill(intent, reminder)
        return PendingIntent.getBroadcast(
            context,
            notificationId,
            intent,
            PendingIntent.FLAG_UPDATE_CURRENT or PendingIntent.FLAG_IMMUTABLE,
        )
    }

    companion object {
        private const val IDS = "ids"
        private const val TAG_ALERT = "alert"
        private const val TAG_ANNOUNCEMENT = "announcement"
        private const val ANNOUNCEMENT_ID_BASE = 0x2000_0000
        private const val ALERT_ID_BASE = 0x1000_0000

        fun canNotify(context: Context): Boolean =
            Build.VERSION.SDK_INT < Build.VERSION_CODES.TIRAMISU ||
                ContextCompat.checkSelfPermission(context, Manifest.permission.POST_NOTIFICATIONS) == PackageManager.PERMISSION_GRANTED
    }
}
