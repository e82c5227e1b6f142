import Foundation

/// The agenda's filter: one station or room, one track, or both; nil shows all.
struct AgendaFilter: Codable, Equatable, Sendable {
    var locationId: String?
    var trackId: String?

    var isActive: Bool { locationId != nil || trackId != nil }
}

/// A station or room to filter by.
struct AgendaPlace: Identifiable, Equatable, Sendable {
    let id: String
    let name: String
}

/// Where each event's agenda filter is kept (injected, so a test can use memory).
protocol AgendaFilterStore {
    func load(eventId: String) -> AgendaFilter
    func save(eventId: String, filter: AgendaFilter)
}

/// UserDefaults, one key per event: the filter survives restarts and stays with its event.
struct UserDefaultsAgendaFilterStore: AgendaFilterStore {
    var defaults: UserDefaults = .standard

    func load(eventId: String) -> AgendaFilter {
        guard let data = defaults.data(forKey: key(eventId)),
              let filter = try? JSONDecoder().decode(AgendaFilter.self, from: data)
        else { return AgendaFilter() }
        return filter
    }

    func save(eventId: String, filter: AgendaFilter) {
        defaults.set(try? JSONEncoder().encode(filter), forKey: key(eventId))
    }

    private func key(_ eventId: String) -> String { "agendaFilter." + eventId }
}
