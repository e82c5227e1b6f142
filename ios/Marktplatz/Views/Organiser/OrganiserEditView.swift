import MarktplatzKit
import SwiftUI

/// The stations, exhibitors, announcements, photos or info pages of the event: tap one to edit
/// it (or retract/remove it); info pages can be added and moved up or down. Sent like every
/// organiser operation.
struct OrganiserEditView: View {
    let app: AppModel
    let kind: EditKind
    @State private var model: OrganiserModel
    @State private var adding = false

    init(app: AppModel, kind: EditKind) {
        self.app = app
        self.kind = kind
        _model = State(initialValue: OrganiserModel(app: app))
    }

    var body: some View {
        List {
            let entries = model.entries[kind] ?? []
            if entries.isEmpty {
                Text("Nothing here yet.").foregroundStyle(.secondaryText)
            }
            ForEach(Array(entries.enumerated()), id: \.element.id) { index, entry in
                HStack {
                    Button {
                        Task { await model.edit(kind, id: entry.id) }
                    } label: {
                        VStack(alignment: .leading) {
                            Text(entry.label).foregroundStyle(.primary)
                            if !entry.detail.isEmpty {
                                Text(entry.detail).font(.caption).foregroundStyle(.secondaryText).lineLimit(2)
                            }
                        }
                        .accessibilityElement(children: .combine)
                    }
                    .accessibilityHint(Text("Edit"))
                    // Info pages are read in this order: moved one place at a time.
                    if kind == .infoPage {
                        Spacer()
                        Button { Task { await model.moveInfoPage(entry.id, by: -1) } } label: { Image(systemName: "arrow.up") }
                            .accessibilityLabel(Text("Move \(entry.label) up"))
                            .disabled(index == 0 || model.busy)
                        Button { Task { await model.moveInfoPage(entry.id, by: 1) } } label: { Image(systemName: "arrow.down") }
                            .accessibilityLabel(Text("Move \(entry.label) down"))
                            .disabled(index == entries.count - 1 || model.busy)
                    }
                }
                .buttonStyle(.borderless)
            }
            // Below the list: what the last save or removal ran into.
            if let problem = model.problem {
                Section { ProblemView(problem: problem) }
            }
        }
        .navigationTitle(kind.title)
        .toolbar {
            if model.busy { ProgressView() }
            if kind == .infoPage {
                Button {
                    adding = true
                } label: {
                    Label("New info page", systemImage: "plus")
                }
            }
        }
        .sheet(item: $model.editing) { form in
            EditFormSheet(form: form, model: model)
        }
        .sheet(isPresented: $adding) {
            NewInfoPageSheet(model: model)
        }
        .task(id: app.content.version) { await model.load() }
    }
}

/// The open form: one field per thing the core lets an organiser change, then save or remove.
struct EditFormSheet: View {
    let form: Editable
    let model: OrganiserModel
    @State private var values: [EditField: String]
    @State private var removing = false
    @Environment(\.dismiss) private var dismiss

    init(form: Editable, model: OrganiserModel) {
        self.form = form
        self.model = model
        _values = State(initialValue: form.values)
    }

    var body: some View {
        NavigationStack {
            Form {
                ForEach(form.fields, id: \.self) { field in
                    Section {
                        if field.picked {
                            Picker(field.label, selection: binding(field)) {
                                ForEach(choices(field), id: \.value) { choice in
                                    Text(choice.label).tag(choice.value)
                                }
                            }
                            .pickerStyle(.inline)
                            .labelsHidden()
                        } else {
                            TextField(field.label, text: binding(field), axis: field.isLong ? .vertical : .horizontal)
                                .lineLimit(field.isLong ? 3...12 : 1...1)
                                .keyboardType(keyboard(field))
                        }
                    } header: {
                        Text(field.label)
                    }
                }
                if form.kind.removable {
                    Section {
                        Button(role: .destructive) {
                            if removing {
                                Task { await model.remove(form.kind, id: form.id) }
                                dismiss()
                            } else {
                                removing = true
                            }
                        } label: {
                            Label(form.kind.removeLabel, systemImage: "trash")
                        }
                    } footer: {
                        if removing { Text("Tap again to confirm: every phone loses it with its next sync.") }
                    }
                }
            }
            .navigationTitle(form.label)
            .navigationBarTitleDisplayMode(.inline)
            .toolbar {
                ToolbarItem(placement: .cancellationAction) {
                    Button("Close") { model.editing = nil }
                }
                ToolbarItem(placement: .confirmationAction) {
                    Button("Save and send") { Task { await model.save(values) } }
                }
            }
        }
    }

    private func binding(_ field: EditField) -> Binding<String> {
        Binding(get: { values[field] ?? "" }, set: { values[field] = $0 })
    }

    /// The choices of a picked field: stations by name, priorities, or the expiry as now or from now on.
    private func choices(_ field: EditField) -> [(value: String, label: String)] {
        let current = form.values[field] ?? ""
        switch field {
        case .station:
            let none: [(value: String, label: String)] = current.isEmpty ? [("", String(localized: "No station"))] : []
            return none + (model.entries[.station] ?? []).map { ($0.id, $0.label) }
        case .priority:
            let labels = [String(localized: "Normal"), String(localized: "Important"), String(localized: "Urgent")]
            return zip(EditForms.priorities, labels).map { (EditForms.priorityName($0.0), $0.1) }
        case .expires:
            let asIs = ISO8601DateFormatter().date(from: current).map { $0.formatted(date: .abbreviated, time: .shortened) }
                ?? String(localized: "Until withdrawn")
            let now = Date()
            return [(current, String(localized: "As now (\(asIs))"))] + [
                (3600.0, String(localized: "1 hour")),
                (4 * 3600.0, String(localized: "4 hours")),
                (86400.0, String(localized: "1 day")),
            ].map { (EditForms.expiry(after: $0.0, from: now), $0.1) }
        default:
            return []
        }
    }

    private func keyboard(_ field: EditField) -> UIKeyboardType {
        switch field {
        case .website: .URL
        case .email: .emailAddress
        case .phone: .phonePad
        default: .default
        }
    }
}

/// A new info page, after the existing ones.
private struct NewInfoPageSheet: View {
    let model: OrganiserModel
    @State private var title = ""
    @State private var text = ""
    @Environment(\.dismiss) private var dismiss

    var body: some View {
        NavigationStack {
            Form {
                TextField("Title", text: $title)
                TextField("Text", text: $text, axis: .vertical).lineLimit(4...12)
            }
            .navigationTitle("New info page")
            .navigationBarTitleDisplayMode(.inline)
            .toolbar {
                ToolbarItem(placement: .cancellationAction) {
                    Button("Close") { dismiss() }
                }
                ToolbarItem(placement: .confirmationAction) {
                    Button("Save and send") {
                        Task { await model.addInfoPage(title: title, body: text) }
                        dismiss()
                    }
                    .disabled(title.trimmingCharacters(in: .whitespaces).isEmpty)
                }
            }
        }
    }
}
