package de.marktplatz.app.ui.components

import androidx.compose.foundation.layout.Column
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import de.marktplatz.app.R

/** My note on a favourite session [title] (if any) and a button to write or edit it. */
@Composable
fun FavouriteNote(title: String, note: String?, onSave: (String) -> Unit, modifier: Modifier = Modifier) {
    var editing by rememberSaveable { mutableStateOf(false) }
    Column(modifier) {
        note?.let { Text(stringResource(R.string.note_shown, it), style = MaterialTheme.typography.bodySmall) }
        val action = stringResource(if (note == null) R.string.note_add else R.string.note_edit)
        val described = stringResource(R.string.note_title, title)
        TextButton(onClick = { editing = true }, modifier = Modifier.semantics { contentDescription = "$action: $described" }) {
            Text(action)
        }
    }
    if (editing) NoteDialog(title, note, onSave) { editing = false }
}

/** Writes or edits my note on a favourite session [title]; saving an empty field clears it. */
@Composable
fun NoteDialog(title: String, note: String?, onSave: (String) -> Unit, onDismiss: () -> Unit) {
    var text by rememberSaveable { mutableStateOf(note.orEmpty()) }
    AlertDialog(
        onDismissRequest = onDismiss,
        title = { Text(stringResource(R.string.note_title, title)) },
        text = {
            OutlinedTextField(
                value = text,
                onValueChange = { text = it },
                label = { Text(stringResource(R.string.note_label)) },
                minLines = 3,
            )
        },
        confirmButton = {
            TextButton(onClick = {
                onSave(text)
                onDismiss()
            }) { Text(stringResource(R.string.note_save)) }
        },
        dismissButton = { TextButton(onClick = onDismiss) { Text(stringResource(R.string.note_cancel)) } },
    )
}
