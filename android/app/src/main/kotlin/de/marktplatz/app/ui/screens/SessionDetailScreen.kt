package de.marktplatz.app.ui.screens

import android.content.ActivityNotFoundException
import android.content.Context
import android.content.Intent
import android.provider.CalendarContract
import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.automirrored.filled.ArrowBack
import androidx.compose.material.icons.outlined.EventAvailable
import androidx.compose.material.icons.outlined.Map
import androidx.compose.material.icons.outlined.Share
import androidx.compose.material3.Card
import androidx.compose.material3.CardDefaults
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.material3.TopAppBar
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.heading
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.style.TextDecoration
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import de.marktplatz.app.R
import de.marktplatz.app.model.MapFocus
import de.marktplatz.app.notify.AlertText
import de.marktplatz.app.ui.AppNavigator
import de.marktplatz.app.ui.SessionDetailViewModel
import de.marktplatz.app.ui.appViewModel
import de.marktplatz.app.ui.components.Avatar
import de.marktplatz.app.ui.components.EmptyState
import de.marktplatz.app.ui.components.ProblemText
import de.marktplatz.app.ui.components.FavouriteNote
import de.marktplatz.app.ui.components.FavouriteToggle
import de.marktplatz.app.ui.components.SectionHeader
import de.marktplatz.app.ui.components.dayLong
import de.marktplatz.app.ui.components.openLink
import de.marktplatz.app.ui.components.uiLocale
import de.marktplatz.core.SessionDetail
import de.marktplatz.core.SessionStatus

/** One session: when and where, who speaks, what it is about; favourite, calendar, share. */
@OptIn(ExperimentalMaterial3Api::class)
@Composable
fun SessionDetailScreen(sessionId: String, go: AppNavigator) {
    val model = appViewModel { SessionDetailViewModel(it, sessionId) }.model
    val state by model.state.collectAsStateWithLifecycle()
    val context = LocalContext.current
    val detail = state.detail
    Scaffold(
        topBar = {
            TopAppBar(
                title = {},
                navigationIcon = {
                    IconButton(onClick = go::back) {
                        Icon(Icons.AutoMirrored.Filled.ArrowBack, contentDescription = stringResource(R.string.back))
                    }
                },
                actions = {
                    if (detail != null) {
                        IconButton(onClick = { addToCalendar(context, detail) }) {
                            Icon(Icons.Outlined.EventAvailable, contentDescription = stringResource(R.string.add_to_calendar))
                        }
                        IconButton(onClick = { share(context, detail) }) {
                            Icon(Icons.Outlined.Share, contentDescription = stringResource(R.string.share))
                        }
                        FavouriteToggle(state.favourite, detail.summary.title, model::toggleFavourite)
                    }
                },
            )
        },
    ) { padding ->
        if (detail == null) {
            EmptyState(state.loading, state.problem, R.string.session_unavailable, Modifier.padding(padding))
            return@Scaffold
        }
        val summary = detail.summary
        val locale = uiLocale()
        Column(
            Modifier.padding(padding).fillMaxSize().verticalScroll(rememberScrollState()).padding(horizontal = 16.dp),
            verticalArrangement = Arrangement.spacedBy(8.dp),
        ) {
            state.problem?.let { ProblemText(it) }
            state.alert?.let { alert ->
                Card(colors = CardDefaults.cardColors(containerColor = MaterialTheme.colorScheme.tertiaryContainer)) {
                    Column(Modifier.padding(12.dp)) {
                        Text(stringResource(R.string.changed_since_favourited), style = MaterialTheme.typography.labelLarge)
                        Text(AlertText.describe(context, alert), style = MaterialTheme.typography.bodyMedium)
                    }
                }
            }
            if (summary.status == SessionStatus.CANCELLED) {
                Text(stringResource(R.string.session_cancelled), color = MaterialTheme.colorScheme.error, style = MaterialTheme.typography.titleMedium)
            }
            Text(
                summary.title,
                style = MaterialTheme.typography.headlineSmall,
                textDecoration = if (summary.status == SessionStatus.CANCELLED) TextDecoration.LineThrough else null,
                modifier = Modifier.semantics { heading() },
            )
            summary.subtitle?.let { Text(it, style = MaterialTheme.typography.titleMedium) }
            Text(
                stringResource(R.string.session_when, dayLong(summary.day, locale), summary.localStart, summary.localEnd),
                style = MaterialTheme.typography.bodyLarge,
            )
            detail.location?.let { location ->
                TextButton(onClick = { go.station(location.id) }) {
                    Text(stringResource(R.string.session_where, location.name))
                }
                if (location.position != null) {
                    TextButton(onClick = { go.map(MapFocus.Session(summary.id)) }) {
                        Icon(Icons.Outlined.Map, contentDescription = null)
                        Text(stringResource(R.string.show_on_map), Modifier.padding(start = 8.dp))
                    }
                }
            }
            summary.trackName?.let { Text(stringResource(R.string.session_track, it), style = MaterialTheme.typography.bodyMedium) }
            if (state.favourite) FavouriteNote(summary.title, state.note, model::setNote)
            if (summary.languages.isNotEmpty()) {
                Text(stringResource(R.string.session_languages, summary.languages.joinToString(", ")), style = MaterialTheme.typography.bodyMedium)
            }
            if (detail.speakers.isNotEmpty()) {
                SectionHeader(stringResource(R.string.speakers))
                for (speaker in detail.speakers) {
                    Row(
                        Modifier
                            .fillMaxWidth()
                            .clickable(onClickLabel = stringResource(R.string.open_speaker)) { go.speaker(speaker.id) }
                            .padding(vertical = 6.dp),
                        verticalAlignment = Alignment.CenterVertically,
                        horizontalArrangement = Arrangement.spacedBy(12.dp),
                    ) {
                        Avatar(speaker.name, state.speakerPhotos[speaker.id])
                        Column(Modifier.semantics(mergeDescendants = true) {}) {
                            Text(speaker.name, style = MaterialTheme.typography.titleMedium)
                            listOfNotNull(speaker.role, speaker.organisation).joinToString(", ").takeIf { it.isNotBlank() }?.let {
                                Text(it, style = MaterialTheme.typography.bodyMedium, color = MaterialTheme.colorScheme.onSurfaceVariant)
                            }
                        }
                    }
                }
            }
            if (detail.session.abstractText.isNotBlank()) {
                SectionHeader(stringResource(R.string.about_session))
                Text(detail.session.abstractText, style = MaterialTheme.typography.bodyLarge)
            }
            if (detail.session.description.isNotBlank()) {
                Text(detail.session.description, style = MaterialTheme.typography.bodyMedium)
            }
            for (link in detail.session.links) {
                OutlinedButton(onClick = { context.openLink(link.url) }) { Text(link.title) }
            }
        }
    }
}

