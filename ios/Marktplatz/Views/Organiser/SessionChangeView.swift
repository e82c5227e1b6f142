import MarktplatzKit
import SwiftUI

/// Pick a session, then move it, give it a new time, edit its texts, cancel or reinstate it.
struct SessionChangeView: View {
    let app: AppModel
    @State private var model: OrganiserModel
    @State private var picked: SessionSummary?

    init(app: AppModel) {
        self.app = app
        _model = State(initialValue: OrganiserModel(app: app))
    }

    var body: some View {
        List {
            if let problem = model.problem {
                Section { ProblemView(problem: problem) }
            }
            ForEach(model.sessions, id: \.id) { session in
                Button {
                    picked = session
                } label: {
                    VStack(alignment: .leading) {
                        Text("\(session.localStart)–\(session.localEnd) · \(session.locationName ?? "")").font(.caption).foregroundStyle(.secondaryText)
                        Text(session.title).foregroundStyle(.primary)
                        if session.status == .cancelled { Text("Cancelled").font(.caption).foregroundStyle(.danger) }
                    }
                    .accessibilityElement(children: .combine)
                }
            }
        }
        .navigationTitle("Move or cancel a session")
        .sheet(item: Binding(get: { picked.map(Picked.init) }, set: { picked = $0?.session })) { item in
            ChangeSheet(session: item.session, locations: model.locations, model: model)
        }
        .sheet(item: $model.editing) { form in
            EditFormSheet(form: form, model: model)
        }
        .task(id: app.content.version) { await model.load() }
    }

    private struct Picked: Identifiable {
        let session: SessionSummary
        var id: String { session.id }
    }
}

private struct ChangeSheet: View {
    let session: SessionSummary
    let locations: [Location]
    let model: OrganiserModel
    @State private var target: String?
    @State private var start: String
    @State private var end: String
    @Environment(\.dismiss) private var dismiss

    init(session: SessionSummary, locations: [Location], model: OrganiserModel) {
        self.session = session
        self.locations = locations
        self.model = model
        _start = State(initialValue: session.localStart)
        _end = State(initialValue: session.localEnd)
    }

    var body: some View {
        NavigationStack {
            Form {
                Section {
                    Picker("Move to", selection: Binding(get: { target ?? session.locationId ?? "" }, set: { target = $0 })) {
                        ForEach(locations, id: \.id) { location in
                            Text(location.name).tag(location.id)
                        }
                    }
                    Button("Move") {
                        guard let target else { return }
                        Task {
                            await model.move(session: session.id, to: target)
                            dismiss()
                        }
                    }
                    .disabled(target == nil || target == session.locationId)
                }
                Section {
                    TextField("Starts (hh:mm)", text: $start).keyboardType(.numbersAndPunctuation)
                    TextField("Ends (hh:mm)", text: $end).keyboardType(.numbersAndPunctuation)
                    Button("Set this time") {
                        Task {
                            await model.retime(session: session.id, start: start, end: end)
                            dismiss()
                        }
                    }
                    .disabled(start == session.localStart && end == session.localEnd)
                    Button("Edit title and texts") {
                        dismiss()
                        Task { await model.edit(.session, id: session.id) }
                    }
                }
                Section {
                    if session.status == .cancelled {
                        Button("Reinstate session") {
                            Task {
                                await model.reinstate(session: session.id)
                                dismiss()
                            }
                        }
                    } else {
                        Button("Cancel session", role: .destructive) {
                            Task {
                                await model.cancel(session: session.id)
                                dismiss()
                            }
                        }
                    }
                }
            }
            .navigationTitle(session.title)
            .navigationBarTitleDisplayMode(.inline)
            .toolbar {
                ToolbarItem(placement: .cancellationAction) {
                    Button("Close") { dismiss() }
                }
            }
        }
    }
}
