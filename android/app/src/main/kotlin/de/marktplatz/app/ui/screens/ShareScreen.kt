package de.marktplatz.app.ui.screens

import android.content.ClipData
import android.content.ClipboardManager
import android.content.Context
import android.content.Intent
import android.widget.Toast
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.text.selection.SelectionContainer
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import de.marktplatz.app.R
import de.marktplatz.app.ui.AppNavigator
import de.marktplatz.app.ui.ShareViewModel
import de.marktplatz.app.ui.appViewModel
import de.marktplatz.app.ui.components.EmptyState
import de.marktplatz.app.ui.components.ProblemText
import de.marktplatz.app.ui.components.QrCodeImage
import de.marktplatz.app.ui.components.QrScanner
import de.marktplatz.app.ui.components.SectionHeader
import de.marktplatz.app.ui.components.startActivityOrExplain
import de.marktplatz.app.ui.components.BackTopBar

/** My favourites as a QR code and text; a friend's code scanned or pasted opens the clash view. */
@Composable
fun ShareScreen(go: AppNavigator) {
    val model = appViewModel { ShareViewModel(it) }.model
    val state by model.state.collectAsStateWithLifecycle()
    val context = LocalContext.current
    var pasted by rememberSaveable { mutableStateOf("") }
    var scanning by rememberSaveable { mutableStateOf(false) }
    LaunchedEffect(state.friendCode) {
        val code = state.friendCode ?: return@LaunchedEffect
        model.friendOpened()
        scanning = false
        go.clash(code)
    }
    Scaffold(
        topBar = {
            BackTopBar(stringResource(R.string.share_title), go)
        },
    ) { padding ->
        Column(
            Modifier.padding(padding).fillMaxSize().verticalScroll(rememberScrollState()).padding(bottom = 16.dp),
            horizontalAlignment = Alignment.CenterHorizontally,
        ) {
            SectionHeader(stringResource(R.string.share_mine_heading), Modifier.fillMaxWidth())
            val code = state.code
            if (code == null) {
                EmptyState(state.loading, state.problem, R.string.share_unavailable)
            } else {
                QrCodeImage(code, stringResource(R.string.share_qr_description))
                SelectionContainer {
                    Text(code, style = MaterialTheme.typography.titleMedium, modifier = Modifier.padding(16.dp))
                }
                Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                    OutlinedButton(onClick = { copyCode(context, code) }) { Text(stringResource(R.string.share_copy)) }
                    Button(onClick = { sendCode(context, code) }) { Text(stringResource(R.string.share_send)) }
                }
            }

            SectionHeader(stringResource(R.string.share_friend_heading), Modifier.fillMaxWidth())
            Column(Modifier.fillMaxWidth().padding(horizontal = 16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                if (scanning) {
                    QrScanner(onCode = model::read)
                } else {
                    OutlinedButton(onClick = { scanning = true }) { Text(stringResource(R.string.share_scan)) }
                }
                OutlinedTextField(
                    value = pasted,
                    onValueChange = { pasted = it },
                    label = { Text(stringResource(R.string.share_paste_label)) },
                    modifier = Modifier.fillMaxWidth(),
                )
                Button(onClick = { model.read(pasted) }, enabled = pasted.isNotBlank()) { Text(stringResource(R.string.share_read)) }
                state.readProblem?.let { ProblemText(it) }
            }
        }
    }
}

private fun copyCode(context: Context, code: String) {
    val clipboard = context.getSystemService(ClipboardManager::class.java)
    clipboard.setPrimaryClip(ClipData.newPlainText(context.getString(R.string.share_title), code))
    Toast.makeText(context, R.string.share_copied, Toast.LENGTH_SHORT).show()
}

/** The system share sheet with the code in a short sentence (a chat, a mail, a note). */
private fun sendCode(context: Context, code: String) {
    val send = Intent(Intent.ACTION_SEND)
        .setType("text/plain")
        .putExtra(Intent.EXTRA_TEXT, context.getString(R.string.share_send_text, code))
    context.startActivityOrExplain(Intent.createChooser(send, context.getString(R.string.share_send)))
}
