import Foundation
import MarktplatzFFI

/// `MarktplatzRepository` over the uniffi-generated `MarktplatzStore`.
public final class CoreRepository: MarktplatzRepository, @unchecked Sendable {
    private let store: MarktplatzStore

    public init(store: MarktplatzStore) {
        self.store = store
    }

    /// Opens (or creates) the store in `directory` (Application Support, excluded from backup
    /// for content; the core keeps favourites in a separate file that must be backed up).
    public static func open(directory: URL) throws -> CoreRepository {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return CoreRepository(store: try MarktplatzStore.open(dir: directory.path))
    }

    /// Runs a synchronous core call off the caller's actor.
    private func local<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await Task.detached(priority: .userInitiated) { try work() }.value
    }

    public func events() async throws -> [EventSummary] {
        try await local { try self.store.events() }
    }

    public func overview(eventId: String) async throws -> EventOverview {
        try await local { try self.store.eventOverview(eventId: eventId) }
    }

    public func agenda(eventId: String, day: LocalDate) async throws -> [SessionSummary] {
        try await local { try self.store.agenda(eventId: eventId, day: day) }
    }

    public func nowNext(eventId: String, at: Date) async throws -> NowNext {
        try await local { try self.store.nowNext(eventId: eventId, at: at) }
    }

    public func sessionDetail(eventId: String, sessionId: String) async throws -> SessionDetail {
        try await local { try self.store.sessionDetail(eventId: eventId, sessionId: sessionId) }
    }

    public func stations(eventId: String) async throws -> [StationEntry] {
        try await local { try self.store.stations(eventId: eventId) }
    }

    public func exhibitors(eventId: String, stationId: String?) async throws -> [ExhibitorEntry] {
        try await local { try self.store.exhibitors(eventId: eventId, stationId: stationId, topic: nil) }
    }

    public func speakers(eventId: String) async throws -> [Speaker] {
        try await local { try self.store.speakers(eventId: eventId) }
    }

    public func announcements(eventId: String, at: Date) async throws -> [Announcement] {
        try await local { try self.store.announcements(eventId: eventId, at: at) }
    }

    public func gallery(eventId: String) async throws -> [GalleryItem] {
        try await local { try self.store.gallery(eventId: eventId) }
    }

    public func infoPages(eventId: String) async throws -> [InfoPage] {
        try await local { try self.store.infoPages(eventId: eventId) }
    }

    public func sync(eventId: String, serverUrl: String?) async throws -> SyncOutcome {
        try await store.sync(serverUrl: serverUrl, eventId: eventId)
    }

    public func cancelSync(eventId: String) {
        store.cancelSync(eventId: eventId)
    }

    public func assetFile(eventId: String, asset: AssetRef) async throws -> URL {
        URL(fileURLWithPath: try await store.assetFile(eventId: eventId, asset: asset))
    }

    public func cachedAssetFile(asset: AssetRef) -> URL? {
        guard let path = try? store.cachedAssetFile(sha256: asset.sha256) else { return nil }
        return URL(fileURLWithPath: path)
    }

    public func toggleFavourite(eventId: String, kind: FavouriteKind, id: String) async throws -> Bool {
        try await local { try self.store.toggleFavourite(eventId: eventId, kind: kind, id: id) }
    }

    public func isFavourite(eventId: String, kind: FavouriteKind, id: String) async throws -> Bool {
        try await local { try self.store.isFavourite(eventId: eventId, kind: kind, id: id) }
    }

    public func favourites(eventId: String) async throws -> [Favourite] {
        try await local { try self.store.favourites(eventId: eventId) }
    }

    public func personalAgenda(eventId: String, day: LocalDate) async throws -> PersonalAgenda {
        try await local { try self.store.personalAgenda(eventId: eventId, day: day) }
    }

    public func alerts(eventId: String, includeSeen: Bool) async throws -> [ChangeAlert] {
        try await local { try self.store.alerts(eventId: eventId, includeSeen: includeSeen) }
    }

    public func markAllAlertsSeen(eventId: String) async throws {
        _ = try await local { try self.store.markAllAlertsSeen(eventId: eventId) }
    }

    public func reminders(eventId: String, now: Date) async throws -> [Reminder] {
        try await local { try self.store.reminders(eventId: eventId, now: now) }
    }

    public func calendar(eventId: String, selection: CalendarSelection) async throws -> String {
        try await local { try self.store.exportCalendar(eventId: eventId, selection: selection, now: Date()) }
    }

    public func shareCode(eventId: String) async throws -> String {
        try await local { try self.store.shareCode(eventId: eventId) }
    }

    public func readShareCode(_ code: String) async throws -> SharedFavourites {
        try await local { try self.store.readShareCode(code: code) }
    }

    public func updates() -> AsyncStream<Update> {
        AsyncStream { continuation in
            let handle = store.subscribe(listener: StreamListener(continuation))
            continuation.onTermination = { _ in handle.cancel() }
        }
    }

    public func syncProgress(eventId: String) -> AsyncStream<Progress> {
        let all = updates()
        return AsyncStream { continuation in
            let task = Task {
                for await update in all {
                    if case let .syncProgress(progress) = update, progress.eventId == eventId {
                        continuation.yield(progress)
                    }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    public func suspend() {
        store.suspend()
    }

    public func resume() {
        store.resume()
    }
}

/// Feeds core notices into an AsyncStream; never throws back into the core.
private final class StreamListener: UpdateListener, @unchecked Sendable {
    private let continuation: AsyncStream<Update>.Continuation

    init(_ continuation: AsyncStream<Update>.Continuation) {
        self.continuation = continuation
    }

    func onUpdate(update: Update) throws {
        continuation.yield(update)
    }
}
