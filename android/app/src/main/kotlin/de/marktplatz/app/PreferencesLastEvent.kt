package de.marktplatz.app

import android.content.Context
import de.marktplatz.app.model.LastEventStore

/** The last event shown, in plain shared preferences (an event id is no secret). */
class PreferencesLastEvent(context: Context) : LastEventStore {
    private val preferences = context.getSharedPreferences("marktplatz", Context.MODE_PRIVATE)

    override fun load(): String? = preferences.getString(KEY, null)

    override fun save(eventId: String) {
        preferences.edit().putString(KEY, eventId).apply()
    }

    private companion object {
        const val KEY = "last_event_id"
    }
}
