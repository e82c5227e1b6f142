package de.marktplatz.app.ui.screens

import android.content.Intent
import android.net.Uri
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.automirrored.filled.ArrowBack
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
import androidx.compose.ui.Modifier
import androidx.compose.ui.layout.ContentScale
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.heading
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import de.marktplatz.app.R
import de.marktplatz.app.ui.AppNavigator
import de.marktplatz.app.ui.ExhibitorDetailViewModel
import de.marktplatz.app.ui.appViewModel
import de.marktplatz.app.ui.components.EmptyState
import de.marktplatz.app.ui.components.ProblemText
import de.marktplatz.app.ui.components.FavouriteToggle
import de.marktplatz.app.ui.components.LocalImage
import de.marktplatz.app.ui.components.SectionHeader
import de.marktplatz.app.ui.components.openLink
import de.marktplatz.app.ui.components.startActivityOrExplain

/** One exhibitor: who they are, their topics, where to find them, how to reach them. */
@OptIn(ExperimentalMaterial3Api::class)
@Composable
fun ExhibitorDetailScreen(exhibitorId: String, go: AppNavigator) {
    val model = appViewModel { ExhibitorDetailViewModel(it, exhibitorId) }.model
    val state by model.state.collectAsStateWithLifecycle()
    val context = LocalContext.current
    val entry = state.entry
    Scaffold(
        topBar = {
            TopAppBar(
                title = {},
                navigationIcon = {
                    IconButton(onClick = go::back) {
                        Icon(Icons.AutoMirrored.Filled.ArrowBack, contentDescription = stringResource(R.string.back))
                    }
                },
                actions = { if (entry != null) FavouriteToggle(state.favourite, entry.exhibitor.name, model::toggleFavourite) },
            )
        },
    ) { padding ->
        if (entry == null) {
            EmptyState(state.loading, state.problem, R.string.exhibitors_empty, Modifier.padding(padding))
            return@Scaffold
        }
        val exhibitor = entry.exhibitor
        Column(
            Modifier.padding(padding).fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp),
            verticalArrangement = Arrangement.spacedBy(8.dp),
        ) {
            state.problem?.let { ProblemText(it) }
            state.logo?.let { logo ->
                LocalImage(logo, contentDescription = stringResource(R.string.logo_of, exhibitor.name), modifier = Modifier.fillMaxWidth().heightIn(max = 96.dp), contentScale = ContentScale.Fit)
            }
            Text(exhibitor.name, style = MaterialTheme.typography.headlineSmall, modifier = Modifier.semantics { heading() })
            val stationId = exhibitor.stationId
            val stationName = entry.stationName
            if (stationName != null && stationId != null) {
                TextButton(onClick = { go.station(stationId) }) { Text(stringResource(R.string.at_station, stationName)) }
            }
            if (exhibitor.topics.isNotEmpty()) {
                Text(exhibitor.topics.joinToString(" · "), style = MaterialTheme.typography.labelLarge, color = MaterialTheme.colorScheme.primary)
            }
            if (exhibitor.description.isNotBlank()) Text(exhibitor.description, style = MaterialTheme.typography.bodyLarge)
            val contact = exhibitor.contact
            if (contact != null || exhibitor.website != null) SectionHeader(stringResource(R.string.contact))
            contact?.name?.let { Text(it, style = MaterialTheme.typography.bodyLarge) }
            contact?.email?.let { email ->
                OutlinedButton(onClick = { context.startActivityOrExplain(Intent(Intent.ACTION_SENDTO, Uri.parse("mailto:$email"))) }) {
                    Text(stringResource(R.string.write_email, email))
                }
            }
            contact?.phone?.let { phone ->
                OutlinedButton(onClick = { context.startActivityOrExplain(Intent(Intent.ACTION_DIAL, Uri.parse("tel:$phone"))) }) {
                    Text(stringResource(R.string.call, phone))
                }
            }
            exhibitor.website?.let { site -> OutlinedButton(onClick = { context.openLink(site) }) { Text(stringResource(R.string.open_website)) } }
        }
    }
}
