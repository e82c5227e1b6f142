package de.marktplatz.app.ui.organiser

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.outlined.QrCodeScanner
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.Icon
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
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
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.unit.dp
import de.marktplatz.app.R
import de.marktplatz.app.model.LinkProblem
import de.marktplatz.app.model.OrganiserLink
import de.marktplatz.app.ui.components.QrScanner

/** Sign in with the QR code the organiser console shows, or with its link pasted. */
@Composable
fun LinkSignIn(problem: LinkProblem?, onLink: (String) -> Unit) {
    var scanning by rememberSaveable { mutableStateOf(false) }
    var pasted by rememberSaveable { mutableStateOf("") }
    Column(verticalArrangement = Arrangement.spacedBy(12.dp)) {
        Text(stringResource(R.string.org_link_explained), style = MaterialTheme.typography.bodyLarge)
        OutlinedButton(onClick = { scanning = !scanning }, modifier = Modifier.fillMaxWidth()) {
            Icon(Icons.Outlined.QrCodeScanner, contentDescription = null)
            Text(stringResource(if (scanning) R.string.org_stop_scanning else R.string.org_scan_code), Modifier.padding(start = 8.dp))
        }
        if (scanning) {
            QrScanner(onCode = { code ->
                scanning = false
                onLink(code)
            })
        }
        OutlinedTextField(
            value = pasted,
            onValueChange = { pasted = it },
            label = { Text(stringResource(R.string.org_paste_link)) },
            singleLine = true,
            keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Uri),
            modifier = Modifier.fillMaxWidth(),
        )
        OutlinedButton(onClick = { onLink(pasted) }, enabled = pasted.isNotBlank(), modifier = Modifier.fillMaxWidth()) {
            Text(stringResource(R.string.org_sign_in_with_link))
        }
        problem?.let { Text(stringResource(linkProblemText(it)), color = MaterialTheme.colorScheme.error) }
    }
}

private fun linkProblemText(problem: LinkProblem): Int = when (problem) {
    LinkProblem.NOT_A_SIGN_IN_LINK -> R.string.org_link_not_sign_in
    LinkProblem.INCOMPLETE -> R.string.org_link_incomplete
    LinkProblem.SERVER_NOT_WEB -> R.string.org_link_server_not_web
    LinkProblem.OTHER_EVENT -> R.string.org_link_other_event
}

/** A sign-in link opened from another app or a web page: used only when the organiser says yes. */
@Composable
fun OfferedLinkDialog(link: OrganiserLink, onConfirm: () -> Unit, onDecline: () -> Unit) {
    AlertDialog(
        onDismissRequest = onDecline,
        title = { Text(stringResource(R.string.org_offered_link_title)) },
        text = { Text(stringResource(R.string.org_offered_link_text, link.eventId, link.serverUrl)) },
        confirmButton = { TextButton(onClick = onConfirm) { Text(stringResource(R.string.sign_in)) } },
        dismissButton = { TextButton(onClick = onDecline) { Text(stringResource(R.string.close)) } },
    )
}
