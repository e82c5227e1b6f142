package de.marktplatz.app.model

import de.marktplatz.bridge.MarktplatzRepository
import de.marktplatz.core.FavouriteKind
import de.marktplatz.core.SessionSummary
import de.marktplatz.core.Speaker
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch

data class SpeakersState(
    val speakers: List<Speaker> = emptyList(),
    /** Cached photo files by speaker id (the rest show initials). */
    val photos: Map<String, String> = emptyMap(),
    val favourites: Set<String> = emptySet(),
    val loading: Boolean = true,
    val problem: Problem? = null,
)

/** Every speaker, in the core's order (by name). */
class SpeakersModel(
    private val repo: MarktplatzRepository,
    scope: CoroutineScope,
    private val event: EventContext,
) {
    private val mutableState = MutableStateFlow(SpeakersState())
    val state: StateFlow<SpeakersState> = mutableState.asStateFlow()

    init {
        scope.reloadOnChange(event) { load() }
    }

    private suspend fun load() {
        val fail = { problem: Problem -> mutableState.update { it.copy(loading = false, problem = problem) } }
        val speakers = attempt(fail) { repo.speakers(event.eventId) } ?: return
        // A photo not cached yet is simply not shown; a failing lookup is reported.
        var assetProblem: Problem? = null
        val photos = speakers.mapNotNull { speaker ->
            val photo = speaker.photo ?: return@mapNotNull null
            attempt({ assetProblem = it }) { repo.cachedAssetFile(photo) }?.let { speaker.id to it }
        }.toMap()
        val favourites = attempt(fail) { favouriteIds(repo, event, FavouriteKind.SPEAKER) } ?: return
        mutableState.value = SpeakersState(speakers, photos, favourites, loading = false, problem = assetProblem)
    }
}

data class SpeakerDetailState(
    val speaker: Speaker? = null,
    val photo: String? = null,
    val sessions: List<SessionSummary> = emptyList(),
    val favourite: Boolean = false,
    val loading: Boolean = true,
    val problem: Problem? = null,
)

/** One speaker: bio, links, their sessions, favourite. */
class SpeakerDetailModel(
    private val repo: MarktplatzRepository,
    private val scope: CoroutineScope,
    private val event: EventContext,
    val speakerId: String,
) {
    private val mutableState = MutableStateFlow(SpeakerDetailState())
    val state: StateFlow<SpeakerDetailState> = mutableState.asStateFlow()

    init {
        scope.reloadOnChange(event) { load() }
    }

    fun toggleFavourite() {
        scope.launch {
            val now = attempt(::report) { repo.toggleFavourite(event.eventId, FavouriteKind.SPEAKER, speakerId) }
                ?: return@launch
            mutableState.update { it.copy(favourite = now) }
            event.changes.changed()
        }
    }

    private suspend fun load() {
        val speaker = attempt(::fail) { repo.speaker(event.eventId, speakerId) } ?: return
        val sessions = attempt(::fail) { repo.sessionsOfSpeaker(event.eventId, speakerId) } ?: return
        val favourite = attempt(::fail) { repo.isFavourite(event.eventId, FavouriteKind.SPEAKER, speakerId) } ?: return
        var assetProblem: Problem? = null
        val photo = speaker.photo?.let { attempt({ assetProblem = it }) { repo.cachedAssetFile(it) } }
        mutableState.value = SpeakerDetailState(speaker, photo, sessions, favourite, loading = false, problem = assetProblem)
    }

    private fun fail(problem: Problem) = mutableState.update { it.copy(loading = false, problem = problem) }

    private fun report(problem: Problem) = mutableState.update { it.copy(problem = problem) }
}
