import Foundation
import MarktplatzKit
import Observation

/// My agenda: the day's favourites with conflicts, walks, free time and change alerts marked.
@MainActor
@Observable
final class MyAgendaModel {
    private(set) var days: [LocalDate] = []
    private(set) var day: LocalDate?
    private(set) var agenda: PersonalAgenda?
    /// Unseen change alerts by session id.
    private(set) var alerts: [String: ChangeAlert] = [:]
    /// My favourite sessions running now, and the next of them.
    private(set) var mineNow: [SessionSummary] = []
    private(set) var mineNext: [SessionSummary] = []
    /// Favourite speakers and exhibitors (removed ones stay, marked).
    private(set) var others: [Favourite] = []
    private(set) var loading = true
    private(set) var problem: Problem?
    /// The iCalendar file of all favourites, written for the share sheet.
    private(set) var calendarFile: URL?

    @ObservationIgnored private let app: AppModel
    @ObservationIgnored private var picked: LocalDate?

    init(app: AppModel) {
        self.app = app
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
            agenda = try await app.repo.personalAgenda(eventId: app.eventId, day: day)
            let alerts = try await app.repo.alerts(eventId: app.eventId, includeSeen: false)
            self.alerts = Dictionary(alerts.map { ($0.sessionId, $0) }, uniquingKeysWith: { first, _ in first })
            others = try await app.repo.favourites(eventId: app.eventId).filter { $0.kind != .session }
            let nowNext = try await app.repo.favouritesNowNext(eventId: app.eventId, at: Date())
            mineNow = nowNext.now
            mineNext = nowNext.next
            self.days = days
            self.day = day
            calendarFile = try await writeCalendar()
            problem = nil
        } catch {
            problem = Problem(error) ?? problem
        }
        loading = false
    }

    func select(_ day: LocalDate) async {
        picked = day
        self.day = day
        await load()
    }

    func markAllSeen() async {
        do {
            try await app.repo.markAllAlertsSeen(eventId: app.eventId)
            alerts = [:]
        } catch {
            problem = Problem(error) ?? problem
        }
    }

    func remove(kind: FavouriteKind, id: String) async {
        do {
            _ = try await app.repo.removeFavourite(eventId: app.eventId, kind: kind, id: id)
            app.contentChanged()
        } catch {
            problem = Problem(error) ?? problem
        }
    }

    /// Writes, edits or (blank) clears the note on a favourite session.
    func setNote(sessionId: String, text: String) async {
        do {
            try await app.repo.saveSessionNote(eventId: app.eventId, sessionId: sessionId, text: text)
            app.contentChanged()
        } catch {
            problem = Problem(error) ?? problem
        }
    }

    /// Titles of the day's favourites by id, to name what a session overlaps with.
    func title(of sessionId: String) -> String {
        agenda?.entries.first { $0.session.id == sessionId }?.session.title ?? sessionId
    }

    private func writeCalendar() async throws -> URL? {
        guard agenda?.entries.isEmpty == false else { return nil }
        let ics = try await app.repo.calendar(eventId: app.eventId, selection: .favourites)
        let file = FileManager.default.temporaryDirectory.appending(path: "Marktplatz.ics")
        try ics.write(to: file, atomically: true, encoding: .utf8)
        return file
    }
}
