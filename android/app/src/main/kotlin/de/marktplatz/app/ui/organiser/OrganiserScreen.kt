package de.marktplatz.app.ui.organiser

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
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.automirrored.filled.ArrowBack
import androidx.compose.material.icons.automirrored.filled.Logout
import androidx.compose.material.icons.outlined.AddAPhoto
import androidx.compose.material.icons.outlined.Campaign
import androidx.compose.material.icons.outlined.EditCalendar
import androidx.compose.material.icons.outlined.EditNote
import androidx.compose.material.icons.outlined.Info
import androidx.compose.material.icons.outlined.Map
import androidx.compose.material.icons.outlined.PhotoLibrary
import androidx.compose.material.icons.outlined.Store
import androidx.compose.material.icons.outlined.Storefront
import androidx.compose.material.icons.outlined.Send
import androidx.compose.material3.AssistChip
import androidx.compose.material3.Button
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.LinearProgressIndicator
import androidx.compose.material3.ListItem
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.material3.TopAppBar
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.vector.ImageVector
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.text.input.PasswordVisualTransformation
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import de.marktplatz.app.R
import de.marktplatz.app.graph
import de.marktplatz.app.model.EditKind
import de.marktplatz.app.model.OrganiserModel
import de.marktplatz.app.model.OrganiserState
import de.marktplatz.app.ui.AppNavigator
import de.marktplatz.app.ui.OrganiserViewModel
import de.marktplatz.app.ui.Routes
import de.marktplatz.app.ui.appViewModel
import de.marktplatz.app.ui.components.ProblemText
import de.marktplatz.app.ui.components.SectionHeader
import de.marktplatz.app.ui.components.dateTime
import de.marktplatz.app.ui.components.uiLocale
import de.marktplatz.core.OpState
import de.marktplatz.core.OutboxEntry
import de.marktplatz.core.PushStop

/** Organiser mode: sign in with a token, then act and watch the outbox. */
@OptIn(ExperimentalMaterial3Api::class)
@Composable
fun OrganiserScreen(go: AppNavigator, openedLink: String? = null) {
    val model = appViewModel { OrganiserViewModel(it) }.model
    val state by model.state.collectAsStateWithLifecycle()
    // Offered once per opened link: not again after a rotation once the organiser said no.
    var linkOffered by rememberSaveable(openedLink) { mutableStateOf(false) }
    LaunchedEffect(openedLink) {
        if (openedLink != null && !linkOffered) {
            linkOffered = true
            model.offerLink(openedLink)
        }
    }
    state.offeredLink?.let { OfferedLinkDialog(it, model::confirmOfferedLink, model::declineOfferedLink) }
    Scaffold(
        topBar = {
            TopAppBar(
                title = { Text(stringResource(R.string.organiser_mode)) },
                navigationIcon = {
                    IconButton(onClick = go::back) {
                        Icon(Icons.AutoMirrored.Filled.ArrowBack, contentDescription = stringResource(R.string.back))
                    }
                },
                actions = {
                    if (state.organiser != null) {
                        IconButton(onClick = model::signOut) {
                            Icon(Icons.AutoMirrored.Filled.Logout, contentDescription = stringResource(R.string.sign_out))
                        }
                    }
                },
            )
        },
    ) { padding ->
        Column(Modifier.padding(padding).fillMaxSize()) {
            if (state.busy) LinearProgressIndicator(Modifier.fillMaxWidth())
            state.problem?.let { ProblemText(it) }
            if (state.organiser == null) SignIn(state, model) else Dashboard(state, model, go)
        }
    }
}

@Composable
private fun SignIn(state: OrganiserState, model: OrganiserModel) {
    val defaultServer = LocalContext.current.graph.event.serverUrl
    var server by rememberSaveable { mutableStateOf(defaultServer) }
    var token by rememberSaveable { mutableStateOf("") }
    Column(Modifier.padding(16.dp).verticalScroll(rememberScrollState()), verticalArrangement = Arrangement.spacedBy(12.dp)) {
        LinkSignIn(state.linkProblem, model::signInWithLink)
        HorizontalDivider()
        Text(stringResource(R.string.sign_in_explained), style = MaterialTheme.typography.bodyLarge)
        OutlinedTextField(
            value = server,
            onValueChange = { server = it },
            label = { Text(stringResource(R.string.server_address)) },
            singleLine = true,
            keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Uri),
            modifier = Modifier.fillMaxWidth(),
        )
        OutlinedTextField(
            value = token,
            onValueChange = { token = it },
            label = { Text(stringResource(R.string.organiser_token)) },
            singleLine = true,
            visualTransformation = PasswordVisualTransformation(),
            keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Password),
            modifier = Modifier.fillMaxWidth(),
        )
        Button(onClick = { model.signIn(token, server) }, enabled = token.isNotBlank() && server.isNotBlank()) {
            Text(stringResource(R.string.sign_in))
        }
    }
}

