package de.marktplatz.app.model

import java.io.File
import java.util.Properties
import java.util.concurrent.ConcurrentHashMap

/** The agenda's filter: one station or room, one track, or both; null shows all. */
data class AgendaFilter(val locationId: String? = null, val trackId: String? = null) {
    val isActive: Boolean get() = locationId != null || trackId != null
}

/** Where each event's agenda filter is kept (plain storage, so the JVM tests can use memory). */
interface AgendaFilterStore {
    fun load(eventId: String): AgendaFilter
    fun save(eventId: String, filter: AgendaFilter)
}

/** Kept for the process only: tests, and the default when no lasting storage is given. */
class InMemoryAgendaFilterStore : AgendaFilterStore {
    private val filters = ConcurrentHashMap<String, AgendaFilter>()

    override fun load(eventId: String) = filters[eventId] ?: AgendaFilter()

    override fun save(eventId: String, filter: AgendaFilter) {
        filters[eventId] = filter
    }
}

/** One small properties file per event in [dir] (the app's files), surviving restarts. */
class FileAgendaFilterStore(private val dir: File) : AgendaFilterStore {
    override fun load(eventId: String): AgendaFilter {
        val file = fileOf(eventId)
        if (!file.exists()) return AgendaFilter()
        // A damaged file only loses the filter, never the agenda.
        val properties = runCatching { Properties().apply { file.inputStream().use(::load) } }.getOrNull()
            ?: return AgendaFilter()
        return AgendaFilter(properties.getProperty(LOCATION), properties.getProperty(TRACK))
    }

    override fun save(eventId: String, filter: AgendaFilter) {
        dir.mkdirs()
        val properties = Properties()
        filter.locationId?.let { properties.setProperty(LOCATION, it) }
        filter.trackId?.let { properties.setProperty(TRACK, it) }
        fileOf(eventId).outputStream().use { properties.store(it, null) }
    }

    // Event ids are slugs, but the file name must never leave dir whatever they hold.
    private fun fileOf(eventId: String) = File(dir, eventId.replace(Regex("[^A-Za-z0-9._-]"), "_") + ".properties")

    private companion object {
        const val LOCATION = "location"
        const val TRACK = "track"
    }
}
