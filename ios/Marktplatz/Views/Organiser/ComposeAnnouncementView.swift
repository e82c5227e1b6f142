import MarktplatzKit
import SwiftUI

/// A new announcement: shown on this phone at once, sent now or when online.
struct ComposeAnnouncementView: View {
    let app: AppModel
    @State private var model: OrganiserModel
    @State private var title = ""
    @State private var text = ""
    @State private var priority = Priority.normal
    @State private var expiresIn: TimeInterval = 0
    @Environment(\.dismiss) private var dismiss

    init(app: AppModel) {
        self.app = app
        _model = State(initialValue: OrganiserModel(app: app))
    }

    var body: some View {
        Form {
            Section {
                TextField("Title", text: $title)
                TextField("Text", text: $text, axis: .vertical).lineLimit(4...10)
            }
            Section("Priority") {
                Picker("Priority", selection: $priority) {
                    Text("Normal").tag(Priority.normal)
                    Text("Important").tag(Priority.important)
                    Text("Urgent").tag(Priority.urgent)
                }
                .pickerStyle(.segmented)
            }
            Section("Shown for") {
                Picker("Shown for", selection: $expiresIn) {
                    Text("Until withdrawn").tag(TimeInterval(0))
                    Text("1 hour").tag(TimeInterval(3600))
                    Text("4 hours").tag(TimeInterval(4 * 3600))
                    Text("1 day").tag(TimeInterval(24 * 3600))
                }
                .pickerStyle(.inline)
                .labelsHidden()
            }
            if let problem = model.problem {
                Section { ProblemView(problem: problem) }
            }
            Section {
                Button("Publish") {
                    Task {
                        await model.announce(title: title, body: text, priority: priority, expiresIn: expiresIn > 0 ? expiresIn : nil)
                        if model.problem == nil { dismiss() }
                    }
                }
                .disabled(title.trimmingCharacters(in: .whitespaces).isEmpty || model.busy)
            } footer: {
                Text("Attendees see it with their next update.")
            }
        }
        .navigationTitle("New announcement")
        .task { await model.load() }
    }
}
