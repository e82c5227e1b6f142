import MarktplatzKit
import SwiftUI

/// Today's agenda: now, next, then the whole day by start time; day picker for longer events.
struct AgendaView: View {
    let app: AppModel
    @State private var model: AgendaModel

    init(app: AppModel) {
        self.app = app
        _model = State(initialValue: AgendaModel(app: app))
    }

    var body: some View {
        List {
            if model.days.count > 1 {
                DayPicker(days: model.days, selection: model.day) { day in
                    Task { await model.select(day) }
                }
            }
            AgendaFilterBar(filter: model.filter, places: model.places, tracks: model.tracks) { filter in
                Task { await model.setFilter(filter) }
            }
            if !model.now.isEmpty {
                Section("Now") {
                    ForEach(model.now, id: \.id) { row($0) }
                }
            }
            if !model.next.isEmpty {
                Section("Next") {
                    ForEach(model.next.prefix(6), id: \.id) { row($0) }
                }
            }
            Section {
                if model.sessions.isEmpty {
                    if model.filter.isActive {
                        EmptyStateView(loading: model.loading, problem: model.problem, empty: "No sessions on this day match the filter.")
                    } else {
                        EmptyStateView(loading: model.loading, problem: model.problem, empty: "No sessions on this day.")
                    }
                }
                ForEach(model.sessions, id: \.id) { row($0) }
            } header: {
                if let day = model.day { Text(DayPicker.long(day)) }
            }
        }
        .listStyle(.plain)
        .navigationTitle("Agenda")
        .syncStatus(app.sync)
        .refreshable { await app.sync.sync() }
        .task(id: app.content.version) { await model.load() }
        .task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(60))
                await model.refreshNowNext()
            }
        }
    }

    private func row(_ session: SessionSummary) -> some View {
        NavigationLink(value: Route.session(session.id)) {
            SessionRow(session: session, favourite: model.favourites.contains(session.id)) {
                Task { await model.toggleFavourite(session.id) }
            }
        }
    }
}

/// One segment per conference day (shown for events of more than one day).
struct DayPicker: View {
    let days: [LocalDate]
    let selection: LocalDate?
    let onSelect: (LocalDate) -> Void

    var body: some View {
        Picker("Day", selection: Binding(get: { selection ?? days.first ?? "" }, set: onSelect)) {
            ForEach(days, id: \.self) { day in
                Text(Self.short(day)).tag(day).accessibilityLabel(Text(Self.long(day)))
            }
        }
        .pickerStyle(.segmented)
    }

    /// Core days are "YYYY-MM-DD"; shown in the UI language ("Mon 1 Feb" / "Mo., 1. Feb.").
    static func short(_ day: LocalDate) -> String {
        date(day)?.formatted(.dateTime.weekday(.abbreviated).day().month(.abbreviated)) ?? day
    }

    static func long(_ day: LocalDate) -> String {
        date(day)?.formatted(date: .complete, time: .omitted) ?? day
    }

    private static func date(_ day: LocalDate) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .current
        let parts = day.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        return calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: 12))
    }
}