@Composable
private fun Dashboard(state: OrganiserState, model: OrganiserModel, go: AppNavigator) {
    val titles = state.sessions.associate { it.id to it.title }
    val places = state.locations.associate { it.id to it.name }
    LazyColumn(Modifier.fillMaxSize()) {
        item {
            val organiser = state.organiser
            if (organiser != null) {
                Text(
                    stringResource(R.string.signed_in_as, organiser.tokenId, organiser.serverUrl),
                    Modifier.padding(16.dp),
                    style = MaterialTheme.typography.bodyMedium,
                )
            }
        }
        item { Action(Icons.Outlined.Campaign, R.string.compose_announcement) { go.to(Routes.ORGANISER_ANNOUNCE) } }
        item { Action(Icons.Outlined.EditCalendar, R.string.change_session) { go.to(Routes.ORGANISER_SESSION) } }
        item { Action(Icons.Outlined.AddAPhoto, R.string.add_photo) { go.to(Routes.ORGANISER_PHOTO) } }
        item { Action(Icons.Outlined.Map, R.string.org_hall_plan) { go.to(Routes.ORGANISER_PLAN) } }
        items(editableKinds) { (kind, icon) -> Action(icon, kindTitle(kind)) { go.to(Routes.organiserEdit(kind)) } }
        item {
            Row(Modifier.fillMaxWidth().padding(end = 8.dp)) {
                SectionHeader(stringResource(R.string.outbox), Modifier.weight(1f))
                TextButton(onClick = model::pushNow, enabled = !state.busy) {
                    Icon(Icons.Outlined.Send, contentDescription = null)
                    Text(stringResource(R.string.send_now), Modifier.padding(start = 4.dp))
                }
            }
        }
        state.lastPush?.stopped?.let { stop ->
            item {
                Text(
                    when (stop) {
                        is PushStop.Offline -> stringResource(R.string.push_offline)
                        is PushStop.Unauthorized -> stringResource(R.string.push_unauthorized)
                    },
                    Modifier.padding(horizontal = 16.dp),
                    color = MaterialTheme.colorScheme.error,
                )
            }
        }
        if (state.outbox.isEmpty()) item { Text(stringResource(R.string.outbox_empty), Modifier.padding(16.dp)) }
        items(state.outbox, key = { it.id }) { entry ->
            OutboxRow(entry, titles, places, model)
            HorizontalDivider()
        }
    }
}

/** The lists of things an organiser edits from the dashboard (sessions have their own screen). */
private val editableKinds = listOf(
    EditKind.ANNOUNCEMENT to Icons.Outlined.EditNote,
    EditKind.PHOTO to Icons.Outlined.PhotoLibrary,
    EditKind.STATION to Icons.Outlined.Storefront,
    EditKind.EXHIBITOR to Icons.Outlined.Store,
    EditKind.INFO_PAGE to Icons.Outlined.Info,
)

@Composable
private fun Action(icon: ImageVector, label: Int, onClick: () -> Unit) {
    ListItem(
        headlineContent = { Text(stringResource(label)) },
        leadingContent = { Icon(icon, contentDescription = null) },
        modifier = Modifier.clickableRow(onClick),
    )
}

@Composable
private fun OutboxRow(entry: OutboxEntry, titles: Map<String, String>, places: Map<String, String>, model: OrganiserModel) {
    val locale = uiLocale()
    ListItem(
        overlineContent = { Text(dateTime(entry.createdAt, locale)) },
        headlineContent = { Text(describeOp(entry.op, titles, places)) },
        supportingContent = {
            Column {
                entry.rejection?.let { Text(stringResource(R.string.rejected_because, it.message), color = MaterialTheme.colorScheme.error) }
                entry.lastError?.takeIf { entry.state == OpState.PENDING }?.let { Text(it, style = MaterialTheme.typography.bodySmall) }
                if (entry.state == OpState.REJECTED) {
                    Row {
                        TextButton(onClick = { model.retry(entry.id) }) { Text(stringResource(R.string.retry)) }
                        TextButton(onClick = { model.dismiss(entry.id) }) { Text(stringResource(R.string.dismiss)) }
                    }
                }
            }
        },
        trailingContent = { AssistChip(onClick = {}, label = { Text(stringResource(stateLabel(entry.state))) }) },
    )
}

private fun stateLabel(state: OpState): Int = when (state) {
    OpState.PENDING -> R.string.op_pending
    OpState.IN_FLIGHT -> R.string.op_in_flight
    OpState.ACCEPTED -> R.string.op_accepted
    OpState.REJECTED -> R.string.op_rejected
    OpState.DONE -> R.string.op_done
    OpState.OVERRIDDEN -> R.string.op_overridden
}
