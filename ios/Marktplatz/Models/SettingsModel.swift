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
    /// Whether the event's access code is stored (the code itself is never shown back).
    private(set) var hasAccessCode: Bool?
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
        hasAccessCode = try? await app.repo.hasAccessCode(eventId: app.eventId)
    }

    /// Stores a new access code for the event (blank or nil: forgets it), then syncs with it.
    func changeAccessCode(_ code: String?) async {
        let kept = code?.trimmingCharacters(in: .whitespaces)
        let stored = kept?.isEmpty == false ? kept : nil
        do {
            try await app.repo.setAccessCode(eventId: app.eventId, code: stored)
            hasAccessCode = stored != nil
            problem = nil
            app.sync.refresh()
        } catch {
            problem = Problem(error) ?? problem
        }
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

    /// Asks for notifications; true when only the Settings app can allow them now (the view
    /// opens it; `load()` checks again when the app comes back).
    func allowNotifications() async -> Bool {
        switch await app.notifications.permissionStep() {
        case .nothing:
            notificationsAllowed = true
            return false
        case .ask:
            notificationsAllowed = await app.notifications.requestAuthorization()
            return false
        case .openSettings:
            return true
        }
    }
}
