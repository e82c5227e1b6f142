package de.marktplatz.app

import android.content.Context
import de.marktplatz.app.model.EventContext
import de.marktplatz.app.model.FileAgendaFilterStore
import de.marktplatz.app.model.LastEventStore
import de.marktplatz.app.model.OrganiserModel
import de.marktplatz.app.model.SyncCoordinator
import de.marktplatz.app.model.startEventId
import de.marktplatz.app.notify.AndroidNotifier
import de.marktplatz.bridge.CoreRepository
import de.marktplatz.bridge.MarktplatzRepository
import java.io.File
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob

/**
 * What lives as long as the process: the store (one per app; the core allows one writer), the
 * event, and the sync coordinator. View models and workers take what they need from here.
 * Built on an I/O thread (MarktplatzApplication's StoreOpening): opening the store reads disk.
 */
class AppGraph(context: Context) {
    /** Work that outlives any screen: syncs, notification scheduling. */
    val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)

    /**
     * The store in the app's private files (user.db is backed up, see res/xml/backup_rules.xml);
     * organiser tokens in the Android Keystore, never backed up.
     */
    val repo: MarktplatzRepository = CoreRepository.open(
        File(context.filesDir, "marktplatz").apply { mkdirs() }.path,
        KeystoreCredentials(context),
    )

    /** The event shown last is reopened at start (the event picker switches it). */
    val lastEvent: LastEventStore = PreferencesLastEvent(context)

    val event = EventContext(eventId = startEventId(lastEvent, BuildConfig.EVENT_ID), serverUrl = BuildConfig.SERVER_URL)

    /** What the store reported when opening (a damaged file set aside), shown under "More". */
    val notices: List<String> = repo.notices()

    /** Each event's agenda filter, in the app's files (a small file per event). */
    val agendaFilters = FileAgendaFilterStore(File(context.filesDir, "agenda-filters"))

    val notifier = AndroidNotifier(context.applicationContext)

    val sync = SyncCoordinator(repo, scope, event, notifier)

    /**
     * Organiser mode, in the app's [scope]: a screen hands over an operation and goes back at
     * once, so the push and its outcome must outlive it. Made when first used.
     */
    val organiser by lazy { OrganiserModel(repo, scope, event) }
}
