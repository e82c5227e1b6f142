import Foundation
import MarktplatzKit
import Observation

/// Thumbnails from the device (synced with the content); the full image on demand.
@MainActor
@Observable
final class GalleryModel {
    struct Tile: Identifiable {
        let item: GalleryItem
        let thumbnail: URL?
        var id: String { item.id }
    }

    /// The photo opened full size: its file once downloaded or cached, or why it failed.
    struct Opened: Identifiable {
        let item: GalleryItem
        var file: URL?
        var problem: Problem?
        var id: String { item.id }
    }

    private(set) var tiles: [Tile] = []
    var opened: Opened?
    private(set) var loading = true
    private(set) var problem: Problem?

    @ObservationIgnored private let app: AppModel

    init(app: AppModel) {
        self.app = app
    }

    func load() async {
        do {
            let items = try await app.repo.gallery(eventId: app.eventId)
            // A thumbnail not cached yet is a placeholder tile; a failing lookup is reported.
            var assetProblem: Problem?
            var loaded: [Tile] = []
            for item in items {
                loaded.append(Tile(item: item, thumbnail: await app.repo.cachedAssetFile(item.thumbnail ?? item.image, noting: &assetProblem)))
            }
            tiles = loaded
            problem = assetProblem
        } catch {
            problem = Problem(error) ?? problem
        }
        loading = false
    }

    /// Shows `item` full size: at once if cached, else after downloading it.
    func open(_ item: GalleryItem) async {
        opened = Opened(item: item)
        do {
            let file = try await app.repo.assetFile(eventId: app.eventId, asset: item.image)
            if opened?.id == item.id { opened?.file = file }
        } catch {
            if opened?.id == item.id { opened?.problem = Problem(error) }
        }
    }
}
