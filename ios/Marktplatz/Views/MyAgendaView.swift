import MarktplatzKit
import SwiftUI

/// My agenda: the day's favourites with conflicts, tight walks and change alerts marked.
struct MyAgendaView: View {
    let app: AppModel
    @State private var model: MyAgendaModel

    init(app: AppModel) {
        self.app = app
        _model = State(initialValue: MyAgendaModel(app: app))
    }

    var body: some View {
        List {
            if model.days.count > 1 {
                DayPicker(days: model.days, selection: model.day) { day in
                    Task { await model.select(day) }
                }
            }
            if !model.mineNow.isEmpty {
                Section("My favourites now") {
                    ForEach(model.mineNow, id: \.id) { nowNextRow($0) }
                }
            }
            if !model.mineNext.isEmpty {
                Section("My favourites next") {
                    ForEach(model.mineNext, id: \.id) { nowNextRow($0) }
                }
            }
            if let agenda = model.agenda, agenda.conflictCount > 0 {
                Marker(text: Text("\(Int(agenda.conflictCount)) sessions overlap"), systemImage: "exclamationmark.triangle", tint: .danger)
            }
            if model.agenda?.entries.isEmpty ?? true {
                EmptyStateView(loading: model.loading, problem: model.problem, empty: "Nothing here yet. Tap the star on a session to add it.")
            }
            ForEach(model.agenda?.entries ?? [], id: \.session.id) { entry in
                NavigationLink(value: Route.session(entry.session.id)) {
                    SessionRow(session: entry.session, favourite: true, onToggleFavourite: {
                        Task { await model.remove(kind: .session, id: entry.session.id) }
                    }) {
                        badges(entry)
                    }
                }
            }
            if let gaps = model.agenda?.gaps, !gaps.isEmpty {
                Section("Free time") {
                    ForEach(gaps, id: \.start) { gap in
                        Text("\(gap.localStart)–\(gap.localEnd) (\(Int(gap.minutes)) min)")
                    }
                }
            }
            if !model.others.isEmpty {
                Section("Speakers and exhibitors") {
                    ForEach(model.others, id: \.id) { favourite in
                        NavigationLink(value: favourite.kind == .speaker ? Route.speaker(favourite.id) : Route.exhibitor(favourite.id)) {
                            VStack(alignment: .leading) {
                                Text(favourite.title ?? favourite.id)
                                if favourite.state == .removed {
                                    Text("No longer in the programme").font(.caption).foregroundStyle(.danger)
                                }
                            }
                        }
                        .swipeActions {
                            Button("Remove", role: .destructive) {
                                Task { await model.remove(kind: favourite.kind, id: favourite.id) }
                            }
                        }
                    }
                }
            }
        }
        .listStyle(.plain)
        .navigationTitle("My agenda")
        .syncStatus(app.sync)
        .toolbar {
            if !model.alerts.isEmpty {
                Button {
                    Task { await model.markAllSeen() }
                } label: {
                    Label("Mark changes as seen", systemImage: "checkmark.circle")
                }
            }
            if let file = model.calendarFile {
                ShareLink(item: file) {
                    Label("Export to calendar", systemImage: "calendar.badge.plus")
                }
            }
        }
        .refreshable { await app.sync.sync() }
        .task(id: app.content.version) { await model.load() }
    }

    private func nowNextRow(_ session: SessionSummary) -> some View {
        NavigationLink(value: Route.session(session.id)) {
            VStack(alignment: .leading) {
                Text(timeAndPlace(session)).font(.caption)
                Text(session.title)
            }
            .accessibilityElement(children: .combine)
        }
    }

    @ViewBuilder
    private func badges(_ entry: AgendaEntry) -> some View {
        if let alert = model.alerts[entry.session.id] {
            Marker(text: Text(AlertText.describe(alert)), systemImage: "exclamationmark.arrow.circlepath", tint: .warning)
        }
        if !entry.conflictsWith.isEmpty {
            let others = entry.conflictsWith.map(model.title(of:)).joined(separator: ", ")
            Marker(text: Text("Overlaps with \(others)"), systemImage: "exclamationmark.triangle", tint: .danger)
        }
        if let walk = entry.walk, walk.tight {
            if walk.overlapMinutes > 0 {
                Marker(text: Text("Overlaps by \(Int(walk.overlapMinutes)) min with the session at \(walk.fromLocationName ?? "")"), systemImage: "figure.walk", tint: .danger)
            } else {
                Marker(text: Text("Only \(Int(walk.gapMinutes)) min to get here from \(walk.fromLocationName ?? "")"), systemImage: "figure.walk", tint: .danger)
            }
        }
        if entry.state == .removed {
            Marker(text: Text("No longer in the programme"), systemImage: "xmark.circle", tint: .danger)
        }
        if entry.state == .present {
            FavouriteNoteView(title: entry.session.title, note: entry.note) { text in
                Task { await model.setNote(sessionId: entry.session.id, text: text) }
            }
        }
    }
}

/// A small coloured line with an icon: a conflict, a change, a tight walk.
struct Marker: View {
    let text: Text
    let systemImage: String
    let tint: Color

    var body: some View {
        Label { text } icon: { Image(systemName: systemImage) }
            .font(.caption)
            .foregroundStyle(tint)
    }
}
