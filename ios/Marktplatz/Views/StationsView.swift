import MarktplatzKit
import SwiftUI

/// Stations and exhibitors: two segments over one model.
struct StationsView: View {
    private enum Segment: Hashable { case stations, exhibitors }

    let app: AppModel
    @State private var model: StationsModel
    @State private var segment = Segment.stations

    init(app: AppModel) {
        self.app = app
        _model = State(initialValue: StationsModel(app: app))
    }

    var body: some View {
        List {
            Picker("Show", selection: $segment) {
                Text("Stations").tag(Segment.stations)
                Text("Exhibitors").tag(Segment.exhibitors)
            }
            .pickerStyle(.segmented)
            .listRowSeparator(.hidden)

            switch segment {
            case .stations: stations
            case .exhibitors: exhibitors
            }
        }
        .listStyle(.plain)
        .navigationTitle("Stations")
        .syncStatus(app.sync)
        .refreshable { await app.sync.sync() }
        .task(id: app.content.version) { await model.load() }
    }

    @ViewBuilder
    private var stations: some View {
        if model.stations.isEmpty {
            EmptyStateView(loading: model.loading, problem: model.problem, empty: "No stations.")
        }
        ForEach(model.stations, id: \.location.id) { entry in
            NavigationLink(value: Route.station(entry.location.id)) {
                VStack(alignment: .leading, spacing: 4) {
                    Text(entry.location.name).font(.headline)
                    if !entry.location.description.isEmpty {
                        Text(entry.location.description).font(.subheadline).foregroundStyle(.secondaryText).lineLimit(2)
                    }
                    Text("Exhibitors: \(Int(entry.exhibitorCount)) · Sessions: \(Int(entry.sessionCount))")
                        .font(.caption)
                        .foregroundStyle(.secondaryText)
                }
                .accessibilityElement(children: .combine)
            }
        }
    }

    @ViewBuilder
    private var exhibitors: some View {
        if !model.topics.isEmpty {
            ScrollView(.horizontal, showsIndicators: false) {
                HStack {
                    TopicChip(title: Text("All topics"), selected: model.topic == nil) { choose(nil) }
                    ForEach(model.topics, id: \.self) { topic in
                        TopicChip(title: Text(topic), selected: model.topic == topic) { choose(topic) }
                    }
                }
            }
            .listRowSeparator(.hidden)
        }
        if model.exhibitors.isEmpty {
            EmptyStateView(loading: model.loading, problem: model.problem, empty: "No exhibitors.")
        }
        ForEach(model.exhibitors, id: \.exhibitor.id) { entry in
            NavigationLink(value: Route.exhibitor(entry.exhibitor.id)) {
                HStack {
                    VStack(alignment: .leading, spacing: 4) {
                        Text(entry.exhibitor.name).font(.headline)
                        let line = [entry.stationName, entry.exhibitor.topics.isEmpty ? nil : entry.exhibitor.topics.joined(separator: ", ")]
                            .compactMap { $0 }
                            .joined(separator: " · ")
                        if !line.isEmpty { Text(line).font(.subheadline).foregroundStyle(.secondaryText).lineLimit(2) }
                    }
                    .accessibilityElement(children: .combine)
                    Spacer()
                    FavouriteButton(isFavourite: model.favouriteExhibitors.contains(entry.exhibitor.id), name: entry.exhibitor.name) {
                        Task { await model.toggleFavourite(entry.exhibitor.id) }
                    }
                    .buttonStyle(.borderless)
                }
            }
        }
    }

    private func choose(_ topic: String?) {
        model.topic = topic
        Task { await model.load() }
    }
}

/// A filter chip (selected: filled).
struct TopicChip: View {
    let title: Text
    let selected: Bool
    let action: () -> Void

    var body: some View {
        Button(action: action) {
            title
                .font(.subheadline)
                .padding(.horizontal, 12)
                .padding(.vertical, 6)
                .background(selected ? Color.accentColor.opacity(0.2) : Color(.tertiarySystemFill), in: Capsule())
        }
        .buttonStyle(.plain)
        .accessibilityAddTraits(selected ? [.isButton, .isSelected] : .isButton)
    }
}
