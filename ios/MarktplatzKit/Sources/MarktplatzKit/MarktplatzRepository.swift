import Foundation
@_exported import MarktplatzFFI

/// What the app's `@Observable` models use. Local calls hop off the main actor; network calls
/// are the core's own async functions (they run on the core's runtime, and cancelling the Swift
/// task drops the call, which stops the sync between two pages).
public protocol MarktplatzRepository: Sendable {
    func events() async throws -> [EventSummary]
    func overview(eventId: String) async throws -> EventOverview
    func agenda(eventId: String, day: LocalDate) async throws -> [SessionSummary]
    func nowNext(eventId: String, at: Date) async throws -> NowNext
    func sessionDetail(eventId: String, sessionId: String) async throws -> SessionDetail
    func stations(eventId: String) async throws -> [StationEntry]
    func exhibitors(eventId: String, stationId: String?) async throws -> [ExhibitorEntry]
    func speakers(eventId: String) async throws -> [Speaker]
    func announcements(eventId: String, at: Date) async throws -> [Announcement]
    func gallery(eventId: String) async throws -> [GalleryItem]
    func infoPages(eventId: String) async throws -> [InfoPage]

    func sync(eventId: String, serverUrl: String?) async throws -> SyncOutcome
    func cancelSync(eventId: String)
    func assetFile(eventId: String, asset: AssetRef) async throws -> URL
    func cachedAssetFile(asset: AssetRef) -> URL?

    func toggleFavourite(eventId: String, kind: FavouriteKind, id: String) async throws -> Bool
    func isFavourite(eventId: String, kind: FavouriteKind, id: String) async throws -> Bool
    func favourites(eventId: String) async throws -> [Favourite]
    func personalAgenda(eventId: String, day: LocalDate) async throws -> PersonalAgenda
    func alerts(eventId: String, includeSeen: Bool) async throws -> [ChangeAlert]
    func markAllAlertsSeen(eventId: String) async throws
    func reminders(eventId: String, now: Date) async throws -> [Reminder]
    func calendar(eventId: String, selection: CalendarSelection) async throws -> String
    func shareCode(eventId: String) async throws -> String
    func readShareCode(_ code: String) async throws -> SharedFavourites

    /// Every notice from the core (sync progress and outcomes, change alerts). The stream
    /// unsubscribes when its consumer stops iterating.
    func updates() -> AsyncStream<Update>
    func syncProgress(eventId: String) -> AsyncStream<Progress>

    /// Call when the app moves to the background: returns once no SQLite transaction is open,
    /// so iOS never suspends the process holding a file lock (0xdead10cc).
    func suspend()
    func resume()
}
