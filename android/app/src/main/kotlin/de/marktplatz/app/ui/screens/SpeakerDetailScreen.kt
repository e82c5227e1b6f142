package de.marktplatz.app.ui.screens

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.automirrored.filled.ArrowBack
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.material3.TopAppBar
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.heading
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import de.marktplatz.app.R
import de.marktplatz.app.ui.AppNavigator
import de.marktplatz.app.ui.SpeakerDetailViewModel
import de.marktplatz.app.ui.appViewModel
import de.marktplatz.app.ui.components.Avatar
import de.marktplatz.app.ui.components.EmptyState
import de.marktplatz.app.ui.components.ProblemText
import de.marktplatz.app.ui.components.FavouriteToggle
import de.marktplatz.app.ui.components.SectionHeader
import de.marktplatz.app.ui.components.SessionRow
import de.marktplatz.app.ui.components.openLink

/** One speaker: photo, role, bio, links, and their sessions. */
@OptIn(ExperimentalMaterial3Api::class)
@Composable
fun SpeakerDetailScreen(speakerId: String, go: AppNavigator) {
    val model = appViewModel { SpeakerDetailViewModel(it, speakerId) }.model
    val state by model.state.collectAsStateWithLifecycle()
    val context = LocalContext.current
    val speaker = state.speaker
    Scaffold(
        topBar = {
            TopAppBar(
                title = {},
                navigationIcon = {
                    IconButton(onClick = go::back) {
                        Icon(Icons.AutoMirrored.Filled.ArrowBack, contentDescription = stringResource(R.string.back))
                    }
                },
                actions = { if (speaker != null) FavouriteToggle(state.favourite, speaker.name, model::toggleFavourite) },
            )
        },
    ) { padding ->
        LazyColumn(Modifier.padding(padding).fillMaxSize()) {
            if (speaker == null) {
                item { EmptyState(state.loading, state.problem, R.string.speakers_empty) }
                return@LazyColumn
            }
            state.problem?.let { item { ProblemText(it) } }
            item {
                Row(Modifier.padding(16.dp), verticalAlignment = Alignment.CenterVertically, horizontalArrangement = Arrangement.spacedBy(16.dp)) {
                    Avatar(speaker.name, state.photo, size = 88.dp)
                    Column {
                        Text(speaker.name, style = MaterialTheme.typography.headlineSmall, modifier = Modifier.semantics { heading() })
                        listOfNotNull(speaker.role, speaker.organisation).joinToString(", ").takeIf { it.isNotBlank() }?.let {
                            Text(it, style = MaterialTheme.typography.bodyLarge, color = MaterialTheme.colorScheme.onSurfaceVariant)
                        }
                    }
                }
            }
            if (speaker.bio.isNotBlank()) item { Text(speaker.bio, Modifier.padding(horizontal = 16.dp), style = MaterialTheme.typography.bodyLarge) }
            items(speaker.links, key = { "link-" + it.url }) { link ->
                OutlinedButton(onClick = { context.openLink(link.url) }, modifier = Modifier.padding(horizontal = 16.dp, vertical = 4.dp)) { Text(link.title) }
            }
            if (state.sessions.isNotEmpty()) {
                item { SectionHeader(stringResource(R.string.sessions_of_speaker)) }
                items(state.sessions, key = { "s-" + it.id }) { session ->
                    SessionRow(session, favourite = null, onOpen = { go.session(session.id) }, onToggleFavourite = {})
                    HorizontalDivider()
                }
            }
        }
    }
}
