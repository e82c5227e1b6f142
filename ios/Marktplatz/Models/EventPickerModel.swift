import Foundation
import MarktplatzKit
import Observation

/// Several events: the ones on the device to switch between, the others the server lists, and
/// any other by its id (a protected event). The core keeps each event's content and favourites apart; switching re-targets
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
    /// The events the server offers to anyone (its list; protected ones are added by id).
    private(set) var serverEvents: [ListedEvent] = []
    /// The server's list has been read at least once.
    private(set) var serverListed = false
    /// Why the server's list could not be read (offline): the events on the device still work.
    private(set) var serverProblem: Problem?

    @ObservationIgnored private let app: AppModel

    /// The server's events not yet on this device, to add with one tap.
    var offered: [ListedEvent] {
        serverEvents.filter { listed in !events.contains { $0.id == listed.id } }
    }

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

    /// Reads the server's event list (when shown, and when the user asks again).
    func loadServerEvents() async {
        do {
            serverEvents = try await app.repo.serverEvents(serverUrl: app.serverURL)
            serverListed = true
            serverProblem = nil
        } catch {
            serverProblem = Problem(error) ?? serverProblem
        }
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
