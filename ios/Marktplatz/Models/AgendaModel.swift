import Foundation
import MarktplatzKit
import Observation

/// Today's agenda: day tabs, the day's sessions, what runs now and what comes next.
@MainActor
@Observable
final class AgendaModel {
    private(set) var days: [LocalDate] = []
    private(set) var day: LocalDate?
    /// The day's sessions the filter lets through.
    private(set) var sessions: [SessionSummary] = []
    private(set) var filter = AgendaFilter()
    /// The event's tracks, to filter by.
    private(set) var tracks: [Track] = []
    /// The stations and rooms of the day's sessions (id and name, in first-use order), to filter by.
    private(set) var places: [AgendaPlace] = []
    private(set) var now: [SessionSummary] = []
    private(set) var next: [SessionSummary] = []
    private(set) var favourites: Set<String> = []
    private(set) var loading = true
    private(set) var problem: Problem?

    @ObservationIgnored private let app: AppModel
    /// The day the user picked; until then the core's choice (today, else the next day).
    @ObservationIgnored private var picked: LocalDate?
    /// Where the filter is kept per event.
    @ObservationIgnored private let filters: AgendaFilterStore

    init(app: AppModel, filters: AgendaFilterStore = UserDefaultsAgendaFilterStore()) {
        self.app = app
        self.filters = filters
    }

    func load() async {
        do {
            let overview = try await app.repo.overview(eventId: app.eventId)
            let days = overview.event.days.sorted()
            let day: LocalDate
            if let picked, days.contains(picked) {
                day = picked
            } else {
                day = try await app.repo.agendaDay(eventId: app.eventId, at: Date())
            }
            let sessions = try await app.repo.agenda(eventId: app.eventId, day: day)
            let tracks = try await app.repo.tracks(eventId: app.eventId)
            let filter = filters.load(eventId: app.eventId)
            let inTrack: Set<String>?
            if let trackId = filter.trackId {
                let trackSessions = try await app.repo.sessionsInTrack(eventId: app.eventId, trackId: trackId)
                inTrack = Set(trackSessions.map(\.id))
            } else {
                inTrack = nil
            }
            let nowNext = try await app.repo.nowNext(eventId: app.eventId, at: Date())
            let favourites = try await app.repo.favourites(eventId: app.eventId)
            self.days = days
            self.day = day
            self.sessions = sessions.filter { session in
                (filter.locationId == nil || session.locationId == filter.locationId) && (inTrack?.contains(session.id) ?? true)
            }
            self.filter = filter
            self.tracks = tracks
            var seen = Set<String>()
            places = sessions.compactMap { session in
                guard let id = session.locationId, seen.insert(id).inserted else { return nil }
                return AgendaPlace(id: id, name: session.locationName ?? id)
            }
            self.now = nowNext.now
            self.next = nowNext.next
            self.favourites = Set(favourites.filter { $0.kind == .session && $0.state != .removed }.map(\.id))
            problem = nil
        } catch {
            problem = Problem(error) ?? problem
        }
        loading = false
    }

    /// Every minute: what runs now changes with the clock, not with the content.
    func refreshNowNext() async {
        guard let nowNext = try? await app.repo.nowNext(eventId: app.eventId, at: Date()) else { return }
        now = nowNext.now
        next = nowNext.next
    }

    /// Filters by station/room and track (nil for all), kept for this event.
    func setFilter(_ filter: AgendaFilter) async {
        filters.save(eventId: app.eventId, filter: filter)
        self.filter = filter
        await load()
    }

    func select(_ day: LocalDate) async {
        picked = day
        self.day = day
        await load()
    }

    func toggleFavourite(_ sessionId: String) async {
        do {
            let isFavourite = try await app.repo.toggleFavourite(eventId: app.eventId, kind: .session, id: sessionId)
            if isFavourite { favourites.insert(sessionId) } else { favourites.remove(sessionId) }
            if isFavourite { await app.notifications.requestAuthorization() }
            app.contentChanged()
        } catch {
            problem = Problem(error) ?? problem
        }
    }
}
