import Foundation
import MarktplatzKit
import Observation

/// Organiser mode: sign in with a token or the console's QR link, then use every operation the
/// core has (announce, edit or retract announcements; move, retime, edit, cancel or reinstate
/// sessions; edit stations and exhibitors; add, edit or remove photos and info pages). Each
/// operation is stored at once (every screen shows it) and sent right away when online, else
/// when connectivity returns or with the next sync. Mirrors the Android `OrganiserModel`.
@MainActor
@Observable
final class OrganiserModel {
    private(set) var organiser: OrganiserInfo?
    private(set) var outbox: [OutboxEntry] = []
    private(set) var locations: [Location] = []
    private(set) var sessions: [SessionSummary] = []
    private(set) var lastPush: PushReport?
    /// When the outbox tries again after a failed push (nil: nothing waits for a retry).
    private(set) var nextPushAttempt: Date?
    /// What each kind of edit can pick from (sessions are picked from `sessions`).
    private(set) var entries: [EditKind: [EditEntry]] = [:]
    /// The form open now, with the values the thing has on this phone.
    var editing: Editable?
    /// A sign-in link opened from outside the app: shown to confirm, never used unasked.
    var offeredLink: OrganiserLink?
    /// Why the last scanned, pasted or opened link did not sign in.
    private(set) var linkProblem: LinkProblem?
    private(set) var busy = false
    private(set) var problem: Problem?

    @ObservationIgnored private let app: AppModel

    init(app: AppModel) {
        self.app = app
    }

    var serverURL: String { app.serverURL }

    func load() async {
        do {
            organiser = try await app.repo.organiser(eventId: app.eventId)
            outbox = try await app.repo.outbox(eventId: app.eventId, includeDone: true)
            nextPushAttempt = try await app.repo.nextPushAttemptAt(eventId: app.eventId)
        } catch {
            problem = Problem(error) ?? problem
        }
        // Before the first sync there is nothing to pick from (no problem); anything else is.
        do {
            locations = try await app.repo.locations(eventId: app.eventId)
            var sessions: [SessionSummary] = []
            for day in try await app.repo.overview(eventId: app.eventId).event.days.sorted() {
                sessions += try await app.repo.agenda(eventId: app.eventId, day: day)
            }
            self.sessions = sessions
            entries = try await loadEntries()
        } catch {
            problem = Problem.unlessNotSynced(error) ?? problem
        }
    }

    func signIn(token: String, serverURL: String) async {
        await perform {
            try await self.app.repo.signInAsOrganiser(
                eventId: self.app.eventId,
                serverUrl: serverURL.trimmingCharacters(in: .whitespacesAndNewlines),
                token: token.trimmingCharacters(in: .whitespacesAndNewlines)
            )
        }
    }

    /// Signs in with a link the organiser scanned or pasted (they chose to use it).
    func signIn(link text: String) async {
        guard let link = checkedLink(text) else { return }
        await signIn(token: link.token, serverURL: link.serverURL)
    }

    /// A link opened from outside (another app, a web page): shown first, used only when confirmed.
    func offer(link text: String) {
        offeredLink = checkedLink(text)
    }

    func confirmOfferedLink() async {
        guard let link = offeredLink else { return }
        offeredLink = nil
        await signIn(token: link.token, serverURL: link.serverURL)
    }

    private func checkedLink(_ text: String) -> OrganiserLink? {
        switch OrganiserLink.read(text) {
        case .failure(let problem):
            linkProblem = problem
            return nil
        case .success(let link) where link.eventId != app.eventId:
            linkProblem = .otherEvent
            return nil
        case .success(let link):
            linkProblem = nil
            return link
        }
    }

    func signOut() async {
        await perform { try await self.app.repo.signOutAsOrganiser(eventId: self.app.eventId) }
    }

    func announce(title: String, body: String, priority: Priority, expiresIn: TimeInterval?) async {
        let now = Date()
        let op = Op.announcementCreate(
            id: app.repo.newEntityId(prefix: "announcement"),
            title: title.trimmingCharacters(in: .whitespacesAndNewlines),
            body: body.trimmingCharacters(in: .whitespacesAndNewlines),
            priority: priority,
            publishedAt: now,
            expiresAt: expiresIn.map { now.addingTimeInterval($0) }
        )
        await queue(op)
    }

