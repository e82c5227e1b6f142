package de.marktplatz.app.ui.screens

import android.content.ActivityNotFoundException
import android.content.Context
import android.content.Intent
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.size
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.automirrored.outlined.DirectionsWalk
import androidx.compose.material.icons.outlined.DoneAll
import androidx.compose.material.icons.outlined.EventAvailable
import androidx.compose.material.icons.outlined.NewReleases
import androidx.compose.material.icons.outlined.Warning
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.ListItem
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.material3.TopAppBar
import androidx.compose.material3.pulltorefresh.PullToRefreshBox
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.graphics.vector.ImageVector
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.core.content.FileProvider
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import de.marktplatz.app.R
import de.marktplatz.app.model.SyncStatus
import de.marktplatz.app.notify.AlertText
import de.marktplatz.app.ui.AppNavigator
import de.marktplatz.app.ui.MyAgendaViewModel
import de.marktplatz.app.ui.appViewModel
import de.marktplatz.app.ui.components.DayTabs
import de.marktplatz.app.ui.components.EmptyState
import de.marktplatz.app.ui.components.FavouriteNote
import de.marktplatz.app.ui.components.MyNowNext
import de.marktplatz.app.ui.components.SectionHeader
import de.marktplatz.app.ui.components.SessionRow
import de.marktplatz.app.ui.components.TitleWithStatus
import de.marktplatz.core.FavouriteKind
import de.marktplatz.core.FavouriteState
import de.marktplatz.core.Walk
import java.io.File
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext

/** My agenda: the day's favourites with conflicts, tight walks and change alerts marked. */
@OptIn(ExperimentalMaterial3Api::class)
@Composable
fun MyAgendaScreen(status: SyncStatus, go: AppNavigator, onRefresh: () -> Unit) {
    val model = appViewModel { MyAgendaViewModel(it) }.model
    val state by model.state.collectAsStateWithLifecycle()
    val context = LocalContext.current
    val scope = rememberCoroutineScope()
    Scaffold(
        topBar = {
            TopAppBar(
                title = { TitleWithStatus(stringResource(R.string.tab_my_agenda), status) },
                actions = {
                    if (state.alerts.isNotEmpty()) {
                        IconButton(onClick = model::markAllSeen) {
                            Icon(Icons.Outlined.DoneAll, contentDescription = stringResource(R.string.mark_all_seen))
                        }
                    }
                    IconButton(onClick = {
                        scope.launch { model.calendarFile()?.let { shareCalendar(context, it) } }
                    }) {
                        Icon(Icons.Outlined.EventAvailable, contentDescription = stringResource(R.string.export_calendar))
                    }
                },
            )
        },
    ) { padding ->
        Column(Modifier.padding(padding)) {
            DayTabs(state.days, state.day, model::selectDay)
            PullToRefreshBox(isRefreshing = status.running, onRefresh = onRefresh, modifier = Modifier.fillMaxSize()) {
                LazyColumn(Modifier.fillMaxSize()) {
                    val agenda = state.agenda
                    if (agenda == null || agenda.entries.isEmpty()) {
                        item { EmptyState(state.loading, state.problem, R.string.my_agenda_empty) }
                    }
                    if (state.mineNow.isNotEmpty() || state.mineNext.isNotEmpty()) {
                        item(key = "mine-now-next") { MyNowNext(state.mineNow, state.mineNext, go) }
                    }
                    if (agenda != null && agenda.conflictCount > 0u) {
                        item {
                            Marker(Icons.Outlined.Warning, stringResource(R.string.conflicts_summary, agenda.conflictCount.toInt()), MaterialTheme.colorScheme.error, Modifier.padding(16.dp))
                        }
                    }
                    items(agenda?.entries.orEmpty(), key = { it.session.id }) { entry ->
                        val session = entry.session
                        val titles = agenda?.entries.orEmpty().associate { it.session.id to it.session.title }
                        SessionRow(
                            session,
                            favourite = true,
                            onOpen = { go.session(session.id) },
                            onToggleFavourite = { model.removeFavourite(FavouriteKind.SESSION, session.id) },
                            badge = {
                                Column(verticalArrangement = Arrangement.spacedBy(2.dp)) {
                                    state.alerts[session.id]?.let { alert ->
                                        Marker(Icons.Outlined.NewReleases, AlertText.describe(context, alert), MaterialTheme.colorScheme.tertiary)
                                    }
                                    if (entry.conflictsWith.isNotEmpty()) {
                                        val with = entry.conflictsWith.mapNotNull { titles[it] }.joinToString(", ")
                                        Marker(Icons.Outlined.Warning, stringResource(R.string.conflicts_with, with), MaterialTheme.colorScheme.error)
                                    }
                                    entry.walk?.takeIf { it.tight }?.let { walk ->
                                        Marker(Icons.AutoMirrored.Outlined.DirectionsWalk, walkText(walk), MaterialTheme.colorScheme.error)
                                    }
                                    when (entry.state) {
                                        FavouriteState.REMOVED -> Marker(Icons.Outlined.Warning, stringResource(R.string.favourite_removed), MaterialTheme.colorScheme.error)
                                        FavouriteState.UNAVAILABLE -> Marker(Icons.Outlined.Warning, stringResource(R.string.favourite_unavailable), MaterialTheme.colorScheme.error)
                                        else -> {}
                                    }
                                    if (entry.state == FavouriteState.PRESENT) {
                                        FavouriteNote(session.title, entry.note, { model.setNote(session.id, it) })
                                    }
                                }
                            },
                        )
                        HorizontalDivider()
                    }
                    if (!agenda?.gaps.isNullOrEmpty()) {
                        item { SectionHeader(stringResource(R.string.free_time)) }
                        items(agenda?.gaps.orEmpty(), key = { "gap-" + it.start }) { gap ->
                            ListItem(headlineContent = { Text(stringResource(R.string.free_gap, gap.localStart, gap.localEnd, gap.minutes.toInt())) })
                        }
                    }
                    if (state.others.isNotEmpty()) {
                        item { SectionHeader(stringResource(R.string.favourite_people_and_exhibitors)) }
                        items(state.others, key = { it.kind.name + it.id }) { favourite ->
                            ListItem(
                                headlineContent = { Text(favourite.title ?: favourite.id) },
                                supportingContent = {
                                    Text(
                                        stringResource(
                                            when {
                                                favourite.state == FavouriteState.REMOVED -> R.string.favourite_removed
                                                favourite.kind == FavouriteKind.SPEAKER -> R.string.kind_speaker
                                                else -> R.string.kind_exhibitor
                                            },
                                        ),
                                    )
                                },
                                trailingContent = {
                                    TextButton(onClick = { model.removeFavourite(favourite.kind, favourite.id) }) { Text(stringResource(R.string.remove)) }
                                },
                            )
                        }
                    }
                }
            }
        }
    }
}

