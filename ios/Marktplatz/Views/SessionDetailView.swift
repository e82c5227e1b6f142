import MarktplatzKit
import SwiftUI

/// One session: when and where, who speaks, what it is about; favourite, calendar, share.
struct SessionDetailView: View {
    let app: AppModel
    @State private var model: SessionDetailModel
    @State private var addingToCalendar = false

    init(app: AppModel, sessionId: String) {
        self.app = app
        _model = State(initialValue: SessionDetailModel(app: app, sessionId: sessionId))
    }

    var body: some View {
        Group {
            if let detail = model.detail {
                content(detail)
            } else {
                EmptyStateView(loading: model.loading, problem: model.problem, empty: "This session is not in the programme (any more).")
            }
        }
        .navigationBarTitleDisplayMode(.inline)
        .toolbar {
            if let detail = model.detail {
                ToolbarItemGroup(placement: .primaryAction) {
                    FavouriteButton(isFavourite: model.favourite, name: detail.summary.title) {
                        Task { await model.toggleFavourite() }
                    }
                    Button {
                        addingToCalendar = true
                    } label: {
                        Label("Add to calendar", systemImage: "calendar.badge.plus")
                    }
                    ShareLink(item: model.shareText, subject: Text(detail.summary.title)) {
                        Label("Share", systemImage: "square.and.arrow.up")
                    }
                }
            }
        }
        .sheet(isPresented: $addingToCalendar) {
            if let detail = model.detail { CalendarEventEditor(detail: detail).ignoresSafeArea() }
        }
        .task(id: app.content.version) { await model.load() }
    }

    private func content(_ detail: SessionDetail) -> some View {
        let summary = detail.summary
        return List {
            if let problem = model.problem {
                ProblemView(problem: problem)
            }
            if let alert = model.alert {
                Section {
                    Label {
                        VStack(alignment: .leading) {
                            Text("Changed").font(.headline)
                            Text(AlertText.describe(alert))
                        }
                    } icon: {
                        Image(systemName: "exclamationmark.arrow.circlepath")
                    }
                    .foregroundStyle(.warning)
                    .accessibilityElement(children: .combine)
                }
            }
            Section {
                if summary.status == .cancelled {
                    Text("Cancelled").font(.headline).foregroundStyle(.danger)
                }
                Text(summary.title)
                    .font(.title2.bold())
                    .strikethrough(summary.status == .cancelled)
                    .accessibilityAddTraits(.isHeader)
                if let subtitle = summary.subtitle { Text(subtitle).font(.headline) }
                Label("\(DayPicker.long(summary.day)), \(summary.localStart)–\(summary.localEnd)", systemImage: "clock")
                if let location = detail.location {
                    NavigationLink(value: Route.station(location.id)) {
                        Label(location.name, systemImage: "mappin.and.ellipse")
                    }
                    if location.position != nil {
                        NavigationLink(value: Route.map(.session(summary.id))) {
                            Label("Show on map", systemImage: "map")
                        }
                    }
                }
                if let track = summary.trackName { Label(track, systemImage: "tag") }
                if model.favourite {
                    FavouriteNoteView(title: summary.title, note: model.note) { text in
                        Task { await model.setNote(text) }
                    }
                }
                if !summary.languages.isEmpty {
                    Label(summary.languages.joined(separator: ", "), systemImage: "globe")
                }
            }
            if !detail.speakers.isEmpty {
                Section("Speakers") {
                    ForEach(detail.speakers, id: \.id) { speaker in
                        NavigationLink(value: Route.speaker(speaker.id)) {
                            HStack(spacing: 12) {
                                Avatar(name: speaker.name, photo: model.speakerPhotos[speaker.id])
                                VStack(alignment: .leading) {
                                    Text(speaker.name).font(.headline)
                                    let role = [speaker.role, speaker.organisation].compactMap { $0 }.joined(separator: ", ")
                                    if !role.isEmpty { Text(role).font(.subheadline).foregroundStyle(.secondaryText) }
                                }
                            }
                            .accessibilityElement(children: .combine)
                        }
                    }
                }
            }
            if !detail.session.abstractText.isEmpty || !detail.session.description.isEmpty {
                Section("About") {
                    if !detail.session.abstractText.isEmpty { Text(detail.session.abstractText) }
                    if !detail.session.description.isEmpty { Text(detail.session.description).foregroundStyle(.secondaryText) }
                }
            }
            if !detail.session.links.isEmpty {
                Section {
                    ForEach(detail.session.links, id: \.url) { link in
                        if let url = URL(string: link.url) { Link(link.title, destination: url) }
                    }
                }
            }
        }
    }
}
