import MarktplatzKit
import SwiftUI

/// One station: what it is about, who exhibits there, and its programme.
struct StationDetailView: View {
    let app: AppModel
    @State private var model: StationDetailModel

    init(app: AppModel, locationId: String) {
        self.app = app
        _model = State(initialValue: StationDetailModel(app: app, locationId: locationId))
    }

    var body: some View {
        List {
            if let location = model.location {
                if location.position != nil {
                    NavigationLink(value: Route.map(.station(location.id))) { Label("Show on map", systemImage: "map") }
                }
                if !location.description.isEmpty {
                    Section { Text(location.description) }
                }
                if !model.exhibitors.isEmpty {
                    Section("Exhibitors") {
                        ForEach(model.exhibitors, id: \.exhibitor.id) { entry in
                            NavigationLink(value: Route.exhibitor(entry.exhibitor.id)) {
                                VStack(alignment: .leading) {
                                    Text(entry.exhibitor.name).font(.headline)
                                    Text(entry.exhibitor.topics.joined(separator: ", ")).font(.subheadline).foregroundStyle(.secondaryText)
                                }
                                .accessibilityElement(children: .combine)
                            }
                        }
                    }
                }
                if !model.sessions.isEmpty {
                    Section("Programme here") {
                        ForEach(model.sessions, id: \.id) { session in
                            NavigationLink(value: Route.session(session.id)) { SessionRow(session: session, favourite: nil) }
                        }
                    }
                }
            } else {
                EmptyStateView(loading: model.loading, problem: model.problem, empty: "No stations.")
            }
        }
        .navigationTitle(model.location?.name ?? "")
        .task(id: app.content.version) { await model.load() }
    }
}
