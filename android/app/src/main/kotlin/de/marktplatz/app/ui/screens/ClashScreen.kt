package de.marktplatz.app.ui.screens

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.material3.Button
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.ListItem
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.pluralStringResource
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import de.marktplatz.app.R
import de.marktplatz.app.ui.AppNavigator
import de.marktplatz.app.ui.ClashViewModel
import de.marktplatz.app.ui.appViewModel
import de.marktplatz.app.ui.components.EmptyState
import de.marktplatz.app.ui.components.ProblemText
import de.marktplatz.app.ui.components.SectionHeader
import de.marktplatz.app.ui.components.timeAndPlace
import de.marktplatz.app.ui.components.BackTopBar

/** A friend's sessions beside mine: which are mine already, which clash, and "add theirs". */
@Composable
fun ClashScreen(code: String, go: AppNavigator) {
    val model = appViewModel { ClashViewModel(it, code) }.model
    val state by model.state.collectAsStateWithLifecycle()
    Scaffold(
        topBar = {
            BackTopBar(stringResource(R.string.clash_title), go)
        },
    ) { padding ->
        LazyColumn(Modifier.padding(padding).fillMaxSize()) {
            if (state.theirs.isEmpty()) {
                item { EmptyState(state.loading, state.problem, R.string.clash_empty) }
            }
            state.problem?.takeIf { state.theirs.isNotEmpty() }?.let { problem -> item { ProblemText(problem, Modifier.padding(16.dp)) } }
            if (state.unresolved > 0) {
                item {
                    Text(
                        pluralStringResource(R.plurals.clash_unresolved, state.unresolved, state.unresolved),
                        style = MaterialTheme.typography.bodySmall,
                        modifier = Modifier.padding(16.dp),
                    )
                }
            }
            if (state.addable.isNotEmpty()) {
                item {
                    Button(onClick = model::addAllNonClashing, modifier = Modifier.padding(16.dp)) {
                        Text(pluralStringResource(R.plurals.clash_add_all, state.addable.size, state.addable.size))
                    }
                }
            }
            if (state.theirs.isNotEmpty()) item { SectionHeader(stringResource(R.string.clash_theirs_heading)) }
            items(state.theirs, key = { "theirs-" + it.session.id }) { shared ->
                val session = shared.session
                val clashes = shared.clashesWith.mapNotNull { state.myTitles[it] }
                ListItem(
                    overlineContent = { Text(timeAndPlace(session)) },
                    headlineContent = { Text(session.title) },
                    supportingContent = {
                        Column(verticalArrangement = Arrangement.spacedBy(2.dp)) {
                            if (shared.mine) Text(stringResource(R.string.clash_also_mine), color = MaterialTheme.colorScheme.primary)
                            if (clashes.isNotEmpty()) {
                                Text(stringResource(R.string.conflicts_with, clashes.joinToString(", ")), color = MaterialTheme.colorScheme.error)
                            }
                        }
                    },
                    trailingContent = {
                        if (!shared.mine) {
                            val label = stringResource(R.string.clash_add_one, session.title)
                            TextButton(onClick = { model.addTheirs(session.id) }, modifier = Modifier.semantics { contentDescription = label }) {
                                Text(stringResource(R.string.clash_add))
                            }
                        }
                    },
                    modifier = Modifier.semantics(mergeDescendants = true) {},
                )
                HorizontalDivider()
            }
            if (state.mine.isNotEmpty()) item { SectionHeader(stringResource(R.string.clash_mine_heading)) }
            items(state.mine, key = { "mine-" + it.id }) { session ->
                ListItem(
                    overlineContent = { Text(timeAndPlace(session)) },
                    headlineContent = { Text(session.title) },
                    modifier = Modifier.semantics(mergeDescendants = true) {},
                )
                HorizontalDivider()
            }
        }
    }
}

