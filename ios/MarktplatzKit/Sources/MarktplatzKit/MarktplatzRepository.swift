import Foundation
@_exported import MarktplatzFFI

/// What the app's `@Observable` models use. Local calls hop off the main actor; network calls
/// are the core's own async functions (they run on the core's runtime, and cancelling the Swift
/// task drops the call, which stops the sync between two pages).
public protocol MarktplatzRepository: Sendable {
    func events() async throws -> [EventSummary]
    /// The events `serverUrl` offers to anyone (protected ones are not listed); stores nothing.
    func serverEvents(serverUrl: String) async throws -> [ListedEvent]
    func overview(eventId: String) async throws -> EventOverview
    func agenda(eventId: String, day: LocalDate) async throws -> [SessionSummary]
    /// The day the agenda opens on: today's conference day, else the next, else the last.
    func agendaDay(eventId: String, at: Date) async throws -> LocalDate
    func nowNext(eventId: String, at: Date) async throws -> NowNext
    func sessionDetail(eventId: String, sessionId: String) async throws -> SessionDetail
    func stations(eventId: String) async throws -> [StationEntry]
    func locations(eventId: String) async throws -> [Location]
    func sessionsAtLocation(eventId: String, locationId: String) async throws -> [SessionSummary]
    func tracks(eventId: String) async throws -> [Track]
    func sessionsInTrack(eventId: String, trackId: String) async throws -> [SessionSummary]
    func exhibitors(eventId: String, stationId: String?) async throws -> [ExhibitorEntry]
    func exhibitors(eventId: String, topic: String) async throws -> [ExhibitorEntry]
    func speakers(eventId: String) async throws -> [Speaker]
    func speaker(eventId: String, speakerId: String) async throws -> Speaker
    func sessionsOfSpeaker(eventId: String, speakerId: String) async throws -> [SessionSummary]
    func announcements(eventId: String, at: Date) async throws -> [Announcement]
    func gallery(eventId: String) async throws -> [GalleryItem]
    func infoPages(eventId: String) async throws -> [InfoPage]
    /// Things to tell the user from opening the store (a damaged file set aside).
    func notices() -> [String]

    func search(query: SearchQuery) async throws -> [SearchHit]
    /// Like `search`, for the keystroke of `ticket` (`field.takeTicket()`, taken on the keystroke
    /// itself): once a newer ticket was taken it throws `ApiError.Cancelled`, which the caller
    /// ignores, so only the last keystroke's hits arrive.
    func searchAsYouType(field: SearchField, ticket: UInt64, query: SearchQuery) async throws -> [SearchHit]
    /// Loads the search's in-memory state, so the first keystroke does not wait for it.
    func warmSearch() async throws

    /// Remembers the access code of a protected event (every later sync sends it); nil forgets it.
    func setAccessCode(eventId: String, code: String?) async throws
    func hasAccessCode(eventId: String) async throws -> Bool

    func sync(eventId: String, serverUrl: String?) async throws -> SyncOutcome
    func cancelSync(eventId: String)
    /// Follows the event while the app is active: each change arrives within a second as
    /// `Update.syncFinished`. Stops when the handle is cancelled or released; one loop per
    /// event (following again replaces it); `suspend()` pauses it and `resume()` restarts it.
    func follow(eventId: String, serverUrl: String?) throws -> FollowHandle
    func assetFile(eventId: String, asset: AssetRef) async throws -> URL
    /// The asset's file if it is on the device already (nil: not downloaded). Async because it
    /// reads the disk: the screens' models run on the main actor.
    /// Nil: not cached yet; throws when the store cannot say (the screen shows why).
    func cachedAssetFile(asset: AssetRef) async throws -> URL?

    func toggleFavourite(eventId: String, kind: FavouriteKind, id: String) async throws -> Bool
    func removeFavourite(eventId: String, kind: FavouriteKind, id: String) async throws -> Bool
    func isFavourite(eventId: String, kind: FavouriteKind, id: String) async throws -> Bool
    func favourites(eventId: String) async throws -> [Favourite]
    func personalAgenda(eventId: String, day: LocalDate) async throws -> PersonalAgenda
    func alerts(eventId: String, includeSeen: Bool) async throws -> [ChangeAlert]
    func markAlertsSeen(eventId: String, alertIds: [Int64]) async throws
    func markAllAlertsSeen(eventId: String) async throws
    func unseenAlertCount(eventId: String) async throws -> Int
    /// Unseen alerts not yet notified in their current form, marked notified: post one each.
    func takeAlertsToNotify(eventId: String) async throws -> [ChangeAlert]
    /// Urgent announcements to post now, each once; never the first sync's backlog, never
    /// expired or retracted ones.
    func takeAnnouncementsToNotify(eventId: String, at: Date) async throws -> [Announcement]
    func reminders(eventId: String, now: Date) async throws -> [Reminder]
    func reminderLeadMinutes() async throws -> Int
    func setReminderLeadMinutes(_ minutes: Int) async throws
    func calendar(eventId: String, selection: CalendarSelection) async throws -> String
    func shareCode(eventId: String) async throws -> String
    func readShareCode(_ code: String) async throws -> SharedFavourites
    /// Adds a favourite (the entity must exist); false if it already was one.
    func addFavourite(eventId: String, kind: FavouriteKind, id: String, note: String?) async throws -> Bool
    /// Sets (or, with nil, clears) the note on a favourite.
    func setFavouriteNote(eventId: String, kind: FavouriteKind, id: String, note: String?) async throws
    /// What of my favourite sessions runs at `at` and comes next.
    func favouritesNowNext(eventId: String, at: Date) async throws -> NowNext

    // Organiser mode: operations show at once and are sent when online (push or next sync).
    func signInAsOrganiser(eventId: String, serverUrl: String, token: String) async throws
    func signOutAsOrganiser(eventId: String) async throws
    func organiser(eventId: String) async throws -> OrganiserInfo?
    /// A fresh id for an entity the organiser creates (`announcement-…`).
    func newEntityId(prefix: String) -> String
    func queue(eventId: String, op: Op) async throws -> OutboxEntry
    func queuePhoto(eventId: String, bytes: Data, caption: String, credit: String, takenAt: Date?) async throws -> OutboxEntry
    /// A new hall plan (JPEG or PNG bytes), stripped like a photo; the pins keep their fractions.
    func queueHallPlan(eventId: String, bytes: Data) async throws -> OutboxEntry
    func outbox(eventId: String, includeDone: Bool) async throws -> [OutboxEntry]
    func dismissOp(outboxId: Int64) async throws
    func retryRejected(outboxId: Int64) async throws -> OutboxEntry
    /// When the outbox wants its next attempt (after a failed one), if anything waits.
    func nextPushAttemptAt(eventId: String) async throws -> Date?
    /// Call when connectivity returns; nothing queued is lost when it fails.
    func push(eventId: String) async throws -> PushReport

    /// Every notice from the core (sync progress and outcomes, change alerts). The stream
    /// unsubscribes when its consumer stops iterating.
    func updates() -> AsyncStream<Update>
    func syncProgress(eventId: String) -> AsyncStream<Progress>

    /// Call when the app moves to the background: returns once no SQLite transaction is open,
    /// so iOS never suspends the process holding a file lock (0xdead10cc).
    func suspend()
    func resume()
}
