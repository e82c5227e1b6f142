import Foundation
import MarktplatzKit
import Observation

/// The announcements in force now (expired ones are left out by the core), newest first.
@MainActor
@Observable
final class AnnouncementsModel {
    private(set) var announcements: [Announcement] = []
    private(set) var loading = true
    private(set) var problem: Problem?

    @ObservationIgnored private let app: AppModel

    init(app: AppModel) {
        self.app = app
    }

    func load() async {
        do {
            announcements = try await app.repo.announcements(eventId: app.eventId, at: Date())
            problem = nil
        } catch {
            problem = Problem(error) ?? problem
        }
        loading = false
    }
}
