package de.marktplatz.app.ui.screens

import androidx.compose.foundation.clickable
import androidx.compose.foundation.horizontalScroll
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.outlined.Clear
import androidx.compose.material.icons.outlined.Search
import androidx.compose.material3.FilterChip
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.LinearProgressIndicator
import androidx.compose.material3.ListItem
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.remember
import androidx.compose.ui.Modifier
import androidx.compose.ui.focus.FocusRequester
import androidx.compose.ui.focus.focusRequester
import androidx.compose.ui.res.pluralStringResource
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.LiveRegionMode
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.liveRegion
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.input.ImeAction
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import de.marktplatz.app.R
import de.marktplatz.app.model.SearchResult
import de.marktplatz.app.ui.AppNavigator
import de.marktplatz.app.ui.SearchViewModel
import de.marktplatz.app.ui.appViewModel
import de.marktplatz.app.ui.components.HighlightedText
import de.marktplatz.app.ui.components.Hint
import de.marktplatz.app.ui.components.dayLabel
import de.marktplatz.app.ui.components.dayLong
import de.marktplatz.app.ui.components.uiLocale
import de.marktplatz.app.ui.components.ProblemText
import de.marktplatz.core.EntityKind
import de.marktplatz.core.WhenAndWhere

/** Search as you type over sessions, speakers, exhibitors and places, matches highlighted. */
@Composable
fun SearchScreen(go: AppNavigator) {
    val model = appViewModel { SearchViewModel(it) }.model
    val state by model.state.collectAsStateWithLifecycle()
    val focus = remember { FocusRequester() }
    LaunchedEffect(Unit) { focus.requestFocus() }
    Scaffold { padding ->
        Column(Modifier.padding(padding).fillMaxSize()) {
            OutlinedTextField(
                value = state.text,
                onValueChange = model::onTextChange,
                modifier = Modifier.fillMaxWidth().padding(12.dp).focusRequester(focus),
                placeholder = { Text(stringResource(R.string.search_hint)) },
                leadingIcon = { Icon(Icons.Outlined.Search, contentDescription = null) },
                trailingIcon = {
                    if (state.text.isNotEmpty()) {
                        IconButton(onClick = { model.onTextChange("") }) {
                            Icon(Icons.Outlined.Clear, contentDescription = stringResource(R.string.search_clear))
                        }
                    }
                },
                singleLine = true,
                keyboardOptions = KeyboardOptions(imeAction = ImeAction.Search),
            )
            Row(
                Modifier.horizontalScroll(rememberScrollState()).padding(horizontal = 12.dp),
                horizontalArrangement = Arrangement.spacedBy(8.dp),
            ) {
                FilterChip(selected = state.kind == null, onClick = { model.onKindChange(null) }, label = { Text(stringResource(R.string.kind_all)) })
                for (kind in model.kinds) {
                    FilterChip(selected = state.kind == kind, onClick = { model.onKindChange(kind) }, label = { Text(stringResource(kindLabel(kind))) })
                }
            }
            if (state.searching) LinearProgressIndicator(Modifier.fillMaxWidth().padding(top = 8.dp))
            val count = pluralStringResource(R.plurals.search_results, state.results.size, state.results.size)
            LazyColumn(Modifier.fillMaxSize().semantics { liveRegion = LiveRegionMode.Polite; contentDescription = count }) {
                state.problem?.let { problem -> item { ProblemText(problem) } }
                if (state.text.isNotBlank() && !state.searching && state.results.isEmpty() && state.problem == null) {
                    item { Hint(stringResource(R.string.search_nothing, state.text)) }
                }
                items(state.results, key = { it.hit.kind.name + it.hit.id }) { result ->
                    ResultRow(result) { open(go, result) }
                    HorizontalDivider()
                }
            }
        }
    }
}

@Composable
private fun ResultRow(result: SearchResult, onOpen: () -> Unit) {
    val hit = result.hit
    ListItem(
        overlineContent = { Text(stringResource(kindLabel(hit.kind))) },
        headlineContent = { HighlightedText(result.title, MaterialTheme.typography.titleMedium, maxLines = 2) },
        supportingContent = {
            Column {
                hit.whenAndWhere?.let { WhenAndWhereLine(it) }
                if (result.context.text.isNotBlank()) HighlightedText(result.context, MaterialTheme.typography.bodyMedium, maxLines = 2)
            }
        },
        // The clickable row merges its texts, so screen readers hear the spoken when and where.
        modifier = Modifier.clickable(onClick = onOpen),
    )
}

/** "Mon, 1 Feb · 11:00–11:30 · Forum", read aloud as "Monday, 1 February 2027, 11:00 to 11:30, Forum". */
@Composable
private fun WhenAndWhereLine(whenAndWhere: WhenAndWhere) {
    val locale = uiLocale()
    val start = whenAndWhere.localStart
    val end = whenAndWhere.localEnd
    val place = whenAndWhere.place
    val shown = if (place != null) {
        stringResource(R.string.search_when_where, dayLabel(whenAndWhere.day, locale), start, end, place)
    } else {
        stringResource(R.string.search_when, dayLabel(whenAndWhere.day, locale), start, end)
    }
    val spoken = if (place != null) {
        stringResource(R.string.search_when_where_spoken, dayLong(whenAndWhere.day, locale), start, end, place)
    } else {
        stringResource(R.string.search_when_spoken, dayLong(whenAndWhere.day, locale), start, end)
    }
    Text(
        shown,
        style = MaterialTheme.typography.labelLarge,
        color = MaterialTheme.colorScheme.primary,
        modifier = Modifier.semantics { contentDescription = spoken },
    )
}

private fun open(go: AppNavigator, result: SearchResult) {
    val id = result.hit.id
    when (result.hit.kind) {
        EntityKind.SESSION -> go.session(id)
        EntityKind.SPEAKER -> go.speaker(id)
        EntityKind.EXHIBITOR -> go.exhibitor(id)
        EntityKind.LOCATION -> go.station(id)
        else -> {}
    }
}

private fun kindLabel(kind: EntityKind): Int = when (kind) {
    EntityKind.SESSION -> R.string.kind_session
    EntityKind.SPEAKER -> R.string.kind_speaker
    EntityKind.EXHIBITOR -> R.string.kind_exhibitor
    EntityKind.LOCATION -> R.string.kind_location
    EntityKind.TRACK -> R.string.kind_track
    EntityKind.ANNOUNCEMENT -> R.string.kind_announcement
    EntityKind.INFO_PAGE -> R.string.kind_info
    else -> R.string.kind_all
}
