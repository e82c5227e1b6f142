package de.marktplatz.app.ui.components

import androidx.annotation.StringRes
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.LiveRegionMode
import androidx.compose.ui.semantics.liveRegion
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import de.marktplatz.app.R
import de.marktplatz.app.model.Problem
import de.marktplatz.app.model.ProblemKind

/** The sentence for a problem, in the UI language. */
@StringRes
fun ProblemKind.message(): Int = when (this) {
    ProblemKind.OFFLINE -> R.string.problem_offline
    ProblemKind.SERVER -> R.string.problem_server
    ProblemKind.SIGN_IN -> R.string.problem_sign_in
    ProblemKind.ACCESS_CODE -> R.string.problem_access_code
    ProblemKind.ACCESS_CODE_WRONG -> R.string.access_code_wrong
    ProblemKind.CONFLICT -> R.string.problem_conflict
    ProblemKind.NOT_FOUND -> R.string.problem_not_found
    ProblemKind.INVALID_INPUT -> R.string.problem_invalid_input
    ProblemKind.STORAGE_FULL -> R.string.problem_storage_full
    ProblemKind.STORAGE -> R.string.problem_storage
    ProblemKind.PAUSED -> R.string.problem_paused
    ProblemKind.UNEXPECTED -> R.string.problem_unexpected
}

/** A problem: the sentence, and the core's detail in small print (announced by TalkBack). */
@Composable
fun ProblemText(problem: Problem, modifier: Modifier = Modifier) {
    Column(
        modifier.fillMaxWidth().padding(16.dp).semantics { liveRegion = LiveRegionMode.Polite },
        verticalArrangement = Arrangement.spacedBy(4.dp),
    ) {
        Text(stringResource(problem.kind.message()), style = MaterialTheme.typography.bodyLarge, color = MaterialTheme.colorScheme.error)
        if (problem.detail.isNotBlank()) {
            Text(problem.detail, style = MaterialTheme.typography.bodySmall, color = MaterialTheme.colorScheme.onSurfaceVariant)
        }
    }
}

/** What a list shows while it has nothing: loading, a problem, or a friendly empty line. */
@Composable
fun EmptyState(loading: Boolean, problem: Problem?, @StringRes empty: Int, modifier: Modifier = Modifier) {
    when {
        loading -> LoadingIndicator(modifier)
        problem?.kind == ProblemKind.NOT_FOUND -> Hint(stringResource(R.string.no_content_yet), modifier)
        problem != null -> ProblemText(problem, modifier)
        else -> Hint(stringResource(empty), modifier)
    }
}
