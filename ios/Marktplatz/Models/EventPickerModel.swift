import Foundation
import MarktplatzKit
import Observation

/// Several events: the ones on the device to switch between, and any other the server has
/// (by its id). The core keeps each event's content and favourites apart; switching re-targets
/// the app (`AppModel.switchEvent`) and remembers the choice. Mirrors the Android model.
@MainActor
@Observable
final class EventPickerModel {
    /// The events on this device, by title.
    private(set) var events: [EventSummary] = []
    /// An event id being fetched from the server.
    private(set) var adding: String?
    private(set) var loading = true
    private(set) var problem: Problem?

    @ObservationIgnored private let app: AppModel

    init(app: AppModel) {
        self.app = app
    }

    var current: String { app.eventId }

    func load() async {
        do {
            events = try await app.repo.events().sorted { $0.title.localizedStandardCompare($1.title) == .orderedAscending }
            problem = nil
        } catch {
            problem = Problem(error) ?? problem
        }
        loading = false
    }

    /// Shows `eventId` everywhere and opens it at the next start.
    func choose(_ eventId: String) {
        problem = nil
        app.switchEvent(to: eventId)
    }

    /// Fetches the event `eventId` from the app's server, then shows it.
    func add(_ eventId: String) async {
        let id = eventId.trimmingCharacters(in: .whitespaces)
        guard !id.isEmpty else { return }
        adding = id
        problem = nil
        defer { adding = nil }
        do {
            _ = try await app.repo.sync(eventId: id, serverUrl: app.serverURL)
        } catch {
            problem = Problem(error) ?? problem
            return
        }
        choose(id)
    }
}
