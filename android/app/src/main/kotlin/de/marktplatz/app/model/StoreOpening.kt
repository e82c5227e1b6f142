package de.marktplatz.app.model

import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.launch

/** Where opening the store stands: screens draw "opening", the app, or why it failed. */
sealed interface OpenState<out T> {
    data object Opening : OpenState<Nothing>

    data class Open<T>(val value: T) : OpenState<T>

    data class Failed(val problem: Problem) : OpenState<Nothing>
}

/**
 * Opens the store (and what hangs on it) once, on [dispatcher], never on the thread that asks:
 * opening checks and migrates SQLite files, which on a slow phone takes long enough to freeze
 * the first frame or end in "app not responding" when done on the main thread. Screens show
 * [OpenState.Opening] until [state] says [OpenState.Open]; workers and receivers [await] it.
 */
class StoreOpening<T>(scope: CoroutineScope, dispatcher: CoroutineDispatcher, open: () -> T) {
    private val opened = CompletableDeferred<T>()
    private val mutableState = MutableStateFlow<OpenState<T>>(OpenState.Opening)
    val state: StateFlow<OpenState<T>> = mutableState.asStateFlow()

    /** The opened value, or null while opening or after a failure. */
    val current: T?
        get() = (state.value as? OpenState.Open)?.value

    init {
        scope.launch(dispatcher) {
            try {
                val value = open()
                mutableState.value = OpenState.Open(value)
                opened.complete(value)
            } catch (e: CancellationException) {
                opened.cancel(e)
                throw e
            } catch (e: Exception) {
                mutableState.value = OpenState.Failed(problemOf(e) ?: Problem(ProblemKind.STORAGE, e.toString()))
                opened.completeExceptionally(e)
            }
        }
    }

    /** Waits for the store; throws what opening threw when it could not be opened. */
    suspend fun await(): T = opened.await()
}
