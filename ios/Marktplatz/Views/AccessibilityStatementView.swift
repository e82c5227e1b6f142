import SwiftUI

/// "Erklärung zur Barrierefreiheit" (BITV 2.0 § 7): status, known gaps, feedback, conciliation.
struct AccessibilityStatementView: View {
    let app: AppModel
    @State private var model: AccessibilityStatementModel

    init(app: AppModel) {
        self.app = app
        _model = State(initialValue: AccessibilityStatementModel(app: app))
    }

    var body: some View {
        List {
            if let problem = model.problem {
                ProblemView(problem: problem)
            }
            Section {
                Text("This statement covers the Marktplatz app for \(eventName). We want the app to be usable by everyone, as the German accessibility regulation (BITV 2.0) and EN 301 549 (WCAG 2.1 AA) require.")
            }
            Section("Status") {
                Text("The app is partially compliant. Every control and image has a label for screen readers, text follows the system font size, both light and dark themes are supported, and the hall map has a list of its places. The gaps below are known.")
            }
            Section("Colour contrast") {
                Text("Calculated from the app's colours in the light and the dark appearance: text has a contrast of at least \(Self.ratio(AccessibilityStatementModel.measuredMinTextContrast)):1, icons at least \(Self.ratio(AccessibilityStatementModel.measuredMinNonTextContrast)):1 (WCAG 2.1 AA asks 4.5:1 and 3:1).")
            }
            Section("Known gaps") {
                ForEach(model.gaps, id: \.self) { gap in Text(gapText(gap)) }
            }
            Section("Date of this statement") {
                Text("Prepared on \(AccessibilityStatementModel.statementDate.formatted(date: .long, time: .omitted)) by self-assessment.")
            }
            Section("Feedback and contact") {
                if let contact = model.contact {
                    Text("Found a barrier, or need content in another form? Tell the organisers.")
                    if let email = contact.email, let url = URL(string: "mailto:\(email)") {
                        Link(destination: url) { Label("Write to \(email)", systemImage: "envelope") }
                    }
                    if let site = contact.website, let url = URL(string: site) {
                        Link(destination: url) { Label("Website: \(site)", systemImage: "safari") }
                    }
                } else if !model.loading {
                    Text("This event names no contact. Please ask at the information desk, or contact the conciliation body below.")
                }
            }
            Section("Conciliation procedure") {
                Text("If your feedback gets no satisfactory answer, you can ask the conciliation body under § 16 of the German Disability Equality Act (BGG) for an out-of-court settlement. It is free of charge and needs no lawyer.")
                if let url = AccessibilityStatementModel.conciliationURL {
                    Link(destination: url) { Label("Schlichtungsstelle nach dem BGG", systemImage: "building.columns") }
                }
            }
        }
        .navigationTitle("Accessibility statement")
        .task(id: app.content.version) { await model.load() }
    }

    private var eventName: String { model.eventTitle ?? "Marktplatz" }

    /// "4.5" / "4,5" in the reader's language.
    private static func ratio(_ value: Double) -> String {
        value.formatted(.number.precision(.fractionLength(1)))
    }

    private func gapText(_ gap: AccessibilityStatementModel.KnownGap) -> LocalizedStringKey {
        switch gap {
        case .notTestedOnDevice: "The app has not yet been tested on a device with TalkBack or VoiceOver."
        case .fontScalingUnverified: "Text enlarged to 200 % has not been checked on a device; some lines may be cut off."
        case .contrastNotMeasuredOnScreen: "Contrast was calculated from the colour definitions, not measured on a screen. The system's own colours of controls and bars, and the colours of the programme's tracks, were not measured."
        case .mapIsAnImage: "The hall map is a picture; use the list of places below it instead."
        case .organiserContent: "Texts and photos come from the organisers; the app does not check them for accessibility."
        }
    }
}
