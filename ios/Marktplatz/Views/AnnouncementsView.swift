import MarktplatzKit
import SwiftUI

/// The organisers' announcements in force; urgent ones stand out.
struct AnnouncementsView: View {
    let app: AppModel
    @State private var model: AnnouncementsModel

    init(app: AppModel) {
        self.app = app
        _model = State(initialValue: AnnouncementsModel(app: app))
    }

    var body: some View {
        List {
            if model.announcements.isEmpty {
                EmptyStateView(loading: model.loading, problem: model.problem, empty: "No announcements right now.")
            }
            ForEach(model.announcements, id: \.id) { announcement in
                VStack(alignment: .leading, spacing: 6) {
                    switch announcement.priority {
                    case .urgent:
                        Label("Urgent", systemImage: "exclamationmark.octagon.fill").font(.caption.bold()).foregroundStyle(.danger)
                    case .important:
                        Label("Important", systemImage: "exclamationmark.circle.fill").font(.caption.bold()).foregroundStyle(.warning)
                    case .normal:
                        EmptyView()
                    }
                    Text(announcement.title).font(.headline)
                    if !announcement.body.isEmpty { Text(announcement.body) }
                    Text(announcement.publishedAt, format: .dateTime.day().month().hour().minute())
                        .font(.caption)
                        .foregroundStyle(.secondaryText)
                }
                .padding(.vertical, 4)
                .accessibilityElement(children: .combine)
            }
        }
        .navigationTitle("Announcements")
        .syncStatus(app.sync)
        .refreshable { await app.sync.sync() }
        .task(id: app.content.version) { await model.load() }
    }
}
