import Foundation

/// Where the app keeps the id of the event shown last (plain defaults: it is no secret).
protocol LastEventStore {
    func load() -> String?
    func save(_ eventId: String)
}

/// The last event in `UserDefaults`.
struct DefaultsLastEvent: LastEventStore {
    private let key = "lastEventId"

    func load() -> String? {
        UserDefaults.standard.string(forKey: key)
    }

    func save(_ eventId: String) {
        UserDefaults.standard.set(eventId, forKey: key)
    }
}

/// A `LastEventStore` in memory (previews; a process that must not persist).
final class InMemoryLastEvent: LastEventStore {
    private var eventId: String?

    init(_ eventId: String? = nil) {
        self.eventId = eventId
    }

    func load() -> String? { eventId }

    func save(_ eventId: String) {
        self.eventId = eventId
    }
}

/// The event to open at start: the one shown last, else the build's own.
func startEventId(_ store: LastEventStore, buildEventId: String) -> String {
    guard let last = store.load()?.trimmingCharacters(in: .whitespaces), !last.isEmpty else { return buildEventId }
    return last
}
