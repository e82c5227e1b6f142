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
import androidx.compose.material.icons.outlined.Place
import androidx.compose.material3.Icon
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
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
import de.marktplatz.app.ui.EventInfoViewModel
import de.marktplatz.app.ui.appViewModel
import de.marktplatz.app.ui.components.EmptyState
import de.marktplatz.app.ui.components.ProblemText
import de.marktplatz.app.ui.components.LocalImage
import de.marktplatz.app.ui.components.SectionHeader
import de.marktplatz.app.ui.components.openLink
import de.marktplatz.app.ui.components.startActivityOrExplain
import de.marktplatz.app.ui.components.BackTopBar
import de.marktplatz.core.Venue

/** The event, its venue (address, map, directions) and the organisers' info pages. */
@Composable
fun EventInfoScreen(go: AppNavigator) {
    val model = appViewModel { EventInfoViewModel(it) }.model
    val state by model.state.collectAsStateWithLifecycle()
    val context = LocalContext.current
    Scaffold(
        topBar = {
            BackTopBar(stringResource(R.string.event_info), go)
        },
    ) { padding ->
        val overview = state.overview
        if (overview == null) {
            EmptyState(state.loading, state.problem, R.string.no_content_yet, Modifier.padding(padding))
            return@Scaffold
        }
        val event = overview.event
        Column(
            Modifier.padding(padding).fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp),
            verticalArrangement = Arrangement.spacedBy(8.dp),
        ) {
            state.problem?.let { ProblemText(it) }
            state.logoFile?.let { LocalImage(it, contentDescription = stringResource(R.string.logo_of, event.title), modifier = Modifier.fillMaxWidth().heightIn(max = 120.dp), contentScale = ContentScale.Fit) }
            Text(event.title, style = MaterialTheme.typography.headlineSmall, modifier = Modifier.semantics { heading() })
            event.subtitle?.let { Text(it, style = MaterialTheme.typography.titleMedium) }
            if (event.description.isNotBlank()) Text(event.description, style = MaterialTheme.typography.bodyLarge)
            event.url?.let { site -> OutlinedButton(onClick = { context.openLink(site) }) { Text(stringResource(R.string.open_website)) } }

            SectionHeader(stringResource(R.string.venue))
            val venue = event.venue
            Text(venue.name, style = MaterialTheme.typography.titleMedium)
            Text(address(venue), style = MaterialTheme.typography.bodyLarge)
            OutlinedButton(onClick = {
                context.startActivityOrExplain(Intent(Intent.ACTION_VIEW, mapUri(venue)), R.string.no_maps_app)
            }) {
                Icon(Icons.Outlined.Place, contentDescription = null)
                Text(stringResource(R.string.directions), Modifier.padding(start = 8.dp))
            }
            state.mapFile?.let { LocalImage(it, contentDescription = stringResource(R.string.venue_map), modifier = Modifier.fillMaxWidth(), contentScale = ContentScale.Fit) }

            for (page in state.pages) {
                SectionHeader(page.title)
                Text(page.body, style = MaterialTheme.typography.bodyLarge)
            }
        }
    }
}

private fun address(venue: Venue): String =
    listOf(venue.street, listOf(venue.postalCode, venue.city).filter { it.isNotBlank() }.joinToString(" "))
        .filter { it.isNotBlank() }
        .joinToString("\n")

/** geo: with coordinates when known, else the address as a query (any maps app). */
private fun mapUri(venue: Venue): Uri {
    val query = Uri.encode(listOf(venue.name, venue.street, venue.postalCode + " " + venue.city).joinToString(", "))
    val lat = venue.latitude
    val lon = venue.longitude
    return if (lat != null && lon != null) Uri.parse("geo:$lat,$lon?q=$lat,$lon($query)") else Uri.parse("geo:0,0?q=$query")
}
