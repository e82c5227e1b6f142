import Foundation
import MarktplatzKit
import Observation

/// A place drawn on the plan: `x` and `y` are fractions (0...1) of the plan's width and height.
struct MapPin: Identifiable, Equatable {
    let stationId: String
    let label: String
    let x: Double
    let y: Double
    var id: String { stationId }
}

/// A place in the screen-reader list; `pinned` is false when the plan does not show it.
struct MapListEntry: Identifiable, Equatable {
    let stationId: String
    let label: String
    let pinned: Bool
    var id: String { stationId }
}

/// What "show on map" asks to highlight: a station, or the place of a session.
enum MapFocus: Hashable {
    case station(String)
    case session(String)
}

/// The venue plan with a pin per place from its position (fractions of the plan), and the
/// same places as a list for VoiceOver (mirrors the Android `HallMapModel`).
@MainActor
@Observable
final class HallMapModel {
    /// The plan image on the device (nil until downloaded, or if the event has none).
    private(set) var mapFile: URL?
    /// Width divided by height of the plan, when the content says.
    private(set) var aspectRatio: Double?
    /// Every place with a position, in the hall's order (the core's: sort order, then name).
    private(set) var pins: [MapPin] = []
    /// Every place in reading order of the plan; those without a position last.
    private(set) var list: [MapListEntry] = []
    /// The place asked for ("show on map"), drawn stronger.
    private(set) var highlighted: String?
    private(set) var loading = true
    private(set) var problem: Problem?

    @ObservationIgnored private let app: AppModel
    @ObservationIgnored private let focus: MapFocus?

    init(app: AppModel, focus: MapFocus?) {
        self.app = app
        self.focus = focus
    }

    func load() async {
        do {
            let stations = try await app.repo.stations(eventId: app.eventId)
            switch focus {
            case .station(let id): highlighted = id
            case .session(let id): highlighted = try await app.repo.sessionDetail(eventId: app.eventId, sessionId: id).summary.locationId
            case nil: highlighted = nil
            }
            let map = try await app.repo.overview(eventId: app.eventId).event.venue.map
            pins = Self.pins(of: stations)
            list = Self.readingOrder(of: stations)
            aspectRatio = map.flatMap { asset in
                guard let width = asset.width, let height = asset.height, width > 0, height > 0 else { return nil }
                return Double(width) / Double(height)
            }
            problem = nil
            if let map {
                // The plan comes with the content's assets; fetch it only if that sync did not.
                // (The repository looks in the store off the main actor.)
                if let cached = try await app.repo.cachedAssetFile(asset: map) {
                    mapFile = cached
                } else {
                    mapFile = try await app.repo.assetFile(eventId: app.eventId, asset: map)
                }
            }
        } catch {
            problem = Problem(error) ?? problem
        }
        loading = false
    }

    /// Pins of the places that have a position, in the core's (the hall's) order.
    static func pins(of stations: [StationEntry]) -> [MapPin] {
        stations.compactMap { entry in
            entry.location.position.map { MapPin(stationId: entry.location.id, label: entry.location.name, x: $0.x, y: $0.y) }
        }
    }

    /// Two positions this close in height (a twentieth of the plan) stand in one row.
    static let rowTolerance = 0.05

    /// Places as a reader scans the plan: rows top to bottom, each left to right; places
    /// without a position follow in the core's order.
    static func readingOrder(of stations: [StationEntry]) -> [MapListEntry] {
        let placed = stations.compactMap { entry in entry.location.position.map { (entry, $0) } }
            .sorted { $0.1.y < $1.1.y }
        var rows: [[(StationEntry, MapPosition)]] = []
        for place in placed {
            if let first = rows.last?.first, abs(first.1.y - place.1.y) <= rowTolerance {
                rows[rows.count - 1].append(place)
            } else {
                rows.append([place])
            }
        }
        let ordered = rows.flatMap { row in row.sorted { $0.1.x < $1.1.x } }.map(\.0)
        let unplaced = stations.filter { $0.location.position == nil }
        return ordered.map { MapListEntry(stationId: $0.location.id, label: $0.location.name, pinned: true) }
            + unplaced.map { MapListEntry(stationId: $0.location.id, label: $0.location.name, pinned: false) }
    }
}
