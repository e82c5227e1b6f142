import Foundation
import MarktplatzKit
import Observation
import SwiftUI

/// Search as you type: each keystroke takes its ticket from the core at once and searches in a
/// task. The core answers keystrokes in the order typed: an older keystroke's search, however
/// late it arrives or ends, throws Cancelled (ignored here), so a stale result never replaces a
/// newer one and no ordering is needed here.
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

    init(app: AppModel) {
        self.app = app
        // Loads the search's in-memory state while the user starts typing; a failure here
        // shows with the first search, which loads it itself.
        Task { try? await app.repo.warmSearch() }
    }

    deinit {
        field.cancel()
    }

    /// Call on every change of `text` or `kind`.
    func search() {
        let text = self.text
        let kind = self.kind
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            // Whatever search is still on its way throws Cancelled.
            field.cancel()
            results = []
            searching = false
            problem = nil
            return
        }
        // Taken here, in keystroke order, not in the task: that is the order the core keeps.
        let ticket = field.takeTicket()
        searching = true
        let query = SearchQuery(
            text: text, eventId: app.eventId, kinds: kind.map { [$0] } ?? [], day: nil, trackId: nil,
            locationId: nil, favouritesOnly: false, upcomingOnly: false, now: Date(), limit: 40
        )
        Task {
            do {
                let hits = try await app.repo.searchAsYouType(field: field, ticket: ticket, query: query)
                // The field changed after this search answered: the state is the newer one's.
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
