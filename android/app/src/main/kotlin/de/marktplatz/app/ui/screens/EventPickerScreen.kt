package de.marktplatz.app.ui.screens

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.foundation.selection.selectable
import androidx.compose.foundation.selection.selectableGroup
import androidx.compose.foundation.text.KeyboardActions
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.material3.Button
import androidx.compose.material3.ListItem
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.RadioButton
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.text.input.ImeAction
import androidx.compose.ui.text.input.KeyboardCapitalization
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import de.marktplatz.app.R
import de.marktplatz.app.ui.AppNavigator
import de.marktplatz.app.ui.EventPickerViewModel
import de.marktplatz.app.ui.appViewModel
import de.marktplatz.app.ui.components.BackTopBar
import de.marktplatz.app.ui.components.LoadingIndicator
import de.marktplatz.app.ui.components.ProblemText
import de.marktplatz.app.ui.components.SectionHeader
import de.marktplatz.app.ui.components.relativeTime
import java.time.LocalDate
import java.time.format.DateTimeFormatter
import java.time.format.FormatStyle

/** The events on this phone (pick one to show), the server's others, and one to add by its id. */
@Composable
fun EventPickerScreen(go: AppNavigator) {
    val model = appViewModel { EventPickerViewModel(it) }.model
    val state by model.state.collectAsStateWithLifecycle()
    var newId by rememberSaveable { mutableStateOf("") }
    val add = { if (newId.isNotBlank() && state.adding == null) model.add(newId) }
    Scaffold(topBar = { BackTopBar(stringResource(R.string.events), go) }) { padding ->
        LazyColumn(Modifier.padding(padding).fillMaxSize().selectableGroup()) {
            item { SectionHeader(stringResource(R.string.events_on_device)) }
            items(state.events, key = { it.id }) { summary ->
                val selected = summary.id == state.current
                val synced = summary.lastSyncedAt
                ListItem(
                    headlineContent = { Text(summary.title) },
                    supportingContent = {
                        Text(if (synced == null) stringResource(R.string.sync_never) else stringResource(R.string.sync_updated, relativeTime(synced)))
                    },
                    leadingContent = { RadioButton(selected = selected, onClick = null) },
                    modifier = Modifier.selectable(selected = selected, role = Role.RadioButton, onClick = { model.choose(summary.id) }),
                )
            }
            item { SectionHeader(stringResource(R.string.events_on_server)) }
            items(state.offered, key = { "server:" + it.id }) { listed ->
                ListItem(
                    headlineContent = { Text(listed.title) },
                    supportingContent = { eventDays(listed.firstDay, listed.lastDay)?.let { Text(it) } },
                    trailingContent = {
                        TextButton(onClick = { model.add(listed.id) }, enabled = state.adding == null) {
                            Text(stringResource(R.string.events_add_button))
                        }
                    },
                )
            }
            item {
                Column(Modifier.padding(horizontal = 16.dp)) {
                    state.serverProblem?.let { problem ->
                        ProblemText(problem)
                        TextButton(onClick = { model.refreshServerEvents() }) { Text(stringResource(R.string.retry)) }
                    }
                    if (state.serverListed && state.serverProblem == null && state.offered.isEmpty()) Text(stringResource(R.string.events_server_none))
                }
            }
            item { SectionHeader(stringResource(R.string.events_add)) }
            item {
                Column(Modifier.padding(horizontal = 16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                    Text(stringResource(R.string.events_add_hint))
                    Row(verticalAlignment = Alignment.CenterVertically, horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                        OutlinedTextField(
                            value = newId,
                            onValueChange = { newId = it.take(128) },
                            label = { Text(stringResource(R.string.events_id)) },
                            singleLine = true,
                            keyboardOptions = KeyboardOptions(capitalization = KeyboardCapitalization.None, imeAction = ImeAction.Go),
                            keyboardActions = KeyboardActions(onGo = { add() }),
                            modifier = Modifier.weight(1f),
                        )
                        Button(onClick = add, enabled = newId.isNotBlank() && state.adding == null) { Text(stringResource(R.string.events_add_button)) }
                    }
                    if (state.adding != null) LoadingIndicator()
                    state.problem?.let { ProblemText(it) }
                }
            }
        }
    }
}

/** "4 Mar 2027" or "4 Mar 2027 – 5 Mar 2027" in the user's locale; null without days. */
private fun eventDays(first: LocalDate?, last: LocalDate?): String? {
    val format = DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM)
    return when {
        first == null -> null
        last == null || last == first -> format.format(first)
        else -> format.format(first) + " – " + format.format(last)
    }
}
