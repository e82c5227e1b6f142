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
                        Self.label(result.hit.kind).font(.caption).foregroundStyle(.secondaryText)
                        Text(result.title).font(.headline)
                        if let whenAndWhere = result.hit.whenAndWhere {
                            WhenAndWhereLine(whenAndWhere: whenAndWhere)
                        }
                        if !result.context.characters.isEmpty {
                            Text(result.context).font(.subheadline).foregroundStyle(.secondaryText).lineLimit(2)
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

/// When and where a session hit takes place: "Mon 1 Feb · 11:00–11:30 · Forum", read aloud with
/// the full date and "to" instead of the dash.
private struct WhenAndWhereLine: View {
    let whenAndWhere: WhenAndWhere

    var body: some View {
        let day = DayPicker.short(whenAndWhere.day)
        let fullDay = DayPicker.long(whenAndWhere.day)
        let start = whenAndWhere.localStart
        let end = whenAndWhere.localEnd
        Group {
            if let place = whenAndWhere.place {
                Text("\(day) · \(start)–\(end) · \(place)")
                    .accessibilityLabel(Text("\(fullDay), \(start) to \(end), \(place)"))
            } else {
                Text("\(day) · \(start)–\(end)")
                    .accessibilityLabel(Text("\(fullDay), \(start) to \(end)"))
            }
        }
        .font(.subheadline)
        .foregroundStyle(.tint)
    }
}
