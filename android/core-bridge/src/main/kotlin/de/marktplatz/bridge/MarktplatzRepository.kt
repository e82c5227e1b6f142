package de.marktplatz.bridge

import de.marktplatz.core.Announcement
import de.marktplatz.core.CalendarSelection
import de.marktplatz.core.ChangeAlert
import de.marktplatz.core.EventOverview
import de.marktplatz.core.EventSummary
import de.marktplatz.core.ExhibitorEntry
import de.marktplatz.core.Favourite
import de.marktplatz.core.FavouriteKind
import de.marktplatz.core.GalleryItem
import de.marktplatz.core.InfoPage
import de.marktplatz.core.NowNext
import de.marktplatz.core.PersonalAgenda
import de.marktplatz.core.Progress
import de.marktplatz.core.Reminder
import de.marktplatz.core.SessionDetail
import de.marktplatz.core.SessionSummary
import de.marktplatz.core.SharedFavourites
import de.marktplatz.core.Speaker
import de.marktplatz.core.StationEntry
import de.marktplatz.core.SyncOutcome
import de.marktplatz.core.Update
import de.marktplatz.core.AssetRef
import java.time.Instant
import java.time.LocalDate
import kotlinx.coroutines.flow.Flow

/**
 * What the app's view models use: every call is main-safe (suspending, run off the main
 * thread) and every stream is a cold [Flow] that unsubscribes when its collector stops.
 * Errors arrive as [de.marktplatz.core.ApiException] subclasses.
 */
interface MarktplatzRepository : AutoCloseable {
    suspend fun events(): List<EventSummary>
    suspend fun overview(eventId: String): EventOverview
    suspend fun agenda(eventId: String, day: LocalDate): List<SessionSummary>
    suspend fun nowNext(eventId: String, at: Instant = Instant.now()): NowNext
    suspend fun sessionDetail(eventId: String, sessionId: String): SessionDetail
    suspend fun stations(eventId: String): List<StationEntry>
    suspend fun exhibitors(eventId: String, stationId: String? = null, topic: String? = null): List<ExhibitorEntry>
    suspend fun speakers(eventId: String): List<Speaker>
    suspend fun sessionsOfSpeaker(eventId: String, speakerId: String): List<SessionSummary>
    suspend fun announcements(eventId: String, at: Instant = Instant.now()): List<Announcement>
    suspend fun gallery(eventId: String): List<GalleryItem>
    suspend fun infoPages(eventId: String): List<InfoPage>

    /** Brings the event up to date; cancelling the calling coroutine stops it between pages. */
    suspend fun sync(eventId: String, serverUrl: String? = null): SyncOutcome
    fun cancelSync(eventId: String)
    /** Local file path of an asset, downloading it first when needed (full-size photos). */
    suspend fun assetFile(eventId: String, asset: AssetRef): String
    fun cachedAssetFile(asset: AssetRef): String?

    suspend fun toggleFavourite(eventId: String, kind: FavouriteKind, id: String): Boolean
    suspend fun isFavourite(eventId: String, kind: FavouriteKind, id: String): Boolean
    suspend fun favourites(eventId: String): List<Favourite>
    suspend fun personalAgenda(eventId: String, day: LocalDate): PersonalAgenda
    suspend fun alerts(eventId: String, includeSeen: Boolean = false): List<ChangeAlert>
    suspend fun markAllAlertsSeen(eventId: String)
    suspend fun reminders(eventId: String, now: Instant = Instant.now()): List<Reminder>
    suspend fun calendar(eventId: String, selection: CalendarSelection): String
    suspend fun shareCode(eventId: String): String
    suspend fun readShareCode(code: String): SharedFavourites

    /** Every notice from the core: sync progress and outcomes, change alerts. */
    fun updates(): Flow<Update>
    /** Progress of the given event's syncs. */
    fun syncProgress(eventId: String): Flow<Progress>
    /** The number of unseen change alerts, now and after every change. */
    fun unseenAlerts(eventId: String): Flow<Int>

    /** iOS-style background handling, also useful on Android before the process is frozen. */
    fun suspendStore()
    fun resumeStore()
}
