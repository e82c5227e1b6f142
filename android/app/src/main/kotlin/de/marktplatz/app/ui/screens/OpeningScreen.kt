package de.marktplatz.app.ui.screens

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.safeDrawingPadding
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Surface
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.heading
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import de.marktplatz.app.R
import de.marktplatz.app.model.OpenState
import de.marktplatz.app.ui.components.LoadingIndicator
import de.marktplatz.app.ui.components.ProblemText

/** Draws [content] once the store is open; before, a spinner; if it cannot be opened, why. */
@Composable
fun <T> OpeningScreen(state: OpenState<T>, content: @Composable (T) -> Unit) {
    when (state) {
        is OpenState.Open -> content(state.value)
        OpenState.Opening -> Surface(Modifier.fillMaxSize()) { LoadingIndicator(Modifier.safeDrawingPadding()) }
        is OpenState.Failed -> Surface(Modifier.fillMaxSize()) {
            Column(Modifier.safeDrawingPadding().padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                Text(
                    stringResource(R.string.store_open_failed),
                    Modifier.padding(horizontal = 16.dp).semantics { heading() },
                    style = MaterialTheme.typography.titleLarge,
                )
                ProblemText(state.problem)
            }
        }
    }
}
