import MapKit
import MarktplatzKit
import SwiftUI

/// The event, its venue (address, map, directions) and the organisers' info pages.
struct EventInfoView: View {
    let app: AppModel
    @State private var model: EventInfoModel

    init(app: AppModel) {
        self.app = app
        _model = State(initialValue: EventInfoModel(app: app))
    }

    var body: some View {
        List {
            if model.overview != nil, let problem = model.problem {
                ProblemView(problem: problem)
            }
            if let overview = model.overview {
                let event = overview.event
                Section {
                    if let logo = model.logoFile {
                        LocalImage(url: logo, contentMode: .fit).frame(maxHeight: 120).accessibilityLabel(Text("Logo of \(event.title)"))
                    }
                    Text(event.title).font(.title2.bold()).accessibilityAddTraits(.isHeader)
                    if let subtitle = event.subtitle { Text(subtitle).font(.headline) }
                    if !event.description.isEmpty { Text(event.description) }
                    if let site = event.url, let url = URL(string: site) { Link("Website", destination: url) }
                }
                Section("Venue") {
                    Text(event.venue.name).font(.headline)
                    Text(address(event.venue))
                    Button {
                        openInMaps(event.venue)
                    } label: {
                        Label("Directions", systemImage: "map")
                    }
                    if let map = model.mapFile {
                        LocalImage(url: map, contentMode: .fit).accessibilityLabel(Text("Map of the venue"))
                    }
                }
                ForEach(model.pages, id: \.id) { page in
                    Section(page.title) { Text(page.body) }
                }
            } else {
                EmptyStateView(loading: model.loading, problem: model.problem, empty: "Nothing stored yet")
            }
        }
        .navigationTitle("Event and venue")
        .task(id: app.content.version) { await model.load() }
    }

    private func address(_ venue: Venue) -> String {
        [venue.street, [venue.postalCode, venue.city].filter { !$0.isEmpty }.joined(separator: " ")]
            .filter { !$0.isEmpty }
            .joined(separator: "\n")
    }

    /// Apple Maps at the coordinates if known, else searching the address.
    private func openInMaps(_ venue: Venue) {
        if let latitude = venue.latitude, let longitude = venue.longitude {
            let item = MKMapItem(placemark: MKPlacemark(coordinate: CLLocationCoordinate2D(latitude: latitude, longitude: longitude)))
            item.name = venue.name
            item.openInMaps(launchOptions: [MKLaunchOptionsDirectionsModeKey: MKLaunchOptionsDirectionsModeDefault])
        } else if let query = [venue.name, venue.street, venue.postalCode + " " + venue.city].joined(separator: ", ").addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed),
                  let url = URL(string: "maps://?q=\(query)") {
            UIApplication.shared.open(url)
        }
    }
}
