package de.marktplatz.app.ui.components

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.size
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.outlined.Close
import androidx.compose.material.icons.outlined.CloudOff
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableLongStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.LiveRegionMode
import androidx.compose.ui.semantics.liveRegion
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import de.marktplatz.app.R
import de.marktplatz.app.graph
import de.marktplatz.app.model.ProblemKind
import de.marktplatz.app.model.SyncStatus
import kotlinx.coroutines.delay

/**
 * The quiet indicator under a title: "Updated 5 minutes ago", a small spinner while a sync
 * runs, a cloud-off icon when the last try had no connection. Never a blocking dialog.
 */
@Composable
fun SyncIndicator(status: SyncStatus, modifier: Modifier = Modifier) {
    var now by remember { mutableLongStateOf(System.currentTimeMillis()) }
    LaunchedEffect(Unit) {
        while (true) {
            delay(30_000)
            now = System.currentTimeMillis()
        }
    }
    val lastUpdated = status.lastUpdated
    val text = when {
        status.running -> stringResource(R.string.sync_running)
        lastUpdated == null -> stringResource(R.string.sync_never)
        else -> stringResource(R.string.sync_updated, relativeTime(lastUpdated, now))
    }
    Row(
        modifier.semantics(mergeDescendants = true) { liveRegion = LiveRegionMode.Polite },
        verticalAlignment = Alignment.CenterVertically,
        horizontalArrangement = Arrangement.spacedBy(6.dp),
    ) {
        when {
            status.running -> CircularProgressIndicator(
                progress = { status.progress ?: 0f },
                modifier = Modifier.size(12.dp),
                strokeWidth = 2.dp,
            )
            status.problem?.kind == ProblemKind.OFFLINE -> Icon(
                Icons.Outlined.CloudOff,
                contentDescription = stringResource(R.string.sync_offline),
                modifier = Modifier.size(14.dp),
                tint = MaterialTheme.colorScheme.onSurfaceVariant,
            )
        }
        Text(text, style = MaterialTheme.typography.labelSmall, color = MaterialTheme.colorScheme.onSurfaceVariant)
        if (status.running) {
            // Stops the sync between two pages (what arrived stays); the next one carries on.
            val sync = LocalContext.current.graph.sync
            IconButton(onClick = { sync.cancel() }, modifier = Modifier.size(32.dp)) {
                Icon(Icons.Outlined.Close, contentDescription = stringResource(R.string.sync_cancel), modifier = Modifier.size(16.dp))
            }
        }
    }
}

/** A top bar title with the indicator underneath. */
@Composable
fun TitleWithStatus(title: String, status: SyncStatus) {
    Column {
        Text(title, style = MaterialTheme.typography.titleLarge)
        SyncIndicator(status, Modifier.padding(top = 2.dp))
    }
}
