import MarktplatzKit
import SwiftUI

/// One exhibitor: who they are, their topics, where to find them, how to reach them.
struct ExhibitorDetailView: View {
    let app: AppModel
    @State private var model: ExhibitorDetailModel

    init(app: AppModel, exhibitorId: String) {
        self.app = app
        _model = State(initialValue: ExhibitorDetailModel(app: app, exhibitorId: exhibitorId))
    }

    var body: some View {
        Group {
            if let entry = model.entry {
                content(entry)
            } else {
                EmptyStateView(loading: model.loading, problem: model.problem, empty: "No exhibitors.")
            }
        }
        .navigationBarTitleDisplayMode(.inline)
        .toolbar {
            if let entry = model.entry {
                FavouriteButton(isFavourite: model.favourite, name: entry.exhibitor.name) {
                    Task { await model.toggleFavourite() }
                }
            }
        }
        .task(id: app.content.version) { await model.load() }
    }

    private func content(_ entry: ExhibitorEntry) -> some View {
        let exhibitor = entry.exhibitor
        return List {
            if let problem = model.problem {
                ProblemView(problem: problem)
            }
            Section {
                if let logo = model.logo {
                    LocalImage(url: logo, contentMode: .fit)
                        .frame(maxHeight: 96)
                        .accessibilityLabel(Text("Logo of \(exhibitor.name)"))
                }
                Text(exhibitor.name).font(.title2.bold()).accessibilityAddTraits(.isHeader)
                if let station = entry.stationName, let stationId = exhibitor.stationId {
                    NavigationLink(value: Route.station(stationId)) {
                        Label("At \(station)", systemImage: "mappin.and.ellipse")
                    }
                }
                if !exhibitor.topics.isEmpty {
                    Text(exhibitor.topics.joined(separator: " · ")).font(.subheadline).foregroundStyle(.tint)
                }
                if !exhibitor.description.isEmpty { Text(exhibitor.description) }
            }
            if exhibitor.contact != nil || exhibitor.website != nil {
                Section("Contact") {
                    if let name = exhibitor.contact?.name { Text(name) }
                    if let email = exhibitor.contact?.email, let url = URL(string: "mailto:\(email)") {
                        Link(destination: url) { Label(email, systemImage: "envelope") }
                    }
                    if let phone = exhibitor.contact?.phone, let url = URL(string: "tel:\(phone.filter { !$0.isWhitespace })") {
                        Link(destination: url) { Label(phone, systemImage: "phone") }
                    }
                    if let site = exhibitor.website, let url = URL(string: site) {
                        Link(destination: url) { Label("Website", systemImage: "safari") }
                    }
                }
            }
        }
    }
}
