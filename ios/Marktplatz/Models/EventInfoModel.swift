import Foundation
import MarktplatzKit
import Observation

/// The event, its venue and the organisers' info pages.
@MainActor
@Observable
final class EventInfoModel {
    private(set) var overview: EventOverview?
    private(set) var pages: [InfoPage] = []
    private(set) var mapFile: URL?
    private(set) var logoFile: URL?
    private(set) var loading = true
    private(set) var problem: Problem?

    @ObservationIgnored private let app: AppModel

    init(app: AppModel) {
        self.app = app
    }

    func load() async {
        do {
            let overview = try await app.repo.overview(eventId: app.eventId)
            pages = try await app.repo.infoPages(eventId: app.eventId).sorted { $0.sortOrder < $1.sortOrder }
            // Not cached yet: not shown; a failing lookup is reported beside the rest.
            var assetProblem: Problem?
            mapFile = await app.repo.cachedAssetFile(overview.event.venue.map, noting: &assetProblem)
            logoFile = await app.repo.cachedAssetFile(overview.event.logo, noting: &assetProblem)
            self.overview = overview
            problem = assetProblem
        } catch {
            problem = Problem(error) ?? problem
        }
        loading = false
    }
}
