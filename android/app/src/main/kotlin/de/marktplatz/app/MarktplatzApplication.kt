package de.marktplatz.app

import android.app.Application
import android.content.Context
import androidx.lifecycle.DefaultLifecycleObserver
import androidx.lifecycle.LifecycleOwner
import androidx.lifecycle.ProcessLifecycleOwner
import de.marktplatz.app.model.StoreOpening
import de.marktplatz.app.notify.NotificationChannels
import de.marktplatz.app.work.ConnectivityWatcher
import de.marktplatz.app.work.SyncScheduling
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.launch

/**
 * Opens the store off the main thread and then starts the background machinery: the periodic
 * sync (WorkManager, only with a network), a sync whenever the app comes to the foreground and
 * following the event while it stays there, and a sync when connectivity returns. The UI never
 * waits for any of it: it shows "opening" for the moment the store takes, then what is stored.
 */
class MarktplatzApplication : Application() {
    private val scope = CoroutineScope(SupervisorJob() + Dispatchers.Main.immediate)

    /** The store and what hangs on it, opened once per process on an I/O thread. */
    lateinit var opening: StoreOpening<AppGraph>
        private set

    override fun onCreate() {
        super.onCreate()
        opening = StoreOpening(scope, Dispatchers.IO) { AppGraph(this) }
        NotificationChannels.create(this)
        SyncScheduling.schedulePeriodic(this)
        scope.launch {
            // Nothing to start on a store that could not be opened: the UI says why.
            val graph = runCatching { opening.await() }.getOrNull() ?: return@launch
            ConnectivityWatcher(this@MarktplatzApplication, graph).start()
            // Added after the app may have come to the foreground: the lifecycle replays
            // onStart and onResume to a late observer.
            ProcessLifecycleOwner.get().lifecycle.addObserver(ForegroundSync(graph))
        }
    }
}

/** A sync whenever the app comes to the foreground; live updates only while it stays there. */
private class ForegroundSync(private val graph: AppGraph) : DefaultLifecycleObserver {
    override fun onStart(owner: LifecycleOwner) {
        graph.sync.refresh()
    }

    override fun onResume(owner: LifecycleOwner) {
        graph.sync.startFollowing()
    }

    override fun onPause(owner: LifecycleOwner) {
        graph.sync.stopFollowing()
    }
}

private val Context.application: MarktplatzApplication
    get() = applicationContext as MarktplatzApplication

/**
 * The process's [AppGraph] for screens: MainActivity composes them only once the store is
 * open (it shows "opening" before), so here it always is.
 */
val Context.graph: AppGraph
    get() = checkNotNull(application.opening.current) { "a screen asked for the store before it was open" }

/** The process's [AppGraph] for workers and receivers, which may start before the store is open. */
suspend fun Context.awaitGraph(): AppGraph = application.opening.await()
