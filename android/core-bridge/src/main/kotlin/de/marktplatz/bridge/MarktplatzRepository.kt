package de.marktplatz.bridge

import de.marktplatz.core.Announcement
import de.marktplatz.core.CalendarSelection
import de.marktplatz.core.ChangeAlert
import de.marktplatz.core.EventOverview
import de.marktplatz.core.EventSummary
import de.marktplatz.core.ExhibitorEntry
import de.marktplatz.core.Favourite
import de.marktplatz.core.FavouriteKind
import de.marktplatz.core.FollowHandle
import de.marktplatz.core.ListedEvent
import de.marktplatz.core.GalleryItem
import de.marktplatz.core.InfoPage
import de.marktplatz.core.Location
import de.marktplatz.core.NowNext
import de.marktplatz.core.PersonalAgenda
import de.marktplatz.core.Progress
import de.marktplatz.core.Reminder
import de.marktplatz.core.SearchField
import de.marktplatz.core.SearchHit
import de.marktplatz.core.SearchQuery
import de.marktplatz.core.SessionDetail
import de.marktplatz.core.SessionSummary
import de.marktplatz.core.SharedFavourites
import de.marktplatz.core.Speaker
import de.marktplatz.core.StationEntry
import de.marktplatz.core.SyncOutcome
import de.marktplatz.core.Track
import de.marktplatz.core.Update
import de.marktplatz.core.AssetRef
import de.marktplatz.core.Op
import de.marktplatz.core.OrganiserInfo
import de.marktplatz.core.OutboxEntry
import de.marktplatz.core.PushReport
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
    /** The events [serverUrl] offers to anyone (protected ones are not listed); stores nothing. */
    suspend fun serverEvents(serverUrl: String): List<ListedEvent>
    suspend fun overview(eventId: String): EventOverview
    suspend fun agenda(eventId: String, day: LocalDate): List<SessionSummary>
    /** The day the agenda opens on: today's conference day, else the next, else the last. */
    suspend fun agendaDay(eventId: String, at: Instant = Instant.now()): LocalDate
    suspend fun nowNext(eventId: String, at: Instant = Instant.now()): NowNext
    suspend fun sessionDetail(eventId: String, sessionId: String): SessionDetail
    suspend fun stations(eventId: String): List<StationEntry>
    suspend fun locations(eventId: String): List<Location>
    suspend fun sessionsAtLocation(eventId: String, locationId: String): List<SessionSummary>
    suspend fun tracks(eventId: String): List<Track>
    suspend fun sessionsInTrack(eventId: String, trackId: String): List<SessionSummary>
    suspend fun exhibitors(eventId: String, stationId: String? = null, topic: String? = null): List<ExhibitorEntry>
    suspend fun speakers(eventId: String): List<Speaker>
    suspend fun speaker(eventId: String, speakerId: String): Speaker
    suspend fun sessionsOfSpeaker(eventId: String, speakerId: String): List<SessionSummary>
    suspend fun announcements(eventId: String, at: Instant = Instant.now()): List<Announcement>
    suspend fun gallery(eventId: String): List<GalleryItem>
    suspend fun infoPages(eventId: String): List<InfoPage>
    /** Things to tell the user from opening the store (a damaged file set aside). */
    fun notices(): List<String>

    suspend fun search(query: SearchQuery): List<SearchHit>
    /**
     * Like [search], for the keystroke of [ticket] (`field.takeTicket()`, taken on the keystroke
     * itself): once a newer ticket was taken the call throws
     * [de.marktplatz.core.ApiException.Cancelled], so only the last keystroke's hits arrive.
     */
    suspend fun searchAsYouType(field: SearchField, ticket: ULong, query: SearchQuery): List<SearchHit>
    /** Loads the search's in-memory state, so the first keystroke does not wait for it. */
    suspend fun warmSearch()

    /** Remembers the access code of a protected event (sent by every later sync); null forgets it. */
    suspend fun setAccessCode(eventId: String, code: String?)
    suspend fun hasAccessCode(eventId: String): Boolean

    /** Brings the event up to date; cancelling the calling coroutine stops it between pages. */
    suspend fun sync(eventId: String, serverUrl: String? = null): SyncOutcome
    fun cancelSync(eventId: String)
    /**
     * Follows the event while the app is in the foreground: each change arrives within a second
     * as [Update.SyncFinished]. Stops when the handle is cancelled or closed; one loop per event
     * (following again replaces it); [suspendStore] pauses it and [resumeStore] restarts it.
     */
    fun follow(eventId: String, serverUrl: String? = null): FollowHandle
    /** Local file path of an asset, downloading it first when needed (full-size photos). */
    suspend fun assetFile(eventId: String, asset: AssetRef): String
    /** Local file path of an asset if it is cached; never touches the network. */
    suspend fun cachedAssetFile(asset: AssetRef): String?

    suspend fun toggleFavourite(eventId: String, kind: FavouriteKind, id: String): Boolean
    /** Removes a favourite (also one whose entity is gone); false if it was none. */
    suspend fun removeFavourite(eventId: String, kind: FavouriteKind, id: String): Boolean
    suspend fun isFavourite(eventId: String, kind: FavouriteKind, id: String): Boolean
    suspend fun favourites(eventId: String): List<Favourite>
    suspend fun personalAgenda(eventId: String, day: LocalDate): PersonalAgenda
    suspend fun alerts(eventId: String, includeSeen: Boolean = false): List<ChangeAlert>
    suspend fun markAlertsSeen(eventId: String, alertIds: List<Long>)
    suspend fun markAllAlertsSeen(eventId: String)
    /** Unseen alerts not yet notified in their current form, marked notified: post one each. */
    suspend fun takeAlertsToNotify(eventId: String): List<ChangeAlert>
    /** Urgent announcements to post now, each once; never the first sync's backlog, never expired or retracted ones. */
    suspend fun takeAnnouncementsToNotify(eventId: String, at: Instant = Instant.now()): List<Announcement>
    suspend fun reminders(eventId: String, now: Instant = Instant.now()): List<Reminder>
    suspend fun reminderLeadMinutes(): Int
    suspend fun setReminderLeadMinutes(minutes: Int)
    suspend fun calendar(eventId: String, selection: CalendarSelection): String
    suspend fun shareCode(eventId: String): String
    suspend fun readShareCode(code: String): SharedFavourites
    /** Adds a favourite (the entity must exist); false if it already was one. */
    suspend fun addFavourite(eventId: String, kind: FavouriteKind, id: String, note: String? = null): Boolean
    /** Sets (or, with null, clears) the note on a favourite. */
    suspend fun setFavouriteNote(eventId: String, kind: FavouriteKind, id: String, note: String?)
    /** What of my favourite sessions runs at [at] and comes next. */
    suspend fun favouritesNowNext(eventId: String, at: Instant = Instant.now()): NowNext

    // Organiser mode: operations show at once and are sent when online (push or next sync).
    suspend fun signInAsOrganiser(eventId: String, serverUrl: String, token: String)
    suspend fun signOutAsOrganiser(eventId: String)
    suspend fun organiser(eventId: String): OrganiserInfo?
    /** A fresh id for an entity the organiser creates (`announcement-…`). */
    fun newEntityId(prefix: String): String
    suspend fun queue(eventId: String, op: Op): OutboxEntry
    suspend fun queuePhoto(eventId: String, bytes: ByteArray, caption: String, credit: String): OutboxEntry
    /** A new hall plan (JPEG or PNG bytes), stripped like a photo; the pins keep their fractions. */
    suspend fun queueHallPlan(eventId: String, bytes: ByteArray): OutboxEntry
    suspend fun outbox(eventId: String, includeDone: Boolean = false): List<OutboxEntry>
    /** Drops a rejected operation (the organiser gave up on it). */
    suspend fun dismissOp(outboxId: Long)
    /** Queues a rejected operation again, over the server's current version. */
    suspend fun retryRejected(outboxId: Long): OutboxEntry
    /** When the outbox wants its next attempt (after a failed one), if anything waits. */
    suspend fun nextPushAttemptAt(eventId: String): Instant?
    /** Call when connectivity returns; nothing queued is lost when it fails. */
    suspend fun push(eventId: String): PushReport

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
