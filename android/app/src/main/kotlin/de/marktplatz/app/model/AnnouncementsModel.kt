package de.marktplatz.app.model

import de.marktplatz.bridge.MarktplatzRepository
import de.marktplatz.core.Announcement
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update

data class AnnouncementsState(
    /** The announcements in force now (expired ones are left out by the core), newest first. */
    val announcements: List<Announcement> = emptyList(),
    val loading: Boolean = true,
    val problem: Problem? = null,
)

class AnnouncementsModel(
    private val repo: MarktplatzRepository,
    scope: CoroutineScope,
    private val event: EventContext,
) {
    private val mutableState = MutableStateFlow(AnnouncementsState())
    val state: StateFlow<AnnouncementsState> = mutableState.asStateFlow()

    init {
        scope.reloadOnChange(event) { load() }
    }

    private suspend fun load() {
        val announcements = attempt({ problem -> mutableState.update { it.copy(loading = false, problem = problem) } }) {
            repo.announcements(event.eventId, event.now())
        } ?: return
        mutableState.value = AnnouncementsState(announcements, loading = false)
    }
}
