package de.marktplatz.app.ui.screens

import androidx.compose.foundation.clickable
import androidx.compose.foundation.horizontalScroll
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.foundation.rememberScrollState
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.FilterChip
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.ListItem
import androidx.compose.material3.PrimaryTabRow
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Tab
import androidx.compose.material3.Text
import androidx.compose.material3.TopAppBar
import androidx.compose.material3.pulltorefresh.PullToRefreshBox
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableIntStateOf
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.pluralStringResource
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import de.marktplatz.app.R
import de.marktplatz.app.model.StationsModel
import de.marktplatz.app.model.StationsState
import de.marktplatz.app.model.SyncStatus
import de.marktplatz.app.ui.AppNavigator
import de.marktplatz.app.ui.StationsViewModel
import de.marktplatz.app.ui.appViewModel
import de.marktplatz.app.ui.components.EmptyState
import de.marktplatz.app.ui.components.FavouriteToggle
import de.marktplatz.app.ui.components.TitleWithStatus

/** Stations and exhibitors: two tabs over one model. */
@OptIn(ExperimentalMaterial3Api::class)
@Composable
fun StationsScreen(status: SyncStatus, go: AppNavigator, onRefresh: () -> Unit) {
    val model = appViewModel { StationsViewModel(it) }.model
    val state by model.state.collectAsStateWithLifecycle()
    var tab by rememberSaveable { mutableIntStateOf(0) }
    Scaffold(topBar = { TopAppBar(title = { TitleWithStatus(stringResource(R.string.tab_stations), status) }) }) { padding ->
        Column(Modifier.padding(padding)) {
            PrimaryTabRow(selectedTabIndex = tab) {
                Tab(selected = tab == 0, onClick = { tab = 0 }, text = { Text(stringResource(R.string.stations)) })
                Tab(selected = tab == 1, onClick = { tab = 1 }, text = { Text(stringResource(R.string.exhibitors)) })
            }
            PullToRefreshBox(isRefreshing = status.running, onRefresh = onRefresh, modifier = Modifier.fillMaxSize()) {
                if (tab == 0) StationList(state, go) else ExhibitorList(state, model, go)
            }
        }
    }
}

@Composable
private fun StationList(state: StationsState, go: AppNavigator) {
    LazyColumn(Modifier.fillMaxSize()) {
        if (state.stations.isEmpty()) item { EmptyState(state.loading, state.problem, R.string.stations_empty) }
        items(state.stations, key = { it.location.id }) { entry ->
            val counts = listOf(
                pluralStringResource(R.plurals.exhibitor_count, entry.exhibitorCount.toInt(), entry.exhibitorCount.toInt()),
                pluralStringResource(R.plurals.session_count, entry.sessionCount.toInt(), entry.sessionCount.toInt()),
            ).joinToString(" · ")
            ListItem(
                headlineContent = { Text(entry.location.name) },
                supportingContent = {
                    Column {
                        if (entry.location.description.isNotBlank()) Text(entry.location.description, maxLines = 2)
                        Text(counts)
                    }
                },
                modifier = Modifier.clickable(onClickLabel = stringResource(R.string.open_station)) { go.station(entry.location.id) },
            )
            HorizontalDivider()
        }
    }
}

@Composable
private fun ExhibitorList(state: StationsState, model: StationsModel, go: AppNavigator) {
    LazyColumn(Modifier.fillMaxSize()) {
        if (state.topics.isNotEmpty()) {
            item(key = "topics") {
                Row(
                    Modifier.horizontalScroll(rememberScrollState()).padding(horizontal = 12.dp, vertical = 8.dp),
                    horizontalArrangement = Arrangement.spacedBy(8.dp),
                ) {
                    FilterChip(selected = state.topic == null, onClick = { model.filterByTopic(null) }, label = { Text(stringResource(R.string.all_topics)) })
                    for (topic in state.topics) {
                        FilterChip(selected = state.topic == topic, onClick = { model.filterByTopic(topic) }, label = { Text(topic) })
                    }
                }
            }
        }
        if (state.exhibitors.isEmpty()) item { EmptyState(state.loading, state.problem, R.string.exhibitors_empty) }
        items(state.exhibitors, key = { it.exhibitor.id }) { entry ->
            val exhibitor = entry.exhibitor
            ListItem(
                headlineContent = { Text(exhibitor.name) },
                supportingContent = {
                    Text(listOfNotNull(entry.stationName, exhibitor.topics.joinToString(", ").ifBlank { null }).joinToString(" · "), maxLines = 2)
                },
                trailingContent = {
                    FavouriteToggle(exhibitor.id in state.favouriteExhibitors, exhibitor.name, { model.toggleFavourite(exhibitor.id) })
                },
                modifier = Modifier.clickable(onClickLabel = stringResource(R.string.open_exhibitor)) { go.exhibitor(exhibitor.id) },
            )
            HorizontalDivider()
        }
    }
}
