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
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.outlined.Add
import androidx.compose.material.icons.outlined.ArrowDownward
import androidx.compose.material.icons.outlined.ArrowUpward
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.ExtendedFloatingActionButton
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.LinearProgressIndicator
import androidx.compose.material3.ListItem
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
import androidx.compose.ui.text.style.TextOverflow
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import de.marktplatz.app.R
import de.marktplatz.app.model.EditKind
import de.marktplatz.app.ui.AppNavigator
import de.marktplatz.app.ui.OrganiserViewModel
import de.marktplatz.app.ui.appViewModel
import de.marktplatz.app.ui.components.ProblemText
import de.marktplatz.app.ui.components.BackTopBar

/**
 * The stations, exhibitors, announcements, photos or info pages of the event: tap one to edit
 * it (or retract/remove it); info pages can be added and moved up or down. Sent like every
 * organiser operation.
 */
@Composable
fun OrganiserEditScreen(kind: EditKind, go: AppNavigator) {
    val model = appViewModel { OrganiserViewModel(it) }.model
    val state by model.state.collectAsStateWithLifecycle()
    var adding by rememberSaveable { mutableStateOf(false) }
    val entries = state.entries[kind].orEmpty()
    Scaffold(
        topBar = {
            BackTopBar(stringResource(kindTitle(kind)), go)
        },
        floatingActionButton = {
            if (kind == EditKind.INFO_PAGE) {
                ExtendedFloatingActionButton(
                    onClick = { adding = true },
                    icon = { Icon(Icons.Outlined.Add, contentDescription = null) },
                    text = { Text(stringResource(R.string.org_add_info_page)) },
                )
            }
        },
    ) { padding ->
        LazyColumn(Modifier.padding(padding).fillMaxSize()) {
            if (state.busy) item { LinearProgressIndicator(Modifier.fillMaxWidth()) }
            state.problem?.let { item { ProblemText(it) } }
            if (entries.isEmpty()) item { Text(stringResource(R.string.org_nothing_to_edit), Modifier.padding(16.dp)) }
            items(entries, key = { it.id }) { entry ->
                val index = entries.indexOf(entry)
                ListItem(
                    headlineContent = { Text(entry.label) },
                    supportingContent = {
                        if (entry.detail.isNotBlank()) Text(entry.detail, maxLines = 2, overflow = TextOverflow.Ellipsis)
                    },
                    trailingContent = {
                        // Info pages are read in this order: moved one place at a time.
                        if (kind == EditKind.INFO_PAGE) {
                            Row {
                                IconButton(onClick = { model.moveInfoPage(entry.id, -1) }, enabled = index > 0 && !state.busy) {
                                    Icon(Icons.Outlined.ArrowUpward, contentDescription = stringResource(R.string.org_move_up, entry.label))
                                }
                                IconButton(onClick = { model.moveInfoPage(entry.id, 1) }, enabled = index < entries.lastIndex && !state.busy) {
                                    Icon(Icons.Outlined.ArrowDownward, contentDescription = stringResource(R.string.org_move_down, entry.label))
                                }
                            }
                        }
                    },
                    modifier = Modifier.clickable(onClickLabel = stringResource(R.string.org_edit)) { model.edit(kind, entry.id) },
                )
                HorizontalDivider()
            }
        }
    }
    state.editing?.takeIf { it.kind == kind }?.let { EditFormDialog(it, model, state.entries[EditKind.STATION].orEmpty()) }
    if (adding) {
        NewInfoPageDialog(
            onAdd = { title, body ->
                model.addInfoPage(title, body)
                adding = false
            },
            onDismiss = { adding = false },
        )
    }
}

@Composable
private fun NewInfoPageDialog(onAdd: (String, String) -> Unit, onDismiss: () -> Unit) {
    var title by rememberSaveable { mutableStateOf("") }
    var body by rememberSaveable { mutableStateOf("") }
    AlertDialog(
        onDismissRequest = onDismiss,
        title = { Text(stringResource(R.string.org_add_info_page)) },
        text = {
            Column(verticalArrangement = Arrangement.spacedBy(8.dp)) {
                OutlinedTextField(title, { title = it }, Modifier.fillMaxWidth(), label = { Text(stringResource(R.string.org_field_title)) }, singleLine = true)
                OutlinedTextField(body, { body = it }, Modifier.fillMaxWidth(), label = { Text(stringResource(R.string.org_field_body)) }, minLines = 4)
            }
        },
        confirmButton = { TextButton(onClick = { onAdd(title, body) }, enabled = title.isNotBlank()) { Text(stringResource(R.string.org_save)) } },
        dismissButton = { TextButton(onClick = onDismiss) { Text(stringResource(R.string.close)) } },
    )
}
