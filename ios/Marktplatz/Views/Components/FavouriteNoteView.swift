import SwiftUI

/// My note on a favourite session (if any) and a button to write or edit it in a sheet;
/// saving an empty field clears it.
struct FavouriteNoteView: View {
    let title: String
    let note: String?
    let onSave: (String) -> Void
    @State private var editing = false
    @State private var text = ""

    var body: some View {
        VStack(alignment: .leading, spacing: 4) {
            if let note { Text("Note: \(note)").font(.caption) }
            Button {
                text = note ?? ""
                editing = true
            } label: {
                note == nil ? Text("Add note") : Text("Edit note")
            }
            .buttonStyle(.borderless)
            .font(.caption)
            .accessibilityLabel(note == nil ? Text("Add note on \(title)") : Text("Edit note on \(title)"))
        }
        .sheet(isPresented: $editing) {
            NavigationStack {
                Form {
                    TextField("My note", text: $text, axis: .vertical)
                        .lineLimit(3...8)
                }
                .navigationTitle("Note on \(title)")
                .navigationBarTitleDisplayMode(.inline)
                .toolbar {
                    ToolbarItem(placement: .cancellationAction) {
                        Button("Cancel") { editing = false }
                    }
                    ToolbarItem(placement: .confirmationAction) {
                        Button("Save") {
                            onSave(text)
                            editing = false
                        }
                    }
                }
            }
        }
    }
}
