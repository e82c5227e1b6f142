import Foundation
import MarktplatzKit

/// What a note field's text stores: trimmed, and a blank field clears the note.
func noteToStore(_ text: String) -> String? {
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    return trimmed.isEmpty ? nil : trimmed
}

extension MarktplatzRepository {
    /// Sets (or clears, when blank) the note on a favourite session.
    func saveSessionNote(eventId: String, sessionId: String, text: String) async throws {
        try await setFavouriteNote(eventId: eventId, kind: .session, id: sessionId, note: noteToStore(text))
    }
}
