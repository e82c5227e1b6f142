import MarktplatzKit
import SwiftUI

/// Search as you type over sessions, speakers, exhibitors and places, matches highlighted.
struct SearchView: View {
    let app: AppModel
    @State private var model: SearchModel

    init(app: AppModel) {
        self.app = app
        _model = State(initialValue: SearchModel(app: app))
    }

    var body: some View {
        List {
            if !model.text.isEmpty {
                ScrollView(.horizontal, showsIndicators: false) {
                    HStack {
                        TopicChip(title: Text("All"), selected: model.kind == nil) { model.kind = nil }
                        ForEach(model.kinds, id: \.self) { kind in
                            TopicChip(title: Self.label(kind), selected: model.kind == kind) { model.kind = kind }
                        }
                    }
                }
                .listRowSeparator(.hidden)
            }
            if let problem = model.problem {
                ProblemView(problem: problem)
            }
            ForEach(model.results) { result in
                NavigationLink(value: Self.route(result.hit)) {
                    VStack(alignment: .leading, spacing: 4) {
                        Self.label(result.hit.kind).font(.caption).foregroundStyle(.secondary)
                        Text(result.title).font(.headline)
                        if !result.context.characters.isEmpty {
                            Text(result.context).font(.subheadline).foregroundStyle(.secondary).lineLimit(2)
                        }
                    }
                    .accessibilityElement(children: .combine)
                }
            }
        }
        .listStyle(.plain)
        .overlay {
            if !model.text.trimmingCharacters(in: .whitespaces).isEmpty, model.results.isEmpty, !model.searching, model.problem == nil {
                ContentUnavailableView.search(text: model.text)
            }
        }
        .navigationTitle("Search")
        .searchable(text: $model.text, placement: .navigationBarDrawer(displayMode: .always), prompt: Text("Sessions, speakers, exhibitors…"))
        .autocorrectionDisabled()
        .onChange(of: model.text) { model.search() }
        .onChange(of: model.kind) { model.search() }
        .onChange(of: app.content.version) { model.search() }
    }

    private static func route(_ hit: SearchHit) -> Route {
        switch hit.kind {
        case .speaker: .speaker(hit.id)
        case .exhibitor: .exhibitor(hit.id)
        case .location: .station(hit.id)
        default: .session(hit.id)
        }
    }

    private static func label(_ kind: EntityKind) -> Text {
        switch kind {
        case .session: Text("Session")
        case .speaker: Text("Speaker")
        case .exhibitor: Text("Exhibitor")
        case .location: Text("Place")
        case .track: Text("Track")
        case .announcement: Text("Announcement")
        case .infoPage: Text("Info")
        default: Text("All")
        }
    }
}
