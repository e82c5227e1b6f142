import Foundation
import MarktplatzKit
import Observation

/// What lives as long as the app: the store, the event, the sync coordinator, notifications,
/// and where a notification tap wants to go. Screen models take what they need from here.
@MainActor
@Observable
final class AppModel {
    @ObservationIgnored let repo: MarktplatzRepository
    /// The event shown; the event picker switches it (`switchEvent`), screens reload for it.
    private(set) var eventId: String
    /// Where the last event shown is kept, so it is reopened at start.
    @ObservationIgnored let lastEvent: LastEventStore
    @ObservationIgnored let serverURL = AppConfig.serverURL
    let content = ContentSignal()
    let sync: SyncCoordinator
    @ObservationIgnored let notifications = NotificationScheduler()
    @ObservationIgnored private let connectivity = Connectivity()
    /// Set when the store could not be opened (disk full, newer data file): shown instead of the app.
    private(set) var openProblem: Problem?
    /// Things the store reported when opening (a damaged file was set aside).
    private(set) var notices: [String] = []
    /// A session a tapped notification asked to show.
    var requestedSession: String?
    /// A tapped announcement's notification asked to show the announcements.
    var requestedAnnouncements = false
    /// The organiser console's sign-in link, opened from outside: organiser mode asks first.
    var requestedOrganiserLink: String?

    init(lastEvent: LastEventStore = DefaultsLastEvent()) {
        let repo: MarktplatzRepository
        var problem: Problem?
        do {
            repo = try CoreRepository.open(
                directory: AppConfig.storeDirectory, credentials: KeychainCredentials())
        } catch {
            // A store in a temporary folder keeps the UI alive to say what happened.
            problem = Problem(error) ?? Problem(kind: .storage, detail: "\(error)")
            let fallback = FileManager.default.temporaryDirectory.appending(path: UUID().uuidString)
            guard let temporary = try? CoreRepository.open(directory: fallback) else {
                fatalError("Marktplatz: no writable storage on this device: \(error)")
            }
            repo = temporary
        }
        self.repo = repo
        self.openProblem = problem
        self.notices = repo.notices()
        self.lastEvent = lastEvent
        let eventId = startEventId(lastEvent, buildEventId: AppConfig.eventId)
        self.eventId = eventId
        self.sync = SyncCoordinator(repo: repo, eventId: eventId, serverURL: AppConfig.serverURL, content: content, notifications: notifications)
    }

    /// Shows `eventId` from now on and reopens it at the next start: the indicator, following
    /// and a sync move to it, and every screen reloads.
    func switchEvent(to eventId: String) {
        lastEvent.save(eventId)
        guard eventId != self.eventId else { return }
        self.eventId = eventId
        sync.switchEvent(to: eventId)
        contentChanged()
    }

    /// Launch: listen, watch connectivity, sync in the background of the UI.
    func start() {
        sync.start()
        connectivity.start { [weak self] in
            guard let self else { return }
            Task { await self.sync.connectivityReturned() }
        }
        sync.refresh()
        Task { await sync.rescheduleReminders() }
    }

    /// The app went to the background: ask for a refresh task, then release SQLite (iOS
    /// kills an app that is suspended holding a file lock).
    func enterBackground() {
        BackgroundRefresh.schedule()
        sync.stopFollowing()
        repo.suspend()
    }

    func enterForeground() {
        repo.resume()
        content.changed()
        sync.refresh()
        // Live updates only while the app is active.
        sync.startFollowing()
    }

    /// The background app-refresh task: wake the store, sync, schedule the next, sleep again.
    func backgroundRefresh() async {
        BackgroundRefresh.schedule()
        repo.resume()
        await sync.sync()
        repo.suspend()
    }

    /// A favourite, setting or organiser change: screens reload and reminders follow.
    func contentChanged() {
        content.changed()
        Task { await sync.rescheduleReminders() }
    }
}
