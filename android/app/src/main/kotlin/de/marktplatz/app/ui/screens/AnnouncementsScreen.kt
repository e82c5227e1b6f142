package de.marktplatz.app.ui.screens

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.PaddingValues
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.automirrored.filled.ArrowBack
import androidx.compose.material3.Card
import androidx.compose.material3.CardDefaults
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.material3.TopAppBar
import androidx.compose.material3.pulltorefresh.PullToRefreshBox
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import de.marktplatz.app.R
import de.marktplatz.app.model.SyncStatus
import de.marktplatz.app.ui.AnnouncementsViewModel
import de.marktplatz.app.ui.AppNavigator
import de.marktplatz.app.ui.appViewModel
import de.marktplatz.app.ui.components.EmptyState
import de.marktplatz.app.ui.components.TitleWithStatus
import de.marktplatz.app.ui.components.dateTime
import de.marktplatz.app.ui.components.uiLocale
import de.marktplatz.core.Priority

/** The organisers' announcements in force, urgent ones in the error colour. */
@OptIn(ExperimentalMaterial3Api::class)
@Composable
fun AnnouncementsScreen(status: SyncStatus, go: AppNavigator, onRefresh: () -> Unit) {
    val model = appViewModel { AnnouncementsViewModel(it) }.model
    val state by model.state.collectAsStateWithLifecycle()
    val locale = uiLocale()
    Scaffold(
        topBar = {
            TopAppBar(
                title = { TitleWithStatus(stringResource(R.string.announcements), status) },
                navigationIcon = {
                    IconButton(onClick = go::back) {
                        Icon(Icons.AutoMirrored.Filled.ArrowBack, contentDescription = stringResource(R.string.back))
                    }
                },
            )
        },
    ) { padding ->
        PullToRefreshBox(isRefreshing = status.running, onRefresh = onRefresh, modifier = Modifier.padding(padding).fillMaxSize()) {
            LazyColumn(Modifier.fillMaxSize(), contentPadding = PaddingValues(16.dp), verticalArrangement = Arrangement.spacedBy(12.dp)) {
                if (state.announcements.isEmpty()) item { EmptyState(state.loading, state.problem, R.string.announcements_empty) }
                items(state.announcements, key = { it.id }) { announcement ->
                    val colors = when (announcement.priority) {
                        Priority.URGENT -> CardDefaults.cardColors(containerColor = MaterialTheme.colorScheme.errorContainer)
                        Priority.IMPORTANT -> CardDefaults.cardColors(containerColor = MaterialTheme.colorScheme.tertiaryContainer)
                        Priority.NORMAL -> CardDefaults.cardColors()
                    }
                    Card(colors = colors, modifier = Modifier.fillMaxWidth().semantics(mergeDescendants = true) {}) {
                        Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
                            if (announcement.priority != Priority.NORMAL) {
                                Text(
                                    stringResource(if (announcement.priority == Priority.URGENT) R.string.priority_urgent else R.string.priority_important),
                                    style = MaterialTheme.typography.labelLarge,
                                )
                            }
                            Text(announcement.title, style = MaterialTheme.typography.titleMedium)
                            if (announcement.body.isNotBlank()) Text(announcement.body, style = MaterialTheme.typography.bodyMedium)
                            Text(dateTime(announcement.publishedAt, locale), style = MaterialTheme.typography.labelSmall, color = MaterialTheme.colorScheme.onSurfaceVariant)
                        }
                    }
                }
            }
        }
    }
}
