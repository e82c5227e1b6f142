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

    /// Opens the store in `directory` with secrets (organiser tokens) in `credentials`, the
    /// app's Keychain (`KeychainCredentials`).
    public static func open(directory: URL, credentials: CredentialStore) throws -> CoreRepository {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return CoreRepository(
            store: try MarktplatzStore.openWithCredentials(dir: directory.path, credentials: credentials))
    }

    /// Runs a synchronous core call off the caller's actor.
    private func local<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await Task.detached(priority: .userInitiated) { try work() }.value
    }

    public func events() async throws -> [EventSummary] {
        try await local { try self.store.events() }
    }

    public func serverEvents(serverUrl: String) async throws -> [ListedEvent] {
        try await store.serverEvents(serverUrl: serverUrl)
    }

    public func overview(eventId: String) async throws -> EventOverview {
        try await local { try self.store.eventOverview(eventId: eventId) }
    }

    public func agenda(eventId: String, day: LocalDate) async throws -> [SessionSummary] {
        try await local { try self.store.agenda(eventId: eventId, day: day) }
    }

    public func agendaDay(eventId: String, at: Date) async throws -> LocalDate {
        try await local { try self.store.agendaDay(eventId: eventId, at: at) }
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

    public func locations(eventId: String) async throws -> [Location] {
        try await local { try self.store.locations(eventId: eventId) }
    }

    public func sessionsAtLocation(eventId: String, locationId: String) async throws -> [SessionSummary] {
        try await local { try self.store.sessionsAtLocation(eventId: eventId, locationId: locationId) }
    }

    public func tracks(eventId: String) async throws -> [Track] {
        try await local { try self.store.tracks(eventId: eventId) }
    }

    public func sessionsInTrack(eventId: String, trackId: String) async throws -> [SessionSummary] {
        try await local { try self.store.sessionsInTrack(eventId: eventId, trackId: trackId) }
    }

    public func exhibitors(eventId: String, stationId: String?) async throws -> [ExhibitorEntry] {
        try await local { try self.store.exhibitors(eventId: eventId, stationId: stationId, topic: nil) }
    }

    public func exhibitors(eventId: String, topic: String) async throws -> [ExhibitorEntry] {
        try await local { try self.store.exhibitors(eventId: eventId, stationId: nil, topic: topic) }
    }

    public func speakers(eventId: String) async throws -> [Speaker] {
        try await local { try self.store.speakers(eventId: eventId) }
    }

    public func speaker(eventId: String, speakerId: String) async throws -> Speaker {
        try await local { try self.store.speaker(eventId: eventId, speakerId: speakerId) }
    }

    public func sessionsOfSpeaker(eventId: String, speakerId: String) async throws -> [SessionSummary] {
        try await local { try self.store.sessionsOfSpeaker(eventId: eventId, speakerId: speakerId) }
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

    public func notices() -> [String] {
        store.notices()
    }

    public func search(query: SearchQuery) async throws -> [SearchHit] {
        try await local { try self.store.search(query: query) }
    }

    public func searchAsYouType(field: SearchField, ticket: UInt64, query: SearchQuery) async throws -> [SearchHit] {
        try await local { try self.store.searchAsYouType(field: field, ticket: ticket, query: query) }
    }

    public func warmSearch() async throws {
        try await local { try self.store.warmSearch() }
    }

    public func setAccessCode(eventId: String, code: String?) async throws {
        try await local { try self.store.setAccessCode(eventId: eventId, code: code) }
    }

    public func hasAccessCode(eventId: String) async throws -> Bool {
        try await local { try self.store.hasAccessCode(eventId: eventId) }
    }

    public func sync(eventId: String, serverUrl: String?) async throws -> SyncOutcome {
        try await store.sync(serverUrl: serverUrl, eventId: eventId)
    }

    public func cancelSync(eventId: String) {
        store.cancelSync(eventId: eventId)
    }

    public func follow(eventId: String, serverUrl: String?) throws -> FollowHandle {
        try store.follow(serverUrl: serverUrl, eventId: eventId)
    }

    public func assetFile(eventId: String, asset: AssetRef) async throws -> URL {
        URL(fileURLWithPath: try await store.assetFile(eventId: eventId, asset: asset))
    }

    public func cachedAssetFile(asset: AssetRef) async throws -> URL? {
        let sha256 = asset.sha256
        guard let path = try await local({ try self.store.cachedAssetFile(sha256: sha256) }) else { return nil }
        return URL(fileURLWithPath: path)
    }

    public func toggleFavourite(eventId: String, kind: FavouriteKind, id: String) async throws -> Bool {
        try await local { try self.store.toggleFavourite(eventId: eventId, kind: kind, id: id) }
    }

    public func removeFavourite(eventId: String, kind: FavouriteKind, id: String) async throws -> Bool {
        try await local { try self.store.removeFavourite(eventId: eventId, kind: kind, id: id) }
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

    public func markAlertsSeen(eventId: String, alertIds: [Int64]) async throws {
        _ = try await local { try self.store.markAlertsSeen(eventId: eventId, alertIds: alertIds) }
    }

    public func markAllAlertsSeen(eventId: String) async throws {
        _ = try await local { try self.store.markAllAlertsSeen(eventId: eventId) }
    }

    public func unseenAlertCount(eventId: String) async throws -> Int {
        Int(try await local { try self.store.unseenAlertCount(eventId: eventId) })
    }

    public func takeAlertsToNotify(eventId: String) async throws -> [ChangeAlert] {
        try await local { try self.store.takeAlertsToNotify(eventId: eventId) }
    }

    public func takeAnnouncementsToNotify(eventId: String, at: Date) async throws -> [Announcement] {
        try await local { try self.store.takeAnnouncementsToNotify(eventId: eventId, at: at) }
    }

    public func reminders(eventId: String, now: Date) async throws -> [Reminder] {
        try await local { try self.store.reminders(eventId: eventId, now: now) }
    }

    public func reminderLeadMinutes() async throws -> Int {
        Int(try await local { try self.store.reminderLeadMinutes() })
    }

    public func setReminderLeadMinutes(_ minutes: Int) async throws {
        try await local { try self.store.setReminderLeadMinutes(minutes: UInt32(clamping: minutes)) }
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

    public func addFavourite(eventId: String, kind: FavouriteKind, id: String, note: String?) async throws -> Bool {
        try await local { try self.store.addFavourite(eventId: eventId, kind: kind, id: id, note: note) }
    }

    public func setFavouriteNote(eventId: String, kind: FavouriteKind, id: String, note: String?) async throws {
        try await local { try self.store.setFavouriteNote(eventId: eventId, kind: kind, id: id, note: note) }
    }

    public func favouritesNowNext(eventId: String, at: Date) async throws -> NowNext {
        try await local { try self.store.favouritesNowNext(eventId: eventId, at: at) }
    }

    public func signInAsOrganiser(eventId: String, serverUrl: String, token: String) async throws {
        try await local { try self.store.setOrganiser(eventId: eventId, serverUrl: serverUrl, token: token) }
    }

    public func signOutAsOrganiser(eventId: String) async throws {
        try await local { try self.store.forgetOrganiser(eventId: eventId) }
    }

    public func organiser(eventId: String) async throws -> OrganiserInfo? {
        try await local { try self.store.organiser(eventId: eventId) }
    }

    public func newEntityId(prefix: String) -> String {
        MarktplatzFFI.newEntityId(prefix: prefix)
    }

    public func queue(eventId: String, op: Op) async throws -> OutboxEntry {
        try await local { try self.store.queueOp(eventId: eventId, op: op) }
    }

    public func queuePhoto(eventId: String, bytes: Data, caption: String, credit: String, takenAt: Date?) async throws -> OutboxEntry {
        try await local {
            try self.store.queuePhoto(eventId: eventId, bytes: bytes, caption: caption, credit: credit, takenAt: takenAt)
        }
    }

    public func queueHallPlan(eventId: String, bytes: Data) async throws -> OutboxEntry {
        try await local { try self.store.queueHallPlan(eventId: eventId, bytes: bytes) }
    }

    public func outbox(eventId: String, includeDone: Bool) async throws -> [OutboxEntry] {
        try await local { try self.store.outbox(eventId: eventId, includeDone: includeDone) }
    }

    public func dismissOp(outboxId: Int64) async throws {
        try await local { try self.store.dismissOp(outboxId: outboxId) }
    }

    public func retryRejected(outboxId: Int64) async throws -> OutboxEntry {
        try await local { try self.store.retryRejected(outboxId: outboxId) }
    }

    public func nextPushAttemptAt(eventId: String) async throws -> Date? {
        try await local { try self.store.nextPushAttemptAt(eventId: eventId) }
    }

    public func push(eventId: String) async throws -> PushReport {
        try await store.push(eventId: eventId)
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
