package de.marktplatz.app.ui.organiser

import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.result.PickVisualMediaRequest
import androidx.activity.result.contract.ActivityResultContracts
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.foundation.selection.selectable
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.outlined.PhotoLibrary
import androidx.compose.material3.Icon
import androidx.compose.material3.LinearProgressIndicator
import androidx.compose.material3.ListItem
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.RadioButton
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import de.marktplatz.app.R
import de.marktplatz.app.model.EditKind
import de.marktplatz.app.model.Problem
import de.marktplatz.app.model.ProblemKind
import de.marktplatz.app.ui.AppNavigator
import de.marktplatz.app.ui.HallMapViewModel
import de.marktplatz.app.ui.OrganiserViewModel
import de.marktplatz.app.ui.appViewModel
import de.marktplatz.app.ui.components.BackTopBar
import de.marktplatz.app.ui.components.EmptyState
import de.marktplatz.app.ui.components.ProblemText
import de.marktplatz.app.ui.screens.ZoomablePlan
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext

/**
 * The hall plan in organiser mode: pick a new plan image, choose a station and tap its place
 * on the plan (its pin moves at once and is sent like every operation).
 */
@Composable
fun HallPlanScreen(go: AppNavigator) {
    val organiser = appViewModel { OrganiserViewModel(it) }.model
    val plan = appViewModel { HallMapViewModel(it, null) }.model
    val state by organiser.state.collectAsStateWithLifecycle()
    val map by plan.state.collectAsStateWithLifecycle()
    val context = LocalContext.current
    val scope = rememberCoroutineScope()
    var chosen by rememberSaveable { mutableStateOf<String?>(null) }
    var problem by remember { mutableStateOf<Problem?>(null) }
    val pick = rememberLauncherForActivityResult(ActivityResultContracts.PickVisualMedia()) { uri ->
        if (uri == null) return@rememberLauncherForActivityResult
        scope.launch {
            withContext(Dispatchers.Default) { runCatching { PhotoEncoding.jpeg(context, uri) } }
                .onSuccess { jpeg -> problem = null; organiser.setHallPlan(jpeg) }
                .onFailure { error -> problem = Problem(ProblemKind.INVALID_INPUT, error.message ?: error.toString()) }
        }
    }
    val stations = state.entries[EditKind.STATION].orEmpty()
    Scaffold(topBar = { BackTopBar(stringResource(R.string.org_hall_plan), go) }) { padding ->
        Column(Modifier.padding(padding).fillMaxSize()) {
            if (state.busy) LinearProgressIndicator(Modifier.fillMaxWidth())
            problem?.let { ProblemText(it) }
            state.problem?.let { ProblemText(it) }
            OutlinedButton(
                onClick = { pick.launch(PickVisualMediaRequest(ActivityResultContracts.PickVisualMedia.ImageOnly)) },
                enabled = !state.busy,
                modifier = Modifier.padding(horizontal = 16.dp, vertical = 8.dp),
            ) {
                Icon(Icons.Outlined.PhotoLibrary, contentDescription = null)
                Text(stringResource(R.string.org_pick_hall_plan), Modifier.padding(start = 8.dp))
            }
            if (map.mapFile == null) {
                EmptyState(map.loading, map.problem, R.string.hall_map_none)
            } else {
                ZoomablePlan(
                    map,
                    onPin = { chosen = it },
                    modifier = Modifier.weight(1f).fillMaxWidth(),
                    onPlanTap = { x, y, width, height -> chosen?.let { organiser.placeStation(it, x, y, width, height) } },
                )
            }
            Text(stringResource(R.string.org_place_station_hint), Modifier.padding(16.dp))
            LazyColumn(Modifier.weight(1f).fillMaxWidth()) {
                items(stations, key = { it.id }) { station ->
                    val pinned = map.pins.any { it.stationId == station.id }
                    ListItem(
                        leadingContent = { RadioButton(selected = chosen == station.id, onClick = null) },
                        headlineContent = { Text(station.label) },
                        supportingContent = { if (!pinned) Text(stringResource(R.string.hall_map_not_on_plan)) },
                        modifier = Modifier.selectable(chosen == station.id, role = Role.RadioButton) { chosen = station.id },
                    )
                }
            }
        }
    }
}
