import Foundation
import MarktplatzKit
import Observation
import SwiftUI

/// Search as you type: each keystroke interrupts the previous keystroke's search if it still
/// runs and searches once that one has returned; a stale result never replaces a newer one.
@MainActor
@Observable
final class SearchModel {
    /// One result row with the matches marked in title and context.
    struct Result: Identifiable {
        let hit: SearchHit
        let title: AttributedString
        let context: AttributedString
        var id: String { "\(hit.kind)-\(hit.id)" }
    }

    var text = ""
    /// Only this kind; nil for everything.
    var kind: EntityKind?
    private(set) var results: [Result] = []
    private(set) var searching = false
    private(set) var problem: Problem?

    /// The kinds offered as filters, in their order.
    let kinds: [EntityKind] = [.session, .speaker, .exhibitor, .location]

    @ObservationIgnored private let app: AppModel
    @ObservationIgnored private let field = SearchField()
    @ObservationIgnored private var running: Task<Void, Never>?

    init(app: AppModel) {
        self.app = app
    }

    deinit {
        field.cancel()
    }

    /// Call on every change of `text` or `kind`.
    func search() {
        let superseded = running
        superseded?.cancel()
        // Interrupts the superseded search in the core now; it returns Cancelled promptly.
        field.cancel()
        let text = self.text
        let kind = self.kind
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            // `running` stays the superseded task: the next keystroke still waits for it.
            results = []
            searching = false
            problem = nil
            return
        }
        searching = true
        let query = SearchQuery(
            text: text, eventId: app.eventId, kinds: kind.map { [$0] } ?? [], day: nil, trackId: nil,
            locationId: nil, favouritesOnly: false, upcomingOnly: false, now: Date(), limit: 40
        )
        running = Task {
            // Keystrokes reach the core in the order typed: an older search still on its way
            // would otherwise arrive after this one and cancel it, leaving no results at all.
            // Awaiting a task's value is not cut short by cancellation, so this waits for the
            // whole chain of superseded searches; a cancelled one stops before the core.
            await superseded?.value
            guard !Task.isCancelled else { return }
            do {
                let hits = try await app.repo.searchAsYouType(field: field, query: query)
                guard text == self.text, kind == self.kind else { return }
                results = hits.map { hit in
                    Result(hit: hit, title: Self.marked(hit.title, hit.titleHighlights), context: Self.marked(hit.context, hit.contextHighlights))
                }
                problem = nil
                searching = false
            } catch {
                guard text == self.text, kind == self.kind else { return }
                if let failure = Problem(error) {
                    problem = failure
                    searching = false
                }
            }
        }
    }

    /// The core counts highlight offsets in Unicode scalars; AttributedString can index those.
    static func marked(_ text: String, _ highlights: [Highlight]) -> AttributedString {
        var result = AttributedString(text)
        let scalars = result.unicodeScalars
        let count = scalars.count
        for highlight in highlights {
            let start = Int(highlight.start)
            let end = Int(highlight.end)
            guard start >= 0, start < end, end <= count else { continue }
            let from = scalars.index(scalars.startIndex, offsetBy: start)
            let to = scalars.index(scalars.startIndex, offsetBy: end)
            result[from..<to].inlinePresentationIntent = .stronglyEmphasized
            result[from..<to].backgroundColor = Color.accentColor.opacity(0.2)
        }
        return result
    }
}
