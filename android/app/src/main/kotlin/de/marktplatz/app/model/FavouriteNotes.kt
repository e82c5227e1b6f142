package de.marktplatz.app.model

import de.marktplatz.bridge.MarktplatzRepository
import de.marktplatz.core.FavouriteKind

/** What a note field's text stores: trimmed, and a blank field clears the note. */
fun noteToStore(text: String): String? = text.trim().ifEmpty { null }

/** Sets (or clears, when blank) the note on a favourite session. */
suspend fun MarktplatzRepository.saveSessionNote(eventId: String, sessionId: String, text: String) =
    setFavouriteNote(eventId, FavouriteKind.SESSION, sessionId, noteToStore(text))
