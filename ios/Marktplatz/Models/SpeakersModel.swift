import Foundation
import MarktplatzKit
import Observation

/// Every speaker, in the core's order (by name), with photos that are on the device.
@MainActor
@Observable
final class SpeakersModel {
    private(set) var speakers: [Speaker] = []
    private(set) var photos: [String: URL] = [:]
    private(set) var favourites: Set<String> = []
    private(set) var loading = true
    private(set) var problem: Problem?

    @ObservationIgnored private let app: AppModel

    init(app: AppModel) {
        self.app = app
    }

    func load() async {
        do {
            let speakers = try await app.repo.speakers(eventId: app.eventId)
            // A photo not cached yet is simply not shown; a failing lookup is reported.
            var assetProblem: Problem?
            var photos: [String: URL] = [:]
            for speaker in speakers {
                if let file = await app.repo.cachedAssetFile(speaker.photo, noting: &assetProblem) { photos[speaker.id] = file }
            }
            let favourites = try await app.repo.favourites(eventId: app.eventId)
            self.speakers = speakers
            self.photos = photos
            self.favourites = Set(favourites.filter { $0.kind == .speaker && $0.state != .removed }.map(\.id))
            problem = assetProblem
        } catch {
            problem = Problem(error) ?? problem
        }
        loading = false
    }
}

/// One speaker: bio, links, their sessions, favourite.
@MainActor
@Observable
final class SpeakerDetailModel {
    let speakerId: String
    private(set) var speaker: Speaker?
    private(set) var photo: URL?
    private(set) var sessions: [SessionSummary] = []
    private(set) var favourite = false
    private(set) var loading = true
    private(set) var problem: Problem?

    @ObservationIgnored private let app: AppModel

    init(app: AppModel, speakerId: String) {
        self.app = app
        self.speakerId = speakerId
    }

    func load() async {
        do {
            let speaker = try await app.repo.speaker(eventId: app.eventId, speakerId: speakerId)
            sessions = try await app.repo.sessionsOfSpeaker(eventId: app.eventId, speakerId: speakerId)
            favourite = try await app.repo.isFavourite(eventId: app.eventId, kind: .speaker, id: speakerId)
            var assetProblem: Problem?
            photo = await app.repo.cachedAssetFile(speaker.photo, noting: &assetProblem)
            self.speaker = speaker
            problem = assetProblem
        } catch {
            problem = Problem(error) ?? problem
        }
        loading = false
    }

    func toggleFavourite() async {
        do {
            favourite = try await app.repo.toggleFavourite(eventId: app.eventId, kind: .speaker, id: speakerId)
            app.contentChanged()
        } catch {
            problem = Problem(error) ?? problem
        }
    }
}
