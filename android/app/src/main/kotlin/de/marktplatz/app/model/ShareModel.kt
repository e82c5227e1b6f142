package de.marktplatz.app.model

import de.marktplatz.bridge.MarktplatzRepository
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch

data class ShareState(
    /** My favourites of the event as a share code (shown as a QR code and as text). */
    val code: String? = null,
    /** A friend's code that was read successfully: the screen opens its clash view, then calls [ShareModel.friendOpened]. */
    val friendCode: String? = null,
    /** Why the scanned or pasted text could not be read (shown by the paste field). */
    val readProblem: Problem? = null,
    val loading: Boolean = true,
    val problem: Problem? = null,
)

/** Share favourites: my code to show, and a friend's code read from the camera or pasted. */
class ShareModel(
    private val repo: MarktplatzRepository,
    private val scope: CoroutineScope,
    private val event: EventContext,
) {
    private val mutableState = MutableStateFlow(ShareState())
    val state: StateFlow<ShareState> = mutableState.asStateFlow()

    init {
        scope.reloadOnChange(event) { load() }
    }

    /** Reads what the scanner or the clipboard gave: a bare code or a link carrying one. */
    fun read(text: String) {
        val code = shareCodeIn(text)
        if (code == null) {
            mutableState.update { it.copy(readProblem = Problem(ProblemKind.INVALID_INPUT, "no share code in the text")) }
            return
        }
        scope.launch {
            attempt(::reportRead) { repo.readShareCode(code) } ?: return@launch
            mutableState.update { it.copy(friendCode = code, readProblem = null) }
        }
    }

    /** The clash view was opened: do not open it again. */
    fun friendOpened() = mutableState.update { it.copy(friendCode = null) }

    private suspend fun load() {
        val code = attempt(::fail) { repo.shareCode(event.eventId) } ?: return
        mutableState.update { it.copy(code = code, loading = false, problem = null) }
    }

    private fun fail(problem: Problem) = mutableState.update { it.copy(loading = false, problem = problem) }

    private fun reportRead(problem: Problem) = mutableState.update { it.copy(readProblem = problem) }
}
