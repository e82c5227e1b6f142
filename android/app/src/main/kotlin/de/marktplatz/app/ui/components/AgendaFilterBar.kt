package de.marktplatz.app.ui.components

import androidx.compose.foundation.horizontalScroll
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.outlined.ArrowDropDown
import androidx.compose.material3.DropdownMenu
import androidx.compose.material3.DropdownMenuItem
import androidx.compose.material3.FilterChip
import androidx.compose.material3.Icon
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import de.marktplatz.app.R
import de.marktplatz.app.model.AgendaFilter
import de.marktplatz.core.Track

/** The agenda's filters: a station or room, and a track; each chip opens its choices. */
@Composable
fun AgendaFilterBar(
    filter: AgendaFilter,
    places: List<Pair<String, String>>,
    tracks: List<Track>,
    onChange: (AgendaFilter) -> Unit,
) {
    Row(
        Modifier.horizontalScroll(rememberScrollState()).padding(horizontal = 16.dp, vertical = 4.dp),
        horizontalArrangement = Arrangement.spacedBy(8.dp),
    ) {
        FilterChoice(
            label = places.firstOrNull { it.first == filter.locationId }?.second ?: stringResource(R.string.filter_all_places),
            active = filter.locationId != null,
            allLabel = stringResource(R.string.filter_all_places),
            choices = places,
            onPick = { onChange(filter.copy(locationId = it)) },
        )
        FilterChoice(
            label = tracks.firstOrNull { it.id == filter.trackId }?.name ?: stringResource(R.string.filter_all_tracks),
            active = filter.trackId != null,
            allLabel = stringResource(R.string.filter_all_tracks),
            choices = tracks.map { it.id to it.name },
            onPick = { onChange(filter.copy(trackId = it)) },
        )
    }
}

/** One chip showing the current choice; its menu offers "all" (null) and every choice. */
@Composable
private fun FilterChoice(
    label: String,
    active: Boolean,
    allLabel: String,
    choices: List<Pair<String, String>>,
    onPick: (String?) -> Unit,
) {
    var open by remember { mutableStateOf(false) }
    Box {
        FilterChip(
            selected = active,
            onClick = { open = true },
            label = { Text(label) },
            trailingIcon = { Icon(Icons.Outlined.ArrowDropDown, contentDescription = stringResource(R.string.filter_choose)) },
        )
        DropdownMenu(expanded = open, onDismissRequest = { open = false }) {
            DropdownMenuItem(text = { Text(allLabel) }, onClick = {
                open = false
                onPick(null)
            })
            for ((id, name) in choices) {
                DropdownMenuItem(text = { Text(name) }, onClick = {
                    open = false
                    onPick(id)
                })
            }
        }
    }
}
