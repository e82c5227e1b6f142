import SwiftUI

/// Everything that is not a tab of its own.
struct MoreView: View {
    let app: AppModel

    var body: some View {
        List {
            NavigationLink(value: Route.announcements) { Label("Announcements", systemImage: "megaphone") }
            NavigationLink(value: Route.speakers) { Label("Speakers", systemImage: "person.2") }
            NavigationLink(value: Route.share) { Label("Share favourites", systemImage: "qrcode") }
            NavigationLink(value: Route.gallery) { Label("Gallery", systemImage: "photo.on.rectangle") }
            NavigationLink(value: Route.info) { Label("Event and venue", systemImage: "info.circle") }
            NavigationLink(value: Route.settings) { Label("Settings", systemImage: "gear") }
            NavigationLink(value: Route.organiser) { Label("Organiser mode", systemImage: "person.badge.key") }
            NavigationLink(value: Route.map(nil)) { Label("Hall map", systemImage: "map") }
            NavigationLink(value: Route.events) { Label("Events", systemImage: "arrow.left.arrow.right") }
            NavigationLink(value: Route.accessibilityStatement) { Label("Accessibility statement", systemImage: "accessibility") }
            if !app.notices.isEmpty {
                Section {
                    ForEach(app.notices, id: \.self) { Text($0).font(.footnote) }
                }
            }
        }
        .navigationTitle("More")
        .syncStatus(app.sync)
    }
}
