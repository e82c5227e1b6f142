package de.marktplatz.app.ui.screens

import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.outlined.Search
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.Scaffold
import androidx.compose.material3.TopAppBar
import androidx.compose.material3.pulltorefresh.PullToRefreshBox
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import de.marktplatz.app.R
import de.marktplatz.app.model.SyncStatus
import de.marktplatz.app.ui.AgendaViewModel
import de.marktplatz.app.ui.AppNavigator
import de.marktplatz.app.ui.Routes
import de.marktplatz.app.ui.appViewModel
import de.marktplatz.app.ui.components.AgendaFilterBar
import de.marktplatz.app.ui.components.DayTabs
import de.marktplatz.app.ui.components.EmptyState
import de.marktplatz.app.ui.components.SectionHeader
import de.marktplatz.app.ui.components.SessionRow
import de.marktplatz.app.ui.components.TitleWithStatus
import de.marktplatz.app.ui.components.dayLong
import de.marktplatz.app.ui.components.uiLocale

/** Today's agenda: what runs now, what comes next, then the whole day by start time. */
@OptIn(ExperimentalMaterial3Api::class)
@Composable
fun AgendaScreen(status: SyncStatus, go: AppNavigator, onRefresh: () -> Unit) {
    val model = appViewModel { AgendaViewModel(it) }.model
    val state by model.state.collectAsStateWithLifecycle()
    val locale = uiLocale()
    Scaffold(
        topBar = {
            TopAppBar(
                title = { TitleWithStatus(stringResource(R.string.tab_agenda), status) },
                actions = {
                    IconButton(onClick = { go.to(Routes.SEARCH) }) {
                        Icon(Icons.Outlined.Search, contentDescription = stringResource(R.string.tab_search))
                    }
                },
            )
        },
    ) { padding ->
        Column(Modifier.padding(padding)) {
            DayTabs(state.days, state.day, model::selectDay)
            AgendaFilterBar(state.filter, state.places, state.tracks, model::setFilter)
            PullToRefreshBox(isRefreshing = status.running, onRefresh = onRefresh, modifier = Modifier.fillMaxSize()) {
                LazyColumn(Modifier.fillMaxSize()) {
                    if (state.now.isNotEmpty()) {
                        item(key = "now") { SectionHeader(stringResource(R.string.now)) }
                        items(state.now, key = { "now-" + it.id }) { session ->
                            SessionRow(session, session.id in state.favourites, { go.session(session.id) }, { model.toggleFavourite(session.id) })
                        }
                    }
                    if (state.next.isNotEmpty()) {
                        item(key = "next") { SectionHeader(stringResource(R.string.next)) }
                        items(state.next.take(6), key = { "next-" + it.id }) { session ->
                            SessionRow(session, session.id in state.favourites, { go.session(session.id) }, { model.toggleFavourite(session.id) })
                        }
                    }
                    state.day?.let { day -> item(key = "day") { SectionHeader(dayLong(day, locale)) } }
                    if (state.sessions.isEmpty()) {
                        item(key = "empty") {
                            EmptyState(state.loading, state.problem, if (state.filter.isActive) R.string.filter_nothing else R.string.agenda_empty)
                        }
                    }
                    items(state.sessions, key = { it.id }) { session ->
                        SessionRow(session, session.id in state.favourites, { go.session(session.id) }, { model.toggleFavourite(session.id) })
                        HorizontalDivider()
                    }
                }
            }
        }
    }
}