/** A tight walk: the minutes left to get there, or by how much the two sessions overlap. */
@Composable
private fun walkText(walk: Walk): String =
    if (walk.overlapMinutes > 0u) {
        stringResource(R.string.overlap_walk, walk.overlapMinutes.toInt(), walk.fromLocationName.orEmpty())
    } else {
        stringResource(R.string.tight_walk, walk.gapMinutes.toInt(), walk.fromLocationName.orEmpty())
    }

/** A small coloured line with an icon: a conflict, a change, a tight walk. */
@Composable
private fun Marker(icon: ImageVector, text: String, color: Color, modifier: Modifier = Modifier) {
    Row(modifier, verticalAlignment = Alignment.CenterVertically, horizontalArrangement = Arrangement.spacedBy(4.dp)) {
        Icon(icon, contentDescription = null, tint = color, modifier = Modifier.size(16.dp))
        Text(text, style = MaterialTheme.typography.bodySmall, color = color)
    }
}

/** Hands the core's iCalendar file to a calendar app (or any app that takes text/calendar). */
private suspend fun shareCalendar(context: Context, ics: String) {
    val file = withContext(Dispatchers.IO) {
        File(context.cacheDir, "calendar").apply { mkdirs() }.resolve("marktplatz.ics").apply { writeText(ics) }
    }
    val uri = FileProvider.getUriForFile(context, context.packageName + ".files", file)
    val send = Intent(Intent.ACTION_SEND)
        .setType("text/calendar")
        .putExtra(Intent.EXTRA_STREAM, uri)
        .addFlags(Intent.FLAG_GRANT_READ_URI_PERMISSION)
    try {
        context.startActivity(Intent.createChooser(send, context.getString(R.string.export_calendar)))
    } catch (missing: ActivityNotFoundException) {
        android.widget.Toast.makeText(context, R.string.no_calendar_app, android.widget.Toast.LENGTH_LONG).show()
    }
}
