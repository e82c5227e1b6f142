import Foundation
import MarktplatzKit
import Observation

/// Stations and exhibitors (two segments of one screen).
@MainActor
@Observable
final class StationsModel {
    private(set) var stations: [StationEntry] = []
    private(set) var exhibitors: [ExhibitorEntry] = []
    private(set) var topics: [String] = []
    private(set) var favouriteExhibitors: Set<String> = []
    private(set) var loading = true
    private(set) var problem: Problem?
    var topic: String?

    @ObservationIgnored private let app: AppModel

    init(app: AppModel) {
        self.app = app
    }

    func load() async {
        do {
            let stations = try await app.repo.stations(eventId: app.eventId)
            let all = try await app.repo.exhibitors(eventId: app.eventId, stationId: nil)
            let favourites = try await app.repo.favourites(eventId: app.eventId)
            self.stations = stations.filter { $0.location.kind == .station || $0.exhibitorCount > 0 }
            topics = Array(Set(all.flatMap(\.exhibitor.topics))).sorted { $0.localizedStandardCompare($1) == .orderedAscending }
            if let topic {
                exhibitors = try await app.repo.exhibitors(eventId: app.eventId, topic: topic)
            } else {
                exhibitors = all
            }
            favouriteExhibitors = Set(favourites.filter { $0.kind == .exhibitor && $0.state != .removed }.map(\.id))
            problem = nil
        } catch {
            problem = Problem(error) ?? problem
        }
        loading = false
    }

    func toggleFavourite(_ exhibitorId: String) async {
        do {
            let isFavourite = try await app.repo.toggleFavourite(eventId: app.eventId, kind: .exhibitor, id: exhibitorId)
            if isFavourite { favouriteExhibitors.insert(exhibitorId) } else { favouriteExhibitors.remove(exhibitorId) }
            app.contentChanged()
        } catch {
            problem = Problem(error) ?? problem
        }
    }
}

/// One station: what it is about, who exhibits there, what is presented there when.
@MainActor
@Observable
final class StationDetailModel {
    let locationId: String
    private(set) var location: Location?
    private(set) var exhibitors: [ExhibitorEntry] = []
    private(set) var sessions: [SessionSummary] = []
    private(set) var loading = true
    private(set) var problem: Problem?

    @ObservationIgnored private let app: AppModel

    init(app: AppModel, locationId: String) {
        self.app = app
        self.locationId = locationId
    }

    func load() async {
        do {
            location = try await app.repo.stations(eventId: app.eventId).first { $0.location.id == locationId }?.location
            exhibitors = try await app.repo.exhibitors(eventId: app.eventId, stationId: locationId)
            sessions = try await app.repo.sessionsAtLocation(eventId: app.eventId, locationId: locationId)
            problem = location == nil ? Problem(kind: .notFound, detail: locationId) : nil
        } catch {
            problem = Problem(error) ?? problem
        }
        loading = false
    }
}

/// One exhibitor: description, topics, station, contact, favourite.
@MainActor
@Observable
final class ExhibitorDetailModel {
    let exhibitorId: String
    private(set) var entry: ExhibitorEntry?
    private(set) var favourite = false
    private(set) var logo: URL?
    private(set) var loading = true
    private(set) var problem: Problem?

    @ObservationIgnored private let app: AppModel

    init(app: AppModel, exhibitorId: String) {
        self.app = app
        self.exhibitorId = exhibitorId
    }

    func load() async {
        do {
            entry = try await app.repo.exhibitors(eventId: app.eventId, stationId: nil).first { $0.exhibitor.id == exhibitorId }
            favourite = try await app.repo.isFavourite(eventId: app.eventId, kind: .exhibitor, id: exhibitorId)
            var assetProblem: Problem?
            logo = await app.repo.cachedAssetFile(entry?.exhibitor.logo, noting: &assetProblem)
            problem = entry == nil ? Problem(kind: .notFound, detail: exhibitorId) : assetProblem
        } catch {
            problem = Problem(error) ?? problem
        }
        loading = false
    }

    func toggleFavourite() async {
        do {
            favourite = try await app.repo.toggleFavourite(eventId: app.eventId, kind: .exhibitor, id: exhibitorId)
            app.contentChanged()
        } catch {
            problem = Problem(error) ?? problem
        }
    }
}
