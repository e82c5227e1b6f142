package de.marktplatz.app.ui.organiser

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.DropdownMenuItem
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.ExposedDropdownMenuBox
import androidx.compose.material3.ExposedDropdownMenuDefaults
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.ListItem
import androidx.compose.material3.MenuAnchorType
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import de.marktplatz.app.R
import de.marktplatz.app.model.EditKind
import de.marktplatz.app.model.OrganiserModel
import de.marktplatz.app.ui.AppNavigator
import de.marktplatz.app.ui.OrganiserViewModel
import de.marktplatz.app.ui.appViewModel
import de.marktplatz.app.ui.components.ProblemText
import de.marktplatz.app.ui.components.BackTopBar
import de.marktplatz.core.Location
import de.marktplatz.core.SessionStatus
import de.marktplatz.core.SessionSummary

/** Pick a session, then move it, give it a new time, edit its texts, cancel or reinstate it. */
@OptIn(ExperimentalMaterial3Api::class)
@Composable
fun SessionChangeScreen(go: AppNavigator) {
    val model = appViewModel { OrganiserViewModel(it) }.model
    val state by model.state.collectAsStateWithLifecycle()
    var pickedId by rememberSaveable { mutableStateOf<String?>(null) }
    Scaffold(
        topBar = {
            BackTopBar(stringResource(R.string.change_session), go)
        },
    ) { padding ->
        LazyColumn(Modifier.padding(padding).fillMaxSize()) {
            state.problem?.let { item { ProblemText(it) } }
            items(state.sessions, key = { it.id }) { session ->
                ListItem(
                    overlineContent = { Text("${session.localStart}–${session.localEnd} · ${session.locationName.orEmpty()}") },
                    headlineContent = { Text(session.title) },
                    supportingContent = {
                        if (session.status == SessionStatus.CANCELLED) Text(stringResource(R.string.session_cancelled))
                    },
                    modifier = Modifier.clickable(onClickLabel = stringResource(R.string.change_session)) { pickedId = session.id },
                )
                HorizontalDivider()
            }
        }
    }
    val picked = state.sessions.firstOrNull { it.id == pickedId }
    if (picked != null) ChangeDialog(picked, state.locations, model, onDone = { pickedId = null })
    state.editing?.takeIf { it.kind == EditKind.SESSION }?.let { EditFormDialog(it, model) }
}

@OptIn(ExperimentalMaterial3Api::class)
@Composable
private fun ChangeDialog(session: SessionSummary, locations: List<Location>, model: OrganiserModel, onDone: () -> Unit) {
    var target by rememberSaveable(session.id) { mutableStateOf(session.locationId) }
    var expanded by rememberSaveable { mutableStateOf(false) }
    AlertDialog(
        onDismissRequest = onDone,
        title = { Text(session.title) },
        text = {
            Column(Modifier.verticalScroll(rememberScrollState())) {
                ExposedDropdownMenuBox(expanded = expanded, onExpandedChange = { expanded = it }) {
                    OutlinedTextField(
                        value = locations.firstOrNull { it.id == target }?.name.orEmpty(),
                        onValueChange = {},
                        readOnly = true,
                        label = { Text(stringResource(R.string.move_to)) },
                        trailingIcon = { ExposedDropdownMenuDefaults.TrailingIcon(expanded) },
                        modifier = Modifier.fillMaxWidth().menuAnchor(MenuAnchorType.PrimaryNotEditable),
                    )
                    ExposedDropdownMenu(expanded = expanded, onDismissRequest = { expanded = false }) {
                        for (location in locations) {
                            DropdownMenuItem(text = { Text(location.name) }, onClick = {
                                target = location.id
                                expanded = false
                            })
                        }
                    }
                }
                Retime(session, model, onDone)
                TextButton(onClick = { model.edit(EditKind.SESSION, session.id); onDone() }) { Text(stringResource(R.string.org_edit_texts)) }
                Row(Modifier.padding(top = 8.dp)) {
                    if (session.status == SessionStatus.CANCELLED) {
                        TextButton(onClick = { model.reinstateSession(session.id); onDone() }) { Text(stringResource(R.string.reinstate_session)) }
                    } else {
                        TextButton(onClick = { model.cancelSession(session.id); onDone() }) { Text(stringResource(R.string.cancel_session)) }
                    }
                }
            }
        },
        confirmButton = {
            val to = target
            TextButton(
                onClick = { if (to != null) model.moveSession(session.id, to); onDone() },
                enabled = to != null && to != session.locationId,
            ) { Text(stringResource(R.string.move)) }
        },
        dismissButton = { TextButton(onClick = onDone) { Text(stringResource(R.string.close)) } },
    )
}

/** A new start and end on the session's day, typed as the organiser reads them ("9:30"). */
@Composable
private fun Retime(session: SessionSummary, model: OrganiserModel, onDone: () -> Unit) {
    var start by rememberSaveable(session.id) { mutableStateOf(session.localStart) }
    var end by rememberSaveable(session.id) { mutableStateOf(session.localEnd) }
    Row(Modifier.padding(top = 8.dp), horizontalArrangement = Arrangement.spacedBy(8.dp)) {
        OutlinedTextField(start, { start = it }, Modifier.weight(1f), label = { Text(stringResource(R.string.org_start)) }, singleLine = true)
        OutlinedTextField(end, { end = it }, Modifier.weight(1f), label = { Text(stringResource(R.string.org_end)) }, singleLine = true)
    }
    TextButton(
        onClick = { model.retimeSession(session.id, start, end); onDone() },
        enabled = start != session.localStart || end != session.localEnd,
    ) { Text(stringResource(R.string.org_set_time)) }
}