    func move(session: String, to location: String) async {
        await queue(.sessionMove(id: session, locationId: location))
    }

    func cancel(session: String) async {
        await queue(.sessionCancel(id: session))
    }

    func reinstate(session: String) async {
        await queue(.sessionReinstate(id: session))
    }

    /// Moves a session in time on its own day: `start` and `end` as typed ("9:30", "09:30" or
    /// "9.30"), in the event's time zone.
    func retime(session id: String, start: String, end: String) async {
        await perform {
            let session = try await self.app.repo.sessionDetail(eventId: self.app.eventId, sessionId: id).summary
            let zoneId = try await self.app.repo.overview(eventId: self.app.eventId).event.timezone
            guard let zone = TimeZone(identifier: zoneId) else { throw OrganiserInputError(detail: "timezone: \(zoneId)") }
            guard let from = Self.minutes(start) else { throw OrganiserInputError(detail: "start: \(start)") }
            guard let to = Self.minutes(end), to >= from else { throw OrganiserInputError(detail: "end: \(end)") }
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            let day = calendar.startOfDay(for: session.start)
            func at(_ minutes: Int) -> Date {
                calendar.date(bySettingHour: minutes / 60, minute: minutes % 60, second: 0, of: day) ?? day
            }
            _ = try await self.app.repo.queue(eventId: self.app.eventId, op: .sessionRetime(id: id, start: at(from), end: at(to)))
            self.app.contentChanged()
            try await self.push()
        }
    }

