package de.marktplatz.app.ui.screens

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.Star
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.Icon
import androidx.compose.material3.ListItem
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import de.marktplatz.app.R
import de.marktplatz.app.ui.AppNavigator
import de.marktplatz.app.ui.SpeakersViewModel
import de.marktplatz.app.ui.appViewModel
import de.marktplatz.app.ui.components.Avatar
import de.marktplatz.app.ui.components.EmptyState
import de.marktplatz.app.ui.components.ProblemText
import de.marktplatz.app.ui.components.BackTopBar

/** Every speaker, with photo (when on the device), role and organisation. */
@Composable
fun SpeakersScreen(go: AppNavigator) {
    val model = appViewModel { SpeakersViewModel(it) }.model
    val state by model.state.collectAsStateWithLifecycle()
    Scaffold(
        topBar = {
            BackTopBar(stringResource(R.string.speakers), go)
        },
    ) { padding ->
        LazyColumn(Modifier.padding(padding).fillMaxSize()) {
            if (state.speakers.isEmpty()) {
                item { EmptyState(state.loading, state.problem, R.string.speakers_empty) }
            } else {
                state.problem?.let { item { ProblemText(it) } }
            }
            items(state.speakers, key = { it.id }) { speaker ->
                ListItem(
                    leadingContent = { Avatar(speaker.name, state.photos[speaker.id]) },
                    headlineContent = { Text(speaker.name) },
                    supportingContent = {
                        listOfNotNull(speaker.role, speaker.organisation).joinToString(", ").takeIf { it.isNotBlank() }?.let { Text(it) }
                    },
                    trailingContent = {
                        if (speaker.id in state.favourites) {
                            Icon(Icons.Filled.Star, contentDescription = stringResource(R.string.favourite_on), tint = MaterialTheme.colorScheme.primary)
                        }
                    },
                    modifier = Modifier.clickable(onClickLabel = stringResource(R.string.open_speaker)) { go.speaker(speaker.id) },
                )
                HorizontalDivider()
            }
        }
    }
}
