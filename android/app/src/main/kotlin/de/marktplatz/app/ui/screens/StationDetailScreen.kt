package de.marktplatz.app.ui.screens

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.outlined.Map
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.Icon
import androidx.compose.material3.ListItem
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import de.marktplatz.app.R
import de.marktplatz.app.model.MapFocus
import de.marktplatz.app.ui.AppNavigator
import de.marktplatz.app.ui.StationDetailViewModel
import de.marktplatz.app.ui.appViewModel
import de.marktplatz.app.ui.components.EmptyState
import de.marktplatz.app.ui.components.SectionHeader
import de.marktplatz.app.ui.components.SessionRow
import de.marktplatz.app.ui.components.BackTopBar

/** One station: what it is about, who exhibits there, and its programme. */
@Composable
fun StationDetailScreen(locationId: String, go: AppNavigator) {
    val model = appViewModel { StationDetailViewModel(it, locationId) }.model
    val state by model.state.collectAsStateWithLifecycle()
    Scaffold(
        topBar = {
            BackTopBar(state.location?.name.orEmpty(), go)
        },
    ) { padding ->
        LazyColumn(Modifier.padding(padding).fillMaxSize()) {
            val location = state.location
            if (location == null) {
                item { EmptyState(state.loading, state.problem, R.string.stations_empty) }
                return@LazyColumn
            }
            if (location.position != null) {
                item {
                    TextButton(onClick = { go.map(MapFocus.Station(location.id)) }, Modifier.padding(horizontal = 8.dp)) {
                        Icon(Icons.Outlined.Map, contentDescription = null)
                        Text(stringResource(R.string.show_on_map), Modifier.padding(start = 8.dp))
                    }
                }
            }
            if (location.description.isNotBlank()) {
                item { Text(location.description, Modifier.padding(16.dp), style = MaterialTheme.typography.bodyLarge) }
            }
            if (state.exhibitors.isNotEmpty()) {
                item { SectionHeader(stringResource(R.string.exhibitors)) }
                items(state.exhibitors, key = { "x-" + it.exhibitor.id }) { entry ->
                    ListItem(
                        headlineContent = { Text(entry.exhibitor.name) },
                        supportingContent = { Text(entry.exhibitor.topics.joinToString(", ")) },
                        modifier = Modifier.clickable(onClickLabel = stringResource(R.string.open_exhibitor)) { go.exhibitor(entry.exhibitor.id) },
                    )
                }
            }
            if (state.sessions.isNotEmpty()) {
                item { SectionHeader(stringResource(R.string.programme_here)) }
                items(state.sessions, key = { "s-" + it.id }) { session ->
                    SessionRow(session, favourite = null, onOpen = { go.session(session.id) }, onToggleFavourite = {})
                    HorizontalDivider()
                }
            }
        }
    }
}
