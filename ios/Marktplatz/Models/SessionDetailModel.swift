import Foundation
import MarktplatzKit
import Observation

/// One session: who, where, when; favourite; calendar and share data; its change banner.
@MainActor
@Observable
final class SessionDetailModel {
    let sessionId: String
    private(set) var detail: SessionDetail?
    private(set) var favourite = false
    /// My note on this session while it is a favourite.
    private(set) var note: String?
    /// An unseen change to this favourite: shown as a banner; opening the screen marks it seen.
    private(set) var alert: ChangeAlert?
    private(set) var speakerPhotos: [String: URL] = [:]
    private(set) var loading = true
    private(set) var problem: Problem?

    @ObservationIgnored private let app: AppModel

    init(app: AppModel, sessionId: String) {
        self.app = app
        self.sessionId = sessionId
    }

    func load() async {
        do {
            let detail = try await app.repo.sessionDetail(eventId: app.eventId, sessionId: sessionId)
            favourite = try await app.repo.isFavourite(eventId: app.eventId, kind: .session, id: sessionId)
            if favourite {
                let mine = try await app.repo.favourites(eventId: app.eventId)
                note = mine.first { $0.kind == .session && $0.id == sessionId }?.note
            } else {
                note = nil
            }
            // A photo not cached yet is simply not shown; a failing lookup is reported beside the session.
            var assetProblem: Problem?
            var photos: [String: URL] = [:]
            for speaker in detail.speakers {
                if let file = await app.repo.cachedAssetFile(speaker.photo, noting: &assetProblem) { photos[speaker.id] = file }
            }
            speakerPhotos = photos
            self.detail = detail
            problem = assetProblem
            let unseen = try await app.repo.alerts(eventId: app.eventId, includeSeen: false).first { $0.sessionId == sessionId }
            if let unseen {
                alert = unseen
                try await app.repo.markAlertsSeen(eventId: app.eventId, alertIds: [unseen.id])
            }
        } catch {
            problem = Problem(error) ?? problem
        }
        loading = false
    }

    func toggleFavourite() async {
        do {
            favourite = try await app.repo.toggleFavourite(eventId: app.eventId, kind: .session, id: sessionId)
            if favourite { await app.notifications.requestAuthorization() }
            app.contentChanged()
        } catch {
            problem = Problem(error) ?? problem
        }
    }

    /// Writes, edits or (blank) clears my note on this favourite session.
    func setNote(_ text: String) async {
        do {
            try await app.repo.saveSessionNote(eventId: app.eventId, sessionId: sessionId, text: text)
            app.contentChanged()
        } catch {
            problem = Problem(error) ?? problem
        }
    }

    /// A short text for the share sheet: title, time, place.
    var shareText: String {
        guard let summary = detail?.summary else { return "" }
        let place = summary.locationName ?? ""
        return String(localized: "\(summary.title)\n\(summary.localStart)–\(summary.localEnd), \(place)")
    }
}
