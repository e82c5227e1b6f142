import Foundation
import MarktplatzKit
import Observation

/// How one sync ended (the background task reports success from it).
enum SyncResult: Sendable {
    case updated(SyncOutcome)
    case failed(Problem)
    /// Stopped by `suspend()` or a cancel: try again later.
    case stopped
}

/// Runs syncs — at launch, on pull-to-refresh, when connectivity returns, in the background
/// refresh task — one at a time (a second caller waits for the running one), and afterwards
/// reschedules the reminders and posts the change alerts and urgent announcements the core
/// hands out. While the app is active it follows the event (`startFollowing`), so a change
/// arrives within a second. It also hears syncs it did not start (the core tells every
/// listener), so the quiet indicator follows them.
@MainActor
@Observable
final class SyncCoordinator {
    /// When the device last heard from the server (nil: never).
    private(set) var lastUpdated: Date?
    private(set) var running = false
    /// 0...1 while content or assets arrive.
    private(set) var progress: Double?
    /// Why the last sync failed; cleared by the next one that succeeds.
    private(set) var problem: Problem?

    @ObservationIgnored private let repo: MarktplatzRepository
    @ObservationIgnored private var eventId: String
    @ObservationIgnored private let serverURL: String
    @ObservationIgnored private let content: ContentSignal
    @ObservationIgnored private let notifications: NotificationScheduler
    @ObservationIgnored private var current: Task<SyncResult, Never>?
    @ObservationIgnored private var listening: Task<Void, Never>?
    @ObservationIgnored private var following: FollowHandle?

    init(repo: MarktplatzRepository, eventId: String, serverURL: String, content: ContentSignal, notifications: NotificationScheduler) {
        self.repo = repo
        self.eventId = eventId
        self.serverURL = serverURL
        self.content = content
        self.notifications = notifications
    }

    /// Starts listening to the core's notices and reads when content was last updated.
    func start() {
        guard listening == nil else { return }
        let updates = repo.updates()
        listening = Task { [weak self] in
            for await update in updates {
                self?.heard(update)
            }
        }
        readLastUpdated()
    }

    /// The app switched events: the indicator, following and a sync move to `eventId`.
    func switchEvent(to eventId: String) {
        guard eventId != self.eventId else { return }
        let wasFollowing = following != nil
        stopFollowing()
        self.eventId = eventId
        lastUpdated = nil
        problem = nil
        progress = nil
        readLastUpdated()
        if wasFollowing { startFollowing() }
        refresh()
    }

    /// Stops the running sync between two pages (what arrived stays; the next sync carries on).
    func cancel() {
        repo.cancelSync(eventId: eventId)
    }

    /// When the shown event was last synced, from the store (a sync heard meanwhile wins).
    private func readLastUpdated() {
        let eventId = eventId
        Task {
            let events = try? await repo.events()
            lastUpdated = lastUpdated ?? events?.first { $0.id == eventId }?.lastSyncedAt
        }
    }

    /// Pull-to-refresh and app start: a sync unless one runs.
    func refresh() {
        Task { _ = await sync() }
    }

    /// Syncs now, or waits for the sync already running. Never throws: content stays as it
    /// was and the indicator says why. The core's sync sends the organiser's outbox first.
    @discardableResult
    func sync() async -> SyncResult {
        if let current { return await current.value }
        let task = Task { await run() }
        current = task
        let result = await task.value
        current = nil
        return result
    }

    /// Whether the last sync was refused for want of the event's access code (the root view
    /// then asks for it).
    var needsAccessCode: Bool {
        problem?.kind == .accessCode || problem?.kind == .accessCodeWrong
    }

    /// The attendee typed the event's access code: it is stored and the event synced with it.
    @discardableResult
    func enterAccessCode(_ code: String) async -> SyncResult {
        do {
            try await repo.setAccessCode(eventId: eventId, code: code)
        } catch {
            let failure = Problem(error) ?? Problem(kind: .invalidInput, detail: "\(error)")
            problem = failure
            return .failed(failure)
        }
        return await sync()
    }

    /// The app became active: follow the event until `stopFollowing` (one loop at most).
    func startFollowing() {
        if following?.isRunning() == true { return }
        following?.cancel()
        do {
            following = try repo.follow(eventId: eventId, serverUrl: serverURL)
        } catch {
            following = nil
            problem = Problem(error) ?? problem
        }
    }

    /// The app left the foreground: stop following (the background refresh takes over).
    func stopFollowing() {
        following?.cancel()
        following = nil
    }

    /// Connectivity came back: send what the organiser queued and pull what changed.
    func connectivityReturned() async {
        await sync()
    }

    /// Replaces the scheduled reminders with the core's current list (after a favourite or
    /// the lead time changed, and after every sync).
    func rescheduleReminders() async {
        guard let reminders = try? await repo.reminders(eventId: eventId, now: Date()) else { return }
        let zone = ReminderTrigger.zone(named: try? await repo.overview(eventId: eventId).event.timezone)
        await notifications.replaceReminders(reminders, timeZone: zone)
    }

    private func run() async -> SyncResult {
        running = true
        progress = nil
        let result: SyncResult
        do {
            result = .updated(try await repo.sync(eventId: eventId, serverUrl: serverURL))
        } catch {
            result = Problem(error).map(SyncResult.failed) ?? .stopped
        }
        running = false
        progress = nil
        switch result {
        case .updated(let outcome):
            lastUpdated = outcome.syncedAt
            problem = nil
            await afterSync()
        case .failed(let failure):
            problem = failure
        case .stopped:
            break
        }
        return result
    }

    private func afterSync() async {
        await rescheduleReminders()
        await notifyNews()
    }

    /// Posts what the core hands out as news: change alerts of favourites and urgent
    /// announcements. Each is handed out once, so running this twice for one change is harmless.
    private func notifyNews() async {
        if let alerts = try? await repo.takeAlertsToNotify(eventId: eventId), !alerts.isEmpty {
            await notifications.showChangeAlerts(alerts)
        }
        if let urgent = try? await repo.takeAnnouncementsToNotify(eventId: eventId, at: Date()), !urgent.isEmpty {
            await notifications.showAnnouncements(urgent)
        }
    }

    private func heard(_ update: Update) {
        switch update {
        case .syncProgress(let progress) where progress.eventId == eventId:
            running = true
            self.progress = Self.fraction(progress)
        case .syncFinished(let outcome) where outcome.eventId == eventId:
            running = false
            progress = nil
            lastUpdated = outcome.syncedAt
            problem = nil
            if !outcome.changed.isEmpty || outcome.rebootstrapped {
                content.changed()
                // A followed answer (or a sync started elsewhere) may bring news too.
                Task { await notifyNews() }
            }
        case .syncFailed(let failedEvent, _) where failedEvent == eventId:
            running = false
            progress = nil
        case .alerts(let notice) where notice.eventId == eventId:
            content.changed()
        default:
            break
        }
    }

    /// Content pages by sequence number, then assets by count.
    private static func fraction(_ progress: Progress) -> Double? {
        switch progress.phase {
        case .checking:
            return nil
        case .content:
            return progress.seqTotal == 0 ? nil : min(1, Double(progress.seqDone) / Double(progress.seqTotal))
        case .assets:
            return progress.assetsTotal == 0 ? nil : min(1, Double(progress.assetsDone) / Double(progress.assetsTotal))
        case .done:
            return 1
        }
    }
}
