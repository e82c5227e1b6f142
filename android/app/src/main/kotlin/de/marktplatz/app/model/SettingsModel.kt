package de.marktplatz.app.model

import de.marktplatz.bridge.MarktplatzRepository
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch

data class SettingsState(
    /** Minutes before a favourite starts that its reminder fires. */
    val reminderLeadMinutes: Int? = null,
    /** Whether the event's access code is stored (the code itself is never shown back). */
    val hasAccessCode: Boolean? = null,
    val problem: Problem? = null,
)

/**
 * The settings the core keeps (reminder lead time, in user.db with the favourites). The UI
 * language is the platform's own per-app setting.
 */
class SettingsModel(
    private val repo: MarktplatzRepository,
    private val scope: CoroutineScope,
    private val event: EventContext,
    /** Told after the access code changed (the app syncs with the new code at once). */
    private val afterAccessCodeChange: () -> Unit = {},
) {
    private val mutableState = MutableStateFlow(SettingsState())
    val state: StateFlow<SettingsState> = mutableState.asStateFlow()

    /** The lead times offered. */
    val leadChoices: List<Int> = listOf(0, 5, 10, 15, 30, 60)

    init {
        scope.launch {
            val minutes = attempt(::report) { repo.reminderLeadMinutes() } ?: return@launch
            mutableState.update { it.copy(reminderLeadMinutes = minutes) }
        }
        scope.reloadOnChange(event) { loadAccessCode() }
    }

    /** Stores a new access code for the event ([code] blank or null: forgets it). */
    fun changeAccessCode(code: String?): Job = scope.launch {
        val kept = code?.trim()?.takeIf { it.isNotEmpty() }
        attempt(::report) { repo.setAccessCode(event.eventId, kept) } ?: return@launch
        mutableState.update { it.copy(hasAccessCode = kept != null, problem = null) }
        afterAccessCodeChange()
    }

    private suspend fun loadAccessCode() {
        val stored = attempt(::report) { repo.hasAccessCode(event.eventId) } ?: return
        mutableState.update { it.copy(hasAccessCode = stored) }
    }

    /** Saves the lead time; the reminders are rescheduled with it right away. */
    fun setReminderLeadMinutes(minutes: Int) {
        scope.launch {
            attempt(::report) { repo.setReminderLeadMinutes(minutes) } ?: return@launch
            mutableState.update { it.copy(reminderLeadMinutes = minutes, problem = null) }
            event.changes.changed()
        }
    }

    private fun report(problem: Problem) = mutableState.update { it.copy(problem = problem) }
}
