package de.marktplatz.app.ui.organiser

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Scaffold
import androidx.compose.material3.SegmentedButton
import androidx.compose.material3.SegmentedButtonDefaults
import androidx.compose.material3.SingleChoiceSegmentedButtonRow
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableIntStateOf
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import de.marktplatz.app.R
import de.marktplatz.app.ui.AppNavigator
import de.marktplatz.app.ui.OrganiserViewModel
import de.marktplatz.app.ui.appViewModel
import de.marktplatz.app.ui.components.ProblemText
import de.marktplatz.app.ui.components.SectionHeader
import de.marktplatz.app.ui.components.BackTopBar
import de.marktplatz.core.Priority
import java.time.Duration

private val priorities = listOf(Priority.NORMAL to R.string.priority_normal, Priority.IMPORTANT to R.string.priority_important, Priority.URGENT to R.string.priority_urgent)
private val expiries = listOf<Pair<Duration?, Int>>(null to R.string.expires_never, Duration.ofHours(1) to R.string.expires_1h, Duration.ofHours(4) to R.string.expires_4h, Duration.ofDays(1) to R.string.expires_1d)

/** A new announcement: shown on this phone at once, sent now or when online. */
@OptIn(ExperimentalMaterial3Api::class)
@Composable
fun ComposeAnnouncementScreen(go: AppNavigator) {
    val model = appViewModel { OrganiserViewModel(it) }.model
    val state by model.state.collectAsStateWithLifecycle()
    var title by rememberSaveable { mutableStateOf("") }
    var body by rememberSaveable { mutableStateOf("") }
    var priority by rememberSaveable { mutableIntStateOf(0) }
    var expiry by rememberSaveable { mutableIntStateOf(0) }
    Scaffold(
        topBar = {
            BackTopBar(stringResource(R.string.compose_announcement), go)
        },
    ) { padding ->
        Column(
            Modifier.padding(padding).fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp),
            verticalArrangement = Arrangement.spacedBy(12.dp),
        ) {
            OutlinedTextField(title, { title = it }, Modifier.fillMaxWidth(), label = { Text(stringResource(R.string.announcement_title)) }, singleLine = true)
            OutlinedTextField(body, { body = it }, Modifier.fillMaxWidth(), label = { Text(stringResource(R.string.announcement_body)) }, minLines = 4)
            SectionHeader(stringResource(R.string.priority))
            SingleChoiceSegmentedButtonRow(Modifier.fillMaxWidth()) {
                priorities.forEachIndexed { index, (_, label) ->
                    SegmentedButton(
                        selected = priority == index,
                        onClick = { priority = index },
                        shape = SegmentedButtonDefaults.itemShape(index, priorities.size),
                    ) { Text(stringResource(label)) }
                }
            }
            SectionHeader(stringResource(R.string.expires))
            SingleChoiceSegmentedButtonRow(Modifier.fillMaxWidth()) {
                expiries.forEachIndexed { index, (_, label) ->
                    SegmentedButton(
                        selected = expiry == index,
                        onClick = { expiry = index },
                        shape = SegmentedButtonDefaults.itemShape(index, expiries.size),
                    ) { Text(stringResource(label)) }
                }
            }
            state.problem?.let { ProblemText(it) }
            Button(
                onClick = {
                    model.announce(title, body, priorities[priority].first, expiries[expiry].first)
                    go.back()
                },
                enabled = title.isNotBlank() && !state.busy,
                modifier = Modifier.fillMaxWidth(),
            ) { Text(stringResource(R.string.publish)) }
            Text(stringResource(R.string.publish_explained), style = MaterialTheme.typography.bodySmall)
        }
    }
}
