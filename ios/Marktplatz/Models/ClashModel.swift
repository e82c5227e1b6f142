import Foundation
import MarktplatzKit
import Observation

/// A friend's favourites beside mine: clashes marked, "add theirs" one by one or all that fit.
@MainActor
@Observable
final class ClashModel {
    /// Their sessions in start order, each marked as mine already or with my sessions it clashes with.
    private(set) var theirs: [SharedSession] = []
    /// My favourite sessions (present ones) in start order, beside theirs.
    private(set) var mine: [SessionSummary] = []
    /// Shared entries this device could not find in its content.
    private(set) var unresolved = 0
    private(set) var loading = true
    private(set) var problem: Problem?

    @ObservationIgnored private let app: AppModel
    @ObservationIgnored private let code: String

    init(app: AppModel, code: String) {
        self.app = app
        self.code = code
    }

    /// Theirs that are not mine yet and clash with none of mine: what "add all" adds.
    var addable: [SharedSession] {
        theirs.filter { !$0.mine && $0.clashesWith.isEmpty }
    }

    /// The title of one of my sessions, to name what one of theirs clashes with.
    func myTitle(of sessionId: String) -> String {
        mine.first { $0.id == sessionId }?.title ?? sessionId
    }

    func load() async {
        do {
            let shared = try await app.repo.readShareCode(code)
            let days = try await app.repo.overview(eventId: app.eventId).event.days.sorted()
            // The personal agenda has my sessions with their local times, day by day.
            var mySessions: [SessionSummary] = []
            for day in days {
                let agenda = try await app.repo.personalAgenda(eventId: app.eventId, day: day)
                mySessions += agenda.entries.filter { $0.state == .present }.map(\.session)
            }
            theirs = shared.sessions.sorted { $0.session.start < $1.session.start }
            mine = mySessions
            unresolved = Int(shared.unresolved)
            problem = nil
        } catch {
            problem = Problem(error) ?? problem
        }
        loading = false
    }

    func addTheirs(_ sessionId: String) async {
        await add([sessionId])
    }

    /// Adds every one of theirs that is not mine and clashes with none of mine.
    func addAllNonClashing() async {
        await add(addable.map(\.session.id))
    }

    private func add(_ sessionIds: [String]) async {
        guard !sessionIds.isEmpty else { return }
        do {
            for id in sessionIds {
                _ = try await app.repo.addFavourite(eventId: app.eventId, kind: .session, id: id, note: nil)
            }
        } catch {
            problem = Problem(error) ?? problem
        }
        app.contentChanged()
    }
}