/** The calendar app's "new event" screen, filled in (no calendar permission needed). */
private fun addToCalendar(context: Context, detail: SessionDetail) {
    val summary = detail.summary
    val intent = Intent(Intent.ACTION_INSERT, CalendarContract.Events.CONTENT_URI)
        .putExtra(CalendarContract.Events.TITLE, summary.title)
        .putExtra(CalendarContract.EXTRA_EVENT_BEGIN_TIME, summary.start.toEpochMilli())
        .putExtra(CalendarContract.EXTRA_EVENT_END_TIME, summary.end.toEpochMilli())
        .putExtra(CalendarContract.Events.EVENT_LOCATION, summary.locationName.orEmpty())
        .putExtra(CalendarContract.Events.DESCRIPTION, listOf(summary.speakerNames.joinToString(", "), detail.session.abstractText).filter { it.isNotBlank() }.joinToString("\n\n"))
    try {
        context.startActivity(intent)
    } catch (missing: ActivityNotFoundException) {
        android.widget.Toast.makeText(context, R.string.no_calendar_app, android.widget.Toast.LENGTH_LONG).show()
    }
}

/** The system share sheet with a short text: title, time, place. */
private fun share(context: Context, detail: SessionDetail) {
    val summary = detail.summary
    val text = context.getString(
        R.string.share_session_text,
        summary.title,
        summary.localStart,
        summary.localEnd,
        summary.locationName.orEmpty(),
    )
    val send = Intent(Intent.ACTION_SEND).setType("text/plain").putExtra(Intent.EXTRA_TEXT, text).putExtra(Intent.EXTRA_SUBJECT, summary.title)
    context.startActivity(Intent.createChooser(send, context.getString(R.string.share)))
}
