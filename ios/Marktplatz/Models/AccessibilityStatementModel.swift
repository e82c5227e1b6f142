import Foundation
import MarktplatzKit
import Observation

/// The "Erklärung zur Barrierefreiheit" (BITV 2.0 § 7): status, known gaps, a feedback contact
/// from the event's info, and the Schlichtungsstelle (§ 16 BGG). Mirrors the Android model.
@MainActor
@Observable
final class AccessibilityStatementModel {
    /// What is known not to be checked or not accessible; the view words each.
    enum KnownGap: CaseIterable {
        case notTestedOnDevice, fontScalingUnverified, contrastNotMeasuredOnScreen, mapIsAnImage, organiserContent
    }

    /// The lowest contrast ratios (to 1) calculated from the app's colours (Assets.xcassets) on
    /// the system backgrounds, light and dark: of text, and of anything drawn (icons included).
    /// scripts/check_contrast.py fails when these differ from what it measures (rounded down),
    /// so the statement never claims more. WCAG 2.1 AA asks 4.5 (1.4.3) and 3 (1.4.11).
    static let measuredMinTextContrast = 4.5
    static let measuredMinNonTextContrast = 4.5

    /// Where to report a barrier: the organiser's address from the event's pages, or its website.
    struct FeedbackContact: Equatable {
        var email: String?
        var website: String?
        var foundOn: String?
    }

    /// When the statement was last reviewed (with the apps' accessibility work of issue 21).
    static let statementDate = DateComponents(calendar: Calendar(identifier: .gregorian), year: 2026, month: 12, day: 6).date ?? .distantPast
    /// The conciliation body for barriers in federal public bodies' offers (§ 16 BGG).
    static let conciliationURL = URL(string: "https://www.schlichtungsstelle-bgg.de")

    let gaps = KnownGap.allCases
    /// Nil: the event names no contact; the view says so and where else to turn.
    private(set) var contact: FeedbackContact?
    private(set) var eventTitle: String?
    private(set) var loading = true
    private(set) var problem: Problem?

    @ObservationIgnored private let app: AppModel

    init(app: AppModel) {
        self.app = app
    }

    /// Without content (not synced yet) the statement still stands, without a contact; any
    /// other failure is shown beside it (the contact may be missing because of it).
    func load() async {
        var problem: Problem?
        var overview: EventOverview?
        var pages: [InfoPage] = []
        do { overview = try await app.repo.overview(eventId: app.eventId) } catch { problem = Problem.unlessNotSynced(error) ?? problem }
        do { pages = try await app.repo.infoPages(eventId: app.eventId) } catch { problem = Problem.unlessNotSynced(error) ?? problem }
        eventTitle = overview?.event.title
        contact = Self.feedbackContact(pages: pages, eventURL: overview?.event.url)
        self.problem = problem
        loading = false
    }

    /// The first e-mail address on an organiser or contact page (by title), else on any page
    /// in the organisers' order; with none, the event's website; nil when there is neither.
    static func feedbackContact(pages: [InfoPage], eventURL: String?) -> FeedbackContact? {
        let ordered = pages.sorted { $0.sortOrder < $1.sortOrder }
        let organiserPages = ordered.filter { page in
            organiserTitles.contains { page.title.range(of: $0, options: .caseInsensitive) != nil }
        }
        for page in organiserPages + ordered {
            if let match = page.body.range(of: #"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"#, options: .regularExpression) {
                return FeedbackContact(email: String(page.body[match]), website: eventURL, foundOn: page.title)
            }
        }
        return eventURL.map { FeedbackContact(website: $0) }
    }

    /// Words in the titles of pages where organisers name themselves or their contact.
    private static let organiserTitles = ["veranstalter", "organiser", "organizer", "kontakt", "contact", "impressum", "about us", "über uns"]
}
