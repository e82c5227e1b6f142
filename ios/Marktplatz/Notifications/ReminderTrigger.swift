import Foundation
import UserNotifications

/// When a reminder fires, pinned to the event's time zone. A calendar trigger without a time
/// zone follows the device's clock: an attendee who travels to the event (or whose phone
/// changes zone on the way) would be reminded hours early or late. With the event's zone in
/// the components the trigger fires at the instant the core chose, wherever the phone is.
enum ReminderTrigger {
    /// The wall-clock time of `fireAt` in `timeZone`, carrying that zone.
    static func components(fireAt: Date, timeZone: TimeZone) -> DateComponents {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        var components = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: fireAt)
        components.calendar = calendar
        components.timeZone = timeZone
        return components
    }

    /// The event's zone from its IANA name (the core's `Event.timezone`); the device's only if
    /// the name is unknown to this iOS.
    static func zone(named identifier: String?) -> TimeZone {
        identifier.flatMap { TimeZone(identifier: $0) } ?? .current
    }

    static func trigger(fireAt: Date, timeZone: TimeZone) -> UNCalendarNotificationTrigger {
        UNCalendarNotificationTrigger(dateMatching: components(fireAt: fireAt, timeZone: timeZone), repeats: false)
    }
}
