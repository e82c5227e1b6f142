package de.marktplatz.bridge

import de.marktplatz.core.AssetRef
import de.marktplatz.core.CalendarSelection
import de.marktplatz.core.CredentialStore
import de.marktplatz.core.FavouriteKind
import de.marktplatz.core.MarktplatzStore
import de.marktplatz.core.Op
import de.marktplatz.core.Progress
import de.marktplatz.core.SearchField
import de.marktplatz.core.SearchQuery
import de.marktplatz.core.Update
import de.marktplatz.core.UpdateListener
import java.time.Instant
import java.time.LocalDate
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.channels.awaitClose
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.buffer
import kotlinx.coroutines.flow.callbackFlow
import kotlinx.coroutines.flow.distinctUntilChanged
import kotlinx.coroutines.flow.filter
import kotlinx.coroutines.flow.filterIsInstance
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.flow.emitAll
import kotlinx.coroutines.flow.onStart
import kotlinx.coroutines.withContext

/**
 * [MarktplatzRepository] over the uniffi-generated [MarktplatzStore]. Local calls run on [io];
 * network calls are the core's own async functions (run on its runtime), so they never block a
 * thread here.
 */
class CoreRepository(
    private val store: MarktplatzStore,
    private val io: CoroutineDispatcher = Dispatchers.IO,
) : MarktplatzRepository {

    companion object {
        /** Opens the store in [dir] (the app's files directory); secrets in a 0600 file there. */
        fun open(dir: String): CoreRepository = CoreRepository(MarktplatzStore.open(dir))

        /** Opens the store in [dir] with secrets (organiser tokens) in the platform's [credentials]. */
        fun open(dir: String, credentials: CredentialStore): CoreRepository =
            CoreRepository(MarktplatzStore.openWithCredentials(dir, credentials))
    }

    override suspend fun events() = withContext(io) { store.events() }
    override suspend fun serverEvents(serverUrl: String) = store.serverEvents(serverUrl)
    override suspend fun overview(eventId: String) = withContext(io) { store.eventOverview(eventId) }
    override suspend fun agenda(eventId: String, day: LocalDate) = withContext(io) { store.agenda(eventId, day) }
    override suspend fun agendaDay(eventId: String, at: Instant) = withContext(io) { store.agendaDay(eventId, at) }
    override suspend fun nowNext(eventId: String, at: Instant) = withContext(io) { store.nowNext(eventId, at) }
    override suspend fun sessionDetail(eventId: String, sessionId: String) =
        withContext(io) { store.sessionDetail(eventId, sessionId) }
    override suspend fun stations(eventId: String) = withContext(io) { store.stations(eventId) }
    override suspend fun locations(eventId: String) = withContext(io) { store.locations(eventId) }
    override suspend fun sessionsAtLocation(eventId: String, locationId: String) =
        withContext(io) { store.sessionsAtLocation(eventId, locationId) }
    override suspend fun tracks(eventId: String) = withContext(io) { store.tracks(eventId) }
    override suspend fun sessionsInTrack(eventId: String, trackId: String) =
        withContext(io) { store.sessionsInTrack(eventId, trackId) }
    override suspend fun exhibitors(eventId: String, stationId: String?, topic: String?) =
        withContext(io) { store.exhibitors(eventId, stationId, topic) }
    override suspend fun speakers(eventId: String) = withContext(io) { store.speakers(eventId) }
    override suspend fun speaker(eventId: String, speakerId: String) = withContext(io) { store.speaker(eventId, speakerId) }
    override suspend fun sessionsOfSpeaker(eventId: String, speakerId: String) =
        withContext(io) { store.sessionsOfSpeaker(eventId, speakerId) }
    override suspend fun announcements(eventId: String, at: Instant) = withContext(io) { store.announcements(eventId, at) }
    override suspend fun gallery(eventId: String) = withContext(io) { store.gallery(eventId) }
    override suspend fun infoPages(eventId: String) = withContext(io) { store.infoPages(eventId) }
    override fun notices(): List<String> = store.notices()

    override suspend fun search(query: SearchQuery) = withContext(io) { store.search(query) }
    override suspend fun searchAsYouType(field: SearchField, ticket: ULong, query: SearchQuery) =
        withContext(io) { store.searchAsYouType(field, ticket, query) }
    override suspend fun warmSearch() = withContext(io) { store.warmSearch() }

    override suspend fun setAccessCode(eventId: String, code: String?) =
        withContext(io) { store.setAccessCode(eventId, code) }
    override suspend fun hasAccessCode(eventId: String) = withContext(io) { store.hasAccessCode(eventId) }
    override suspend fun sync(eventId: String, serverUrl: String?) = store.sync(serverUrl, eventId)
    override fun cancelSync(eventId: String) = store.cancelSync(eventId)
    override fun follow(eventId: String, serverUrl: String?) = store.follow(serverUrl, eventId)
    override suspend fun assetFile(eventId: String, asset: AssetRef) = store.assetFile(eventId, asset)
    override suspend fun cachedAssetFile(asset: AssetRef): String? = withContext(io) { store.cachedAssetFile(asset.sha256) }

    override suspend fun toggleFavourite(eventId: String, kind: FavouriteKind, id: String) =
        withContext(io) { store.toggleFavourite(eventId, kind, id) }
    override suspend fun removeFavourite(eventId: String, kind: FavouriteKind, id: String) =
        withContext(io) { store.removeFavourite(eventId, kind, id) }
    override suspend fun isFavourite(eventId: String, kind: FavouriteKind, id: String) =
        withContext(io) { store.isFavourite(eventId, kind, id) }
    override suspend fun favourites(eventId: String) = withContext(io) { store.favourites(eventId) }
    override suspend fun personalAgenda(eventId: String, day: LocalDate) =
        withContext(io) { store.personalAgenda(eventId, day) }
    override suspend fun alerts(eventId: String, includeSeen: Boolean) = withContext(io) { store.alerts(eventId, includeSeen) }
    override suspend fun markAlertsSeen(eventId: String, alertIds: List<Long>) {
        withContext(io) { store.markAlertsSeen(eventId, alertIds) }
    }
    override suspend fun markAllAlertsSeen(eventId: String) { withContext(io) { store.markAllAlertsSeen(eventId) } }
    override suspend fun takeAlertsToNotify(eventId: String) = withContext(io) { store.takeAlertsToNotify(eventId) }
    override suspend fun takeAnnouncementsToNotify(eventId: String, at: Instant) =
        withContext(io) { store.takeAnnouncementsToNotify(eventId, at) }
    override suspend fun reminders(eventId: String, now: Instant) = withContext(io) { store.reminders(eventId, now) }
    override suspend fun reminderLeadMinutes() = withContext(io) { store.reminderLeadMinutes().toInt() }
    override suspend fun setReminderLeadMinutes(minutes: Int) =
        withContext(io) { store.setReminderLeadMinutes(minutes.toUInt()) }
    override suspend fun calendar(eventId: String, selection: CalendarSelection) =
        withContext(io) { store.exportCalendar(eventId, selection, Instant.now()) }
    override suspend fun shareCode(eventId: String) = withContext(io) { store.shareCode(eventId) }
    override suspend fun readShareCode(code: String) = withContext(io) { store.readShareCode(code) }
    override suspend fun addFavourite(eventId: String, kind: FavouriteKind, id: String, note: String?) =
        withContext(io) { store.addFavourite(eventId, kind, id, note) }
    override suspend fun setFavouriteNote(eventId: String, kind: FavouriteKind, id: String, note: String?) =
        withContext(io) { store.setFavouriteNote(eventId, kind, id, note) }
    override suspend fun favouritesNowNext(eventId: String, at: Instant) =
        withContext(io) { store.favouritesNowNext(eventId, at) }

    override suspend fun signInAsOrganiser(eventId: String, serverUrl: String, token: String) =
        withContext(io) { store.setOrganiser(eventId, serverUrl, token) }
    override suspend fun signOutAsOrganiser(eventId: String) = withContext(io) { store.forgetOrganiser(eventId) }
    override suspend fun organiser(eventId: String) = withContext(io) { store.organiser(eventId) }
    override fun newEntityId(prefix: String): String = de.marktplatz.core.newEntityId(prefix)
    override suspend fun queue(eventId: String, op: Op) = withContext(io) { store.queueOp(eventId, op) }
    override suspend fun queuePhoto(eventId: String, bytes: ByteArray, caption: String, credit: String) =
        withContext(io) { store.queuePhoto(eventId, bytes, caption, credit, Instant.now()) }
    override suspend fun queueHallPlan(eventId: String, bytes: ByteArray) = withContext(io) { store.queueHallPlan(eventId, bytes) }
    override suspend fun outbox(eventId: String, includeDone: Boolean) = withContext(io) { store.outbox(eventId, includeDone) }
    override suspend fun dismissOp(outboxId: Long) = withContext(io) { store.dismissOp(outboxId) }
    override suspend fun retryRejected(outboxId: Long) = withContext(io) { store.retryRejected(outboxId) }
    override suspend fun nextPushAttemptAt(eventId: String) = withContext(io) { store.nextPushAttemptAt(eventId) }
    override suspend fun push(eventId: String) = store.push(eventId)

    override fun updates(): Flow<Update> = callbackFlow {
        val handle = store.subscribe(object : UpdateListener {
            override fun onUpdate(update: Update) {
                trySend(update)
            }
        })
        awaitClose { handle.cancel(); handle.close() }
    }.buffer(Channel.UNLIMITED)

    override fun syncProgress(eventId: String): Flow<Progress> =
        updates().filterIsInstance<Update.SyncProgress>().map { it.progress }.filter { it.eventId == eventId }

    override fun unseenAlerts(eventId: String): Flow<Int> = flow {
        emitAll(
            updates()
                .filterIsInstance<Update.Alerts>()
                .filter { it.notice.eventId == eventId }
                .map { it.notice.unseen.toInt() }
                .onStart { emit(withContext(io) { store.unseenAlertCount(eventId).toInt() }) },
        )
    }.distinctUntilChanged()

    override fun suspendStore() = store.suspend()
    override fun resumeStore() = store.resume()

    override fun close() = store.close()
}
