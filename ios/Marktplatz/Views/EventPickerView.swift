import MarktplatzKit
import SwiftUI

/// The events on this phone (pick one to show), the server's others, and one to add by its id.
struct EventPickerView: View {
    let app: AppModel
    @State private var model: EventPickerModel
    @State private var newId = ""

    init(app: AppModel) {
        self.app = app
        _model = State(initialValue: EventPickerModel(app: app))
    }

    var body: some View {
        List {
            Section("Events on this phone") {
                ForEach(model.events, id: \.id) { summary in
                    Button {
                        model.choose(summary.id)
                    } label: {
                        HStack {
                            VStack(alignment: .leading) {
                                Text(summary.title).foregroundStyle(.primary)
                                if let synced = summary.lastSyncedAt {
                                    Text("Updated \(synced.formatted(.relative(presentation: .named, unitsStyle: .wide)))")
                                        .font(.footnote).foregroundStyle(.secondaryText)
                                } else {
                                    Text("Not updated yet").font(.footnote).foregroundStyle(.secondaryText)
                                }
                            }
                            Spacer()
                            if summary.id == model.current {
                                Image(systemName: "checkmark").accessibilityHidden(true)
                            }
                        }
                    }
                    .accessibilityElement(children: .combine)
                    .accessibilityAddTraits(summary.id == model.current ? .isSelected : [])
                }
            }
            Section("Offered by the server") {
                ForEach(model.offered, id: \.id) { listed in
                    HStack {
                        VStack(alignment: .leading) {
                            Text(listed.title)
                            if let days = Self.days(listed) {
                                Text(days).font(.footnote).foregroundStyle(.secondaryText)
                            }
                        }
                        Spacer()
                        Button("Add") { Task { await model.add(listed.id) } }
                            .disabled(model.adding != nil)
                    }
                    .accessibilityElement(children: .combine)
                }
                if let problem = model.serverProblem {
                    ProblemView(problem: problem)
                    Button("Try again") { Task { await model.loadServerEvents() } }
                } else if model.serverListed && model.offered.isEmpty {
                    Text("The server offers no other event.")
                }
            }
            Section {
                TextField("Event id", text: $newId)
                    .textInputAutocapitalization(.never)
                    .autocorrectionDisabled()
                    .onSubmit { add() }
                Button("Add") { add() }
                    .disabled(newId.trimmingCharacters(in: .whitespaces).isEmpty || model.adding != nil)
                if model.adding != nil { ProgressView() }
                if let problem = model.problem { ProblemView(problem: problem) }
            } header: {
                Text("Add an event")
            } footer: {
                Text("Enter the event id from the organisers’ link or poster. Each event keeps its own content and favourites.")
            }
        }
        .navigationTitle("Events")
        .task(id: app.content.version) { await model.load() }
        .task { await model.loadServerEvents() }
    }

    /// "4 Mar 2027" or "4 Mar 2027 – 5 Mar 2027" in the UI language; nil without days.
    private static func days(_ listed: ListedEvent) -> String? {
        guard let first = listed.firstDay else { return nil }
        let last = listed.lastDay ?? first
        let from = AgendaView.long(first)
        return last == first ? from : "\(from) – \(AgendaView.long(last))"
    }

    private func add() {
        let id = newId
        Task { await model.add(id) }
    }
}
