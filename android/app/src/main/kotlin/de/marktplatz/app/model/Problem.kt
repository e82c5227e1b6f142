package de.marktplatz.app.model

import de.marktplatz.core.ApiException
import kotlinx.coroutines.CancellationException

/** What went wrong, in the terms the UI words a sentence for. */
enum class ProblemKind {
    /** No connection: stored content is shown, the app tries again later. */
    OFFLINE,
    /** The server failed or refused the request. */
    SERVER,
    /** The organiser token is missing, wrong, revoked or expired. */
    SIGN_IN,
    /** The event is read only with its access code, and none is stored. */
    ACCESS_CODE,
    /** The stored access code was refused (mistyped, or the organisers changed it). */
    ACCESS_CODE_WRONG,
    /** Someone else changed the same thing first. */
    CONFLICT,
    /** Not on the device (yet): for the event itself, nothing was synced so far. */
    NOT_FOUND,
    /** What was entered is not acceptable; the detail names the field. */
    INVALID_INPUT,
    /** The phone's storage is full. */
    STORAGE_FULL,
    /** The app's storage failed. */
    STORAGE,
    /** The app is in the background; it carries on when it comes back. */
    PAUSED,
    /** Anything else (a bug): the detail says what. */
    UNEXPECTED,
}

/** [kind] picks the sentence the UI shows; [detail] is the core's own message, shown small. */
data class Problem(val kind: ProblemKind, val detail: String)

/**
 * The [Problem] to show for [error], or `null` for a cancellation (a superseded keystroke, a
 * sync stopped by suspend), which is never shown. Coroutine cancellation is rethrown.
 */
fun problemOf(error: Throwable): Problem? = when (error) {
    is CancellationException -> throw error
    is ApiException.Cancelled -> null
    is ApiException.Offline -> Problem(ProblemKind.OFFLINE, error.reason)
    is ApiException.Server -> Problem(ProblemKind.SERVER, error.reason)
    is ApiException.Unauthorized -> Problem(ProblemKind.SIGN_IN, error.reason)
    is ApiException.AccessCode ->
        Problem(if (error.wrong) ProblemKind.ACCESS_CODE_WRONG else ProblemKind.ACCESS_CODE, error.reason)
    is ApiException.Conflict -> Problem(ProblemKind.CONFLICT, error.reason)
    is ApiException.NotFound -> Problem(ProblemKind.NOT_FOUND, error.reason)
    is ApiException.InvalidInput -> Problem(ProblemKind.INVALID_INPUT, error.reason)
    is ApiException.Storage ->
        Problem(if (error.isFull) ProblemKind.STORAGE_FULL else ProblemKind.STORAGE, error.reason)
    is ApiException.Suspended -> Problem(ProblemKind.PAUSED, error.reason)
    else -> Problem(ProblemKind.UNEXPECTED, error.message ?: error.toString())
}

/**
 * Runs [block] and returns its value, or reports its [Problem] to [onProblem] and returns
 * `null`. Coroutine cancellation passes through; a core cancellation is silent.
 */
suspend fun <T> attempt(onProblem: (Problem) -> Unit, block: suspend () -> T): T? =
    try {
        block()
    } catch (e: CancellationException) {
        throw e
    } catch (e: Exception) {
        problemOf(e)?.let(onProblem)
        null
    }

/**
 * [onProblem] for reads that may find the event not synced yet (nothing to show, no error):
 * that one stays silent, every other problem (a broken or paused store) reaches the screen.
 */
fun unlessNotSynced(onProblem: (Problem) -> Unit): (Problem) -> Unit = { problem ->
    if (problem.kind != ProblemKind.NOT_FOUND) onProblem(problem)
}
