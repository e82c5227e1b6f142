import Foundation
import MarktplatzKit
import Observation

/// Organiser mode: sign in with a token, compose announcements, move or cancel sessions, add
/// photos. Each operation is stored at once (every screen shows it) and sent right away when
/// online, else when connectivity returns or with the next sync.
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
            locations = (try? await app.repo.locations(eventId: app.eventId)) ?? []
            var sessions: [SessionSummary] = []
            if let days = try? await app.repo.overview(eventId: app.eventId).event.days.sorted() {
                for day in days { sessions += (try? await app.repo.agenda(eventId: app.eventId, day: day)) ?? [] }
            }
            self.sessions = sessions
        } catch {
            problem = Problem(error) ?? problem
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
        } catch {
            problem = Problem(error)
        }
        busy = false
        await load()
    }
}