    /// Minutes after midnight of "H:mm", "HH:mm" or "H.mm", or nil.
    static func minutes(_ text: String) -> Int? {
        let parts = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ".", with: ":").split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[1].count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]),
              (0..<24).contains(hour), (0..<60).contains(minute) else { return nil }
        return hour * 60 + minute
    }

    /// Opens the form for one thing, with the values it has on this phone now.
    func edit(_ kind: EditKind, id: String) async {
        await perform {
            let repo = self.app.repo, event = self.app.eventId
            let form: Editable?
            switch kind {
            case .session: form = EditForms.session(try await repo.sessionDetail(eventId: event, sessionId: id))
            case .station: form = try await repo.stations(eventId: event).first { $0.location.id == id }.map(EditForms.station)
            case .exhibitor: form = try await repo.exhibitors(eventId: event, stationId: nil).first { $0.exhibitor.id == id }.map(EditForms.exhibitor)
            case .announcement: form = try await repo.announcements(eventId: event, at: Date()).first { $0.id == id }.map(EditForms.announcement)
            case .photo: form = try await repo.gallery(eventId: event).first { $0.id == id }.map(EditForms.photo)
            case .infoPage: form = try await repo.infoPages(eventId: event).first { $0.id == id }.map(EditForms.infoPage)
            }
            self.editing = form
        }
    }

    /// Queues what changed in the open form (nothing if nothing did) and closes it.
    func save(_ entered: [EditField: String]) async {
        guard let form = editing else { return }
        editing = nil
        guard let op = EditForms.editOp(form, entered: entered) else { return }
        await queue(op)
    }

    /// Retracts an announcement, removes a photo or an info page.
    func remove(_ kind: EditKind, id: String) async {
        guard let op = EditForms.removeOp(kind, id: id) else { return }
        if editing?.id == id { editing = nil }
        await queue(op)
    }

    /// A new info page, after the existing ones.
    func addInfoPage(title: String, body: String) async {
        await perform {
            let last = try await self.app.repo.infoPages(eventId: self.app.eventId).map(\.sortOrder).max() ?? 0
            let op = Op.infoAdd(id: self.app.repo.newEntityId(prefix: "info"),
                                title: title.trimmingCharacters(in: .whitespacesAndNewlines),
                                body: body.trimmingCharacters(in: .whitespacesAndNewlines),
                                sortOrder: last + 1)
            _ = try await self.app.repo.queue(eventId: self.app.eventId, op: op)
            self.app.contentChanged()
            try await self.push()
        }
    }

    private func loadEntries() async throws -> [EditKind: [EditEntry]] {
        let repo = app.repo, event = app.eventId
        return [
            .station: try await repo.stations(eventId: event).map { EditEntry(kind: .station, id: $0.location.id, label: $0.location.name, detail: $0.location.description) },
            .exhibitor: try await repo.exhibitors(eventId: event, stationId: nil).map { EditEntry(kind: .exhibitor, id: $0.exhibitor.id, label: $0.exhibitor.name, detail: $0.stationName ?? "") },
            .announcement: try await repo.announcements(eventId: event, at: Date()).map { EditEntry(kind: .announcement, id: $0.id, label: $0.title, detail: $0.body) },
            .photo: try await repo.gallery(eventId: event).map { EditEntry(kind: .photo, id: $0.id, label: $0.caption.isEmpty ? $0.id : $0.caption, detail: $0.credit) },
            .infoPage: try await repo.infoPages(eventId: event).map { EditEntry(kind: .infoPage, id: $0.id, label: $0.title, detail: String($0.body.prefix(120))) },
        ]
    }

    /// Places a station's pin where the organiser tapped the plan: (`x`, `y`) in the plan's
    /// own points as drawn, `width` x `height` its drawn size.
    func place(station id: String, x: Double, y: Double, width: Double, height: Double) async {
        guard let position = PinPlacement.position(x: x, y: y, width: width, height: height) else {
            problem = Problem(kind: .invalidInput, detail: "position: \(x),\(y)")
            return
        }
        await queue(.stationEdit(id: id, name: nil, description: nil, position: position))
    }

    /// Moves an info page `by` places (-1 up, +1 down) in the order attendees read them.
    func moveInfoPage(_ id: String, by: Int) async {
        await perform {
            let edits = InfoOrder.move(try await self.app.repo.infoPages(eventId: self.app.eventId), pageId: id, by: by)
            if edits.isEmpty { return }
            for edit in edits { _ = try await self.app.repo.queue(eventId: self.app.eventId, op: edit) }
            self.app.contentChanged()
            try await self.push()
        }
    }

    /// Queues a new hall plan (JPEG bytes); stations keep their places on it.
    func setHallPlan(_ jpeg: Data) async {
        await perform {
            _ = try await self.app.repo.queueHallPlan(eventId: self.app.eventId, bytes: jpeg)
            self.app.contentChanged()
            try await self.push()
        }
    }

    /// Queues a photo (JPEG bytes) for the gallery.
    func addPhoto(_ jpeg: Data, caption: String, credit: String) async {
        await perform {
            _ = try await self.app.repo.queuePhoto(eventId: self.app.eventId, bytes: jpeg, caption: caption, credit: credit, takenAt: Date())
            self.app.contentChanged()
            try await self.push()
        }
    }

    func pushNow() async {
        await perform { try await self.push() }
    }

    func retry(_ entry: OutboxEntry) async {
        await perform {
            _ = try await self.app.repo.retryRejected(outboxId: entry.id)
            self.app.contentChanged()
            try await self.push()
        }
    }

    func dismiss(_ entry: OutboxEntry) async {
        await perform {
            try await self.app.repo.dismissOp(outboxId: entry.id)
            self.app.contentChanged()
        }
    }

    private func queue(_ op: Op) async {
        await perform {
            _ = try await self.app.repo.queue(eventId: self.app.eventId, op: op)
            self.app.contentChanged()
            try await self.push()
        }
    }

    /// Being offline is no problem here: the report says so and the op waits.
    private func push() async throws {
        guard organiser != nil else { return }
        lastPush = try await app.repo.push(eventId: app.eventId)
    }

    private func perform(_ action: @escaping () async throws -> Void) async {
        busy = true
        problem = nil
        do {
            try await action()
        } catch let input as OrganiserInputError {
            problem = Problem(kind: .invalidInput, detail: input.detail)
        } catch {
            problem = Problem(error)
        }
        busy = false
        await load()
    }
}

/// What the organiser typed cannot be used (a time that is none, an end before the start).
struct OrganiserInputError: Error {
    let detail: String
}
