import Foundation
import MarktplatzKit
import Observation

/// Share favourites: my code to show, and a friend's code read from the camera or pasted.
@MainActor
@Observable
final class ShareModel {
    /// My favourites of the event as a share code (shown as a QR code and as text).
    private(set) var code: String?
    /// A friend's code that was read successfully: the view opens its clash view, then calls `friendOpened()`.
    private(set) var friendCode: String?
    /// Why the scanned or pasted text could not be read (shown by the paste field).
    private(set) var readProblem: Problem?
    private(set) var loading = true
    private(set) var problem: Problem?

    @ObservationIgnored private let app: AppModel

    init(app: AppModel) {
        self.app = app
    }

    func load() async {
        do {
            code = try await app.repo.shareCode(eventId: app.eventId)
            problem = nil
        } catch {
            problem = Problem(error) ?? problem
        }
        loading = false
    }

    /// Reads what the scanner or the clipboard gave: a bare code or a link carrying one.
    func read(_ text: String) async {
        guard let code = shareCode(in: text) else {
            readProblem = Problem(kind: .invalidInput, detail: "no share code in the text")
            return
        }
        do {
            _ = try await app.repo.readShareCode(code)
            readProblem = nil
            friendCode = code
        } catch {
            readProblem = Problem(error) ?? readProblem
        }
    }

    /// The clash view was opened: do not open it again.
    func friendOpened() {
        friendCode = nil
    }
}
