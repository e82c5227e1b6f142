import MarktplatzKit
import SwiftUI

/// A friend's sessions beside mine: which are mine already, which clash, and "add theirs".
struct ClashView: View {
    let app: AppModel
    @State private var model: ClashModel

    init(app: AppModel, code: String) {
        self.app = app
        _model = State(initialValue: ClashModel(app: app, code: code))
    }

    var body: some View {
        List {
            if model.theirs.isEmpty {
                EmptyStateView(loading: model.loading, problem: model.problem, empty: "Their code holds no sessions of this event.")
            } else if let problem = model.problem {
                ProblemView(problem: problem)
            }
            if model.unresolved > 0 {
                Text("Shared entries not in the programme on this phone: \(Int(model.unresolved))").font(.footnote)
            }
            if !model.addable.isEmpty {
                Button("Add the sessions without a clash (\(Int(model.addable.count)))") {
                    Task { await model.addAllNonClashing() }
                }
            }
            if !model.theirs.isEmpty {
                Section("Their sessions") {
                    ForEach(model.theirs, id: \.session.id) { shared in theirRow(shared) }
                }
            }
            if !model.mine.isEmpty {
                Section("My sessions") {
                    ForEach(model.mine, id: \.id) { session in
                        VStack(alignment: .leading) {
                            Text(timeAndPlace(session)).font(.caption)
                            Text(session.title)
                        }
                        .accessibilityElement(children: .combine)
                    }
                }
            }
        }
        .navigationTitle("Their favourites")
        .task(id: app.content.version) { await model.load() }
    }

    private func theirRow(_ shared: SharedSession) -> some View {
        HStack {
            VStack(alignment: .leading, spacing: 2) {
                Text(timeAndPlace(shared.session)).font(.caption)
                Text(shared.session.title)
                if shared.mine {
                    Text("Also one of my favourites").font(.caption).foregroundStyle(.tint)
                }
                if !shared.clashesWith.isEmpty {
                    let others = shared.clashesWith.map(model.myTitle(of:)).joined(separator: ", ")
                    Marker(text: Text("Overlaps with \(others)"), systemImage: "exclamationmark.triangle", tint: .danger)
                }
            }
            .accessibilityElement(children: .combine)
            Spacer()
            if !shared.mine {
                Button("Add") { Task { await model.addTheirs(shared.session.id) } }
                    .buttonStyle(.bordered)
                    .accessibilityLabel("Add \(shared.session.title) to my favourites")
            }
        }
    }
}

/// "10:55–11:35, Forum": when and where, in one short line.
func timeAndPlace(_ session: SessionSummary) -> String {
    "\(session.localStart)–\(session.localEnd)" + (session.locationName.map { ", \($0)" } ?? "")
}
