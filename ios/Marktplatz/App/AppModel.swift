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
    @ObservationIgnored private var wakefulness = StoreWakefulness()
    /// Suspending and resuming run here, one after the other: a suspend still running when the
    /// app comes back is finished before the resume.
    @ObservationIgnored private let storeLifecycle = DispatchQueue(label: "de.marktplatz.store-lifecycle")
    /// Things the store reported when opening (a damaged file was set aside).
    private(set) var notices: [String] = []
    /// A session a tapped notification asked to show.
    var requestedSession: String?
    /// A tapped announcement's notification asked to show the announcements.
    var requestedAnnouncements = false
    /// The organiser console's sign-in link, opened from outside: organiser mode asks first.
    var requestedOrganiserLink: String?

    /// `repo` is opened by `AppLauncher`, off the main actor.
    init(repo: MarktplatzRepository, lastEvent: LastEventStore = DefaultsLastEvent()) {
        self.repo = repo
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

    /// Launch: listen, watch connectivity, sync in the background of the UI; follow the event
    /// if the app is on the screen (the scene may have become active while the store opened).
    func start(inForeground: Bool) {
        sync.start()
        connectivity.start { [weak self] in
            guard let self else { return }
            Task { await self.sync.connectivityReturned() }
        }
        if inForeground {
            apply(wakefulness.enteredForeground())
            sync.startFollowing()
        }
        sync.refresh()
        Task { await sync.rescheduleReminders() }
    }

    /// The app went to the background: ask for a refresh task, stop following, and let the
    /// store sleep unless a refresh runs.
    func enterBackground() {
        BackgroundRefresh.schedule()
        sync.stopFollowing()
        apply(wakefulness.enteredBackground())
    }

    func enterForeground() {
        apply(wakefulness.enteredForeground())
        content.changed()
        sync.refresh()
        // Live updates only while the app is active.
        sync.startFollowing()
    }

    /// The background app-refresh task: wake the store, sync, schedule the next; the store
    /// sleeps again only if the app is still in the background.
    func backgroundRefresh() async {
        BackgroundRefresh.schedule()
        apply(wakefulness.refreshBegan())
        await sync.sync()
        apply(wakefulness.refreshEnded())
    }

    /// Resumes at once (screens read next); suspends off the main actor, under a background
    /// task so iOS lets the store finish its writes and release its files before suspending
    /// the app.
    private func apply(_ action: StoreWakefulness.Action) {
        let repo = repo
        switch action {
        case .none:
            break
        case .wake:
            storeLifecycle.sync { repo.resume() }
        case .sleep:
            let finishing = BackgroundWork.begin("Marktplatz: release the store")
            storeLifecycle.async {
                repo.suspend()
                finishing.end()
            }
        }
    }

    /// A favourite, setting or organiser change: screens reload and reminders follow.
    func contentChanged() {
        content.changed()
        Task { await sync.rescheduleReminders() }
    }
}
