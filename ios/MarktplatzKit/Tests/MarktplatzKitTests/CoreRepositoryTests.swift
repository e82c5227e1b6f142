import XCTest
@testable import MarktplatzKit

/// Mirrors android/core-bridge's CoreRepositoryTest: the real library against a real
/// `marktplatz serve --demo` whose URL is in MARKTPLATZ_TEST_SERVER. Not compiled on the Linux
/// CI machine (no Swift toolchain); run with `swift test` on macOS after scripts/build-ios.sh.
final class CoreRepositoryTests: XCTestCase {
    private let event = "egov-marktplatz-nordwest-2027"
    private let fairDay: LocalDate = "2027-02-01"
    private var directory: URL!
    private var repo: CoreRepository!

    private var server: String {
        get throws {
            guard let url = ProcessInfo.processInfo.environment["MARKTPLATZ_TEST_SERVER"] else {
                throw XCTSkip("MARKTPLATZ_TEST_SERVER is not set: start `marktplatz serve --demo`")
            }
            return url
        }
    }

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        repo = try CoreRepository.open(directory: directory)
    }

    override func tearDownWithError() throws {
        repo = nil
        try? FileManager.default.removeItem(at: directory)
    }

    func testSyncsFromTheServerAndReadsTheAgenda() async throws {
        let outcome = try await repo.sync(eventId: event, serverUrl: try server)
        XCTAssertFalse(outcome.notModified)
        XCTAssertTrue(outcome.changed.contains { $0.added > 0 })
        let overview = try await repo.overview(eventId: event)
        XCTAssertEqual(overview.event.title, "E-Government Marktplatz Nordwest")
        let agenda = try await repo.agenda(eventId: event, day: fairDay)
        XCTAssertEqual(agenda.count, Int(overview.sessionCount))
        XCTAssertEqual(agenda.first?.localStart, "08:30")
        let stations = try await repo.stations(eventId: event).filter { $0.location.kind == .station }
        XCTAssertEqual(stations.count, 10)
        let again = try await repo.sync(eventId: event, serverUrl: nil)
        XCTAssertTrue(again.notModified)
    }

    func testProgressAndOutcomeArriveThroughStreams() async throws {
        let server = try self.server
        let updates = repo.updates()
        let finished = Task { () -> SyncOutcome? in
            for await update in updates {
                if case let .syncFinished(outcome) = update { return outcome }
            }
            return nil
        }
        let outcome = try await repo.sync(eventId: event, serverUrl: server)
        let seen = await finished.value
        XCTAssertEqual(seen, outcome)
    }

    func testACancelledSyncLeavesTheStoreUsable() async throws {
        let server = try self.server
        let progress = repo.syncProgress(eventId: event)
        let canceller = Task {
            for await step in progress where step.phase == .content || step.phase == .assets {
                repo.cancelSync(eventId: event)
                return
            }
        }
        do {
            _ = try await repo.sync(eventId: event, serverUrl: server)
            XCTFail("the sync was not cancelled")
        } catch ApiError.Cancelled {
            // expected
        }
        canceller.cancel()
        _ = try await repo.sync(eventId: event, serverUrl: server)
        let overview = try await repo.overview(eventId: event)
        let agenda = try await repo.agenda(eventId: event, day: fairDay)
        XCTAssertEqual(agenda.count, Int(overview.sessionCount))
    }

    func testServerErrorsMapToTheRightErrors() async throws {
        let server = try self.server
        do {
            _ = try await repo.sync(eventId: "no-such-event", serverUrl: server)
            XCTFail("an unknown event must fail")
        } catch let ApiError.NotFound(reason) {
            XCTAssertTrue(reason.contains("no-such-event"))
        }
        do {
            _ = try await repo.sync(eventId: event, serverUrl: "http://127.0.0.1:9")
            XCTFail("an unreachable server must fail")
        } catch ApiError.Offline {
            // expected
        }
    }

    func testReopeningTheStoreFindsTheDataOffline() async throws {
        _ = try await repo.sync(eventId: event, serverUrl: try server)
        let before = try await repo.agenda(eventId: event, day: fairDay)
        _ = try await repo.toggleFavourite(eventId: event, kind: .session, id: before[3].id)
        repo = nil
        repo = try CoreRepository.open(directory: directory)
        let after = try await repo.agenda(eventId: event, day: fairDay)
        XCTAssertEqual(after, before)
        let favourite = try await repo.isFavourite(eventId: event, kind: .session, id: before[3].id)
        XCTAssertTrue(favourite)
    }

    func testAThrowingListenerDoesNotBreakTheStore() async throws {
        final class Throwing: UpdateListener, @unchecked Sendable {
            struct Bug: Error {}
            func onUpdate(update: Update) throws { throw Bug() }
        }
        let store = try MarktplatzStore.open(dir: directory.path)
        let handle = store.subscribe(listener: Throwing())
        let outcome = try await store.sync(serverUrl: try server, eventId: event)
        XCTAssertFalse(outcome.changed.isEmpty)
        handle.cancel()
        let agenda = try await repo.agenda(eventId: event, day: fairDay)
        XCTAssertFalse(agenda.isEmpty)
    }

    func testSuspendRefusesWorkUntilResumed() async throws {
        _ = try await repo.sync(eventId: event, serverUrl: try server)
        repo.suspend()
        do {
            _ = try await repo.events()
            XCTFail("a suspended store must refuse work")
        } catch ApiError.Suspended {
            // expected
        }
        repo.resume()
        let events = try await repo.events()
        XCTAssertEqual(events.map(\.id), [event])
    }

    func testTheAgendaOpensOnTheFairDayAndSearchMarksScalars() async throws {
        _ = try await repo.sync(eventId: event, serverUrl: try server)
        let before = try await repo.agendaDay(eventId: event, at: Date(timeIntervalSince1970: 0))
        XCTAssertEqual(before, fairDay)
        let field = SearchField()
        let query = SearchQuery(
            text: "Buergeramt", eventId: event, kinds: [.session], day: nil, trackId: nil, locationId: nil,
            favouritesOnly: false, upcomingOnly: false, now: Date(), limit: 5
        )
        let hits = try await repo.searchAsYouType(field: field, ticket: field.takeTicket(), query: query)
        let top = try XCTUnwrap(hits.first)
        let range = try XCTUnwrap(top.titleHighlights.first)
        let scalars = Array(top.title.unicodeScalars)[Int(range.start)..<Int(range.end)]
        XCTAssertEqual(String(String.UnicodeScalarView(scalars)), "Bürgeramt")
    }

    func testAQueuedAnnouncementShowsAtOnceAndIsAccepted() async throws {
        guard let token = ProcessInfo.processInfo.environment["MARKTPLATZ_TEST_ORGANISER_TOKEN"] else {
            throw XCTSkip("MARKTPLATZ_TEST_ORGANISER_TOKEN is not set")
        }
        let server = try self.server
        _ = try await repo.sync(eventId: event, serverUrl: server)
        try await repo.signInAsOrganiser(eventId: event, serverUrl: server, token: token)
        let title = "Kaffee im Foyer \(UUID().uuidString)"
        let op = Op.announcementCreate(
            id: repo.newEntityId(prefix: "announcement"), title: title, body: "", priority: .important,
            publishedAt: Date().addingTimeInterval(-5), expiresAt: nil
        )
        let queued = try await repo.queue(eventId: event, op: op)
        XCTAssertEqual(queued.state, .pending)
        let shown = try await repo.announcements(eventId: event, at: Date())
        XCTAssertTrue(shown.contains { $0.title == title })
        let report = try await repo.push(eventId: event)
        XCTAssertEqual(report.accepted, 1)
        let outbox = try await repo.outbox(eventId: event, includeDone: true)
        XCTAssertEqual(outbox.first { $0.id == queued.id }?.state, .accepted)
    }
}
