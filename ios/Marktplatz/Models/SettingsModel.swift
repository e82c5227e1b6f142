import Foundation
import MarktplatzKit
import Observation

/// The reminder lead time (kept by the core in user.db). The UI language is iOS's per-app
/// setting in the Settings app; notification permission is the system's.
@MainActor
@Observable
final class SettingsModel {
    private(set) var reminderLeadMinutes: Int?
    private(set) var notificationsAllowed = true
    private(set) var problem: Problem?

    let leadChoices = [0, 5, 10, 15, 30, 60]

    @ObservationIgnored private let app: AppModel

    init(app: AppModel) {
        self.app = app
    }

    func load() async {
        do {
            reminderLeadMinutes = try await app.repo.reminderLeadMinutes()
        } catch {
            problem = Problem(error) ?? problem
        }
        notificationsAllowed = await app.notifications.isAuthorized()
    }

    func setReminderLead(_ minutes: Int) async {
        do {
            try await app.repo.setReminderLeadMinutes(minutes)
            reminderLeadMinutes = minutes
            problem = nil
            app.contentChanged()
        } catch {
            problem = Problem(error) ?? problem
        }
    }

    func allowNotifications() async {
        notificationsAllowed = await app.notifications.requestAuthorization()
    }
}
