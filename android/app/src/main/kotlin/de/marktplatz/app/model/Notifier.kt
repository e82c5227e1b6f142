package de.marktplatz.app.model

import de.marktplatz.core.Announcement
import de.marktplatz.core.ChangeAlert
import de.marktplatz.core.Reminder

/** The platform's local notifications, as the models use them (Android: alarms + notifications). */
interface Notifier {
    /**
     * Replaces every scheduled reminder with [reminders] (the core's list; each
     * `notificationId` is stable per session, so a moved session replaces its old reminder).
     */
    fun replaceReminders(reminders: List<Reminder>)

    /** Posts one notification per change alert (each is handed out once by the core). */
    fun showChangeAlerts(alerts: List<ChangeAlert>)

    /** Posts one notification per urgent announcement (each is handed out once by the core). */
    fun showAnnouncements(announcements: List<Announcement>)
}
