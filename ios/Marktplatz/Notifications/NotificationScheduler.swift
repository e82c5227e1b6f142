import Foundation
import MarktplatzKit
import UserNotifications

/// Local notifications: reminders scheduled from the core's list (replacing all earlier ones),
/// change alerts and urgent announcements posted at once. The core decides what and when; this
/// talks to iOS.
@MainActor
final class NotificationScheduler {
    static let reminderPrefix = "reminder-"
    static let alertPrefix = "alert-"
    static let announcementPrefix = "announcement-"
    /// The session a notification opens (userInfo key).
    static let sessionKey = "sessionId"
    /// Set on an announcement's notification: a tap opens the announcements (userInfo key).
    static let announcementKey = "announcementId"
    /// iOS keeps at most 64 pending requests per app; leave room for change alerts.
    private static let maxReminders = 60

    private let center = UNUserNotificationCenter.current()

    /// Asks once (at the first favourite); later calls return the user's answer.
    @discardableResult
    func requestAuthorization() async -> Bool {
        (try? await center.requestAuthorization(options: [.alert, .sound, .badge])) ?? false
    }

    /// What the "Allow notifications" button should do now. iOS shows its dialog once: after a
    /// denial a request answers "no" at once and the button would seem dead, so it opens the
    /// app's page in the Settings app instead.
    func permissionStep() async -> PermissionStep {
        switch await center.notificationSettings().authorizationStatus {
        case .notDetermined: return .ask
        case .denied: return .openSettings
        default: return .nothing
        }
    }

    func isAuthorized() async -> Bool {
        let settings = await center.notificationSettings()
        return settings.authorizationStatus == .authorized || settings.authorizationStatus == .provisional
    }

    /// Reminders fire in the event's time zone (`ReminderTrigger`), not the device's.
    func replaceReminders(_ reminders: [Reminder], timeZone: TimeZone) async {
        let pending = await center.pendingNotificationRequests()
        let stale = pending.map(\.identifier).filter { $0.hasPrefix(Self.reminderPrefix) }
        center.removePendingNotificationRequests(withIdentifiers: stale)
        for reminder in reminders.prefix(Self.maxReminders) {
            let content = UNMutableNotificationContent()
            content.title = reminder.title
            content.body = String(localized: "Starts at \(reminder.text)")
            content.sound = .default
            content.threadIdentifier = "reminders"
            content.userInfo = [Self.sessionKey: reminder.sessionId]
            let request = UNNotificationRequest(
                identifier: Self.reminderPrefix + reminder.key,
                content: content,
                trigger: ReminderTrigger.trigger(fireAt: reminder.fireAt, timeZone: timeZone)
            )
            try? await center.add(request)
        }
    }

    func showChangeAlerts(_ alerts: [ChangeAlert]) async {
        for alert in alerts {
            let content = UNMutableNotificationContent()
            content.title = alert.new.title
            content.body = AlertText.describe(alert)
            content.sound = .default
            content.threadIdentifier = "changes"
            content.userInfo = [Self.sessionKey: alert.sessionId]
            // The same id replaces an earlier notification of this alert in Notification Centre.
            let request = UNNotificationRequest(identifier: Self.alertPrefix + String(alert.id), content: content, trigger: nil)
            try? await center.add(request)
        }
    }

    /// Urgent announcements: time-sensitive, so they break through a Focus where the user
    /// allows it (without the entitlement or permission iOS shows them as active ones).
    func showAnnouncements(_ announcements: [Announcement]) async {
        for announcement in announcements {
            let content = UNMutableNotificationContent()
            content.title = announcement.title
            content.body = announcement.body.isEmpty ? announcement.title : announcement.body
            content.sound = .default
            content.threadIdentifier = "announcements"
            content.interruptionLevel = .timeSensitive
            content.userInfo = [Self.announcementKey: announcement.id]
            let request = UNNotificationRequest(identifier: Self.announcementPrefix + announcement.id, content: content, trigger: nil)
            try? await center.add(request)
        }
    }
}
