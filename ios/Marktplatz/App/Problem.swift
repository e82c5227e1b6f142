import Foundation
import MarktplatzKit
import SwiftUI

/// What went wrong, in terms the UI words a sentence for, and the core's own detail.
struct Problem: Equatable, Sendable {
    enum Kind: Sendable {
        case offline, server, signIn, accessCode, accessCodeWrong, conflict, notFound, invalidInput, storageFull, storage, paused, unexpected
    }

    let kind: Kind
    let detail: String

    /// The problem to show for `error`, or nil for a cancellation (never shown).
    init?(_ error: Error) {
        if error is CancellationError { return nil }
        guard let api = error as? ApiError else {
            self.init(kind: .unexpected, detail: error.localizedDescription)
            return
        }
        switch api {
        case .Cancelled:
            return nil
        case .Offline(let reason):
            self.init(kind: .offline, detail: reason)
        case .Server(_, let reason, _):
            self.init(kind: .server, detail: reason)
        case .Unauthorized(let reason):
            self.init(kind: .signIn, detail: reason)
        case .AccessCode(let reason, let wrong):
            self.init(kind: wrong ? .accessCodeWrong : .accessCode, detail: reason)
        case .Conflict(let reason):
            self.init(kind: .conflict, detail: reason)
        case .NotFound(let reason):
            self.init(kind: .notFound, detail: reason)
        case .InvalidInput(let reason):
            self.init(kind: .invalidInput, detail: reason)
        case .Storage(let reason, let isFull):
            self.init(kind: isFull ? .storageFull : .storage, detail: reason)
        case .Suspended(let reason):
            self.init(kind: .paused, detail: reason)
        }
    }

    init(kind: Kind, detail: String) {
        self.kind = kind
        self.detail = detail
    }

    /// The sentence for the user, in the UI language.
    var message: LocalizedStringKey {
        switch kind {
        case .offline: "No connection. Showing what is stored; the app tries again later."
        case .server: "The server could not help just now. Try again later."
        case .signIn: "The organiser token was not accepted. Sign in again."
        case .accessCode: "This event is open only with its access code. Ask the organisers for it."
        case .accessCodeWrong: "That code was not accepted. Check it and try again."
        case .conflict: "Someone changed this first. Look at the current version and try again."
        case .notFound: "Not found on this phone."
        case .invalidInput: "Please check what you entered."
        case .storageFull: "The phone’s storage is full. Free some space and try again."
        case .storage: "The app’s storage failed."
        case .paused: "Paused while the app was in the background."
        case .unexpected: "Something went wrong."
        }
    }
}

extension Problem {
    /// The problem to show for a read that may find the event not synced yet: that one (and a
    /// cancellation) is nil, nothing to show; every other failure reaches the screen.
    static func unlessNotSynced(_ error: Error) -> Problem? {
        guard let problem = Problem(error), problem.kind != .notFound else { return nil }
        return problem
    }
}

extension MarktplatzRepository {
    /// The cached file of `asset` (nil: there is none, or it is not cached yet); a failing
    /// lookup is noted in `problem`, for the screen to show beside its content.
    func cachedAssetFile(_ asset: AssetRef?, noting problem: inout Problem?) async -> URL? {
        guard let asset else { return nil }
        do {
            return try await cachedAssetFile(asset: asset)
        } catch {
            problem = Problem(error) ?? problem
            return nil
        }
    }
}
