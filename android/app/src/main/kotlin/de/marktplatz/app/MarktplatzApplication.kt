package de.marktplatz.app

import android.app.Application
import androidx.lifecycle.DefaultLifecycleObserver
import androidx.lifecycle.LifecycleOwner
import androidx.lifecycle.ProcessLifecycleOwner
import de.marktplatz.app.notify.NotificationChannels
import de.marktplatz.app.work.ConnectivityWatcher
import de.marktplatz.app.work.SyncScheduling

/**
 * Opens the store and starts the background machinery: the periodic sync (WorkManager, only
 * with a network), a sync whenever the app comes to the foreground and following the event
 * while it stays there, and a sync when connectivity returns. The UI never waits for any of it: it shows what is stored.
 */
class MarktplatzApplication : Application() {
    lateinit var graph: AppGraph
        private set

    override fun onCreate() {
        super.onCreate()
        graph = AppGraph(this)
        NotificationChannels.create(this)
        SyncScheduling.schedulePeriodic(this)
        ConnectivityWatcher(this, graph).start()
        ProcessLifecycleOwner.get().lifecycle.addObserver(object : DefaultLifecycleObserver {
            override fun onStart(owner: LifecycleOwner) {
                graph.sync.refresh()
            }

            // Live updates only while the app is in the foreground.
            override fun onResume(owner: LifecycleOwner) {
                graph.sync.startFollowing()
            }

            override fun onPause(owner: LifecycleOwner) {
                graph.sync.stopFollowing()
            }
        })
    }
}

/** The process's [AppGraph], from any context. */
val android.content.Context.graph: AppGraph
    get() = (applicationContext as MarktplatzApplication).graph
