package de.marktplatz.app.ui.components

import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Spacer
import androidx.compose.foundation.layout.height
import androidx.compose.foundation.text.KeyboardActions
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.text.input.ImeAction
import androidx.compose.ui.text.input.KeyboardCapitalization
import androidx.compose.ui.unit.dp
import de.marktplatz.app.R

/**
 * Asks for the event's access code when a sync was refused without one. Shown over the app
 * because without the code there is nothing to show; "Later" keeps what is stored.
 * [wasWrong]: a code was sent and refused (the organisers may have changed it).
 */
@Composable
fun AccessCodeDialog(wasWrong: Boolean, onSubmit: (String) -> Unit, onLater: () -> Unit) {
    var code by rememberSaveable { mutableStateOf("") }
    val submit = { if (code.isNotBlank()) onSubmit(code.trim()) }
    AlertDialog(
        onDismissRequest = onLater,
        title = { Text(stringResource(R.string.access_code_title)) },
        text = {
            Column {
                Text(stringResource(if (wasWrong) R.string.access_code_wrong else R.string.problem_access_code))
                Spacer(Modifier.height(12.dp))
                OutlinedTextField(
                    value = code,
                    onValueChange = { code = it.take(64) },
                    label = { Text(stringResource(R.string.access_code_hint)) },
                    singleLine = true,
                    keyboardOptions = KeyboardOptions(capitalization = KeyboardCapitalization.None, imeAction = ImeAction.Go),
                    keyboardActions = KeyboardActions(onGo = { submit() }),
                )
            }
        },
        confirmButton = {
            TextButton(onClick = submit, enabled = code.isNotBlank()) { Text(stringResource(R.string.access_code_submit)) }
        },
        dismissButton = { TextButton(onClick = onLater) { Text(stringResource(R.string.access_code_later)) } },
    )
}
