package de.marktplatz.app.work

import android.content.Context
import android.net.ConnectivityManager
import android.net.Network
import android.net.NetworkCapabilities
import de.marktplatz.app.AppGraph
import de.marktplatz.app.model.SyncResult
import kotlinx.coroutines.launch

/**
 * While the process runs: when a network with internet appears, send the outbox and pull
 * (through the coordinator, so it never runs twice). When the process is gone, the
 * WorkManager job queued after an offline failure does the same.
 */
class ConnectivityWatcher(private val context: Context, private val graph: AppGraph) {
    fun start() {
        val manager = context.getSystemService(ConnectivityManager::class.java)
        manager.registerDefaultNetworkCallback(object : ConnectivityManager.NetworkCallback() {
            /** Capabilities change often (signal strength): sync once per network that came up. */
            private var synced: Network? = null

            override fun onLost(network: Network) {
                if (synced == network) synced = null
            }

            override fun onCapabilitiesChanged(network: Network, capabilities: NetworkCapabilities) {
                if (!capabilities.hasCapability(NetworkCapabilities.NET_CAPABILITY_VALIDATED)) return
                if (synced == network) return
                synced = network
                graph.scope.launch {
                    when (graph.sync.connectivityReturned()) {
                        is SyncResult.Failed, SyncResult.Stopped -> SyncScheduling.syncWhenOnline(context)
                        is SyncResult.Updated -> SyncScheduling.scheduleNextPush(context, graph)
                    }
                }
            }
        })
    }
}
