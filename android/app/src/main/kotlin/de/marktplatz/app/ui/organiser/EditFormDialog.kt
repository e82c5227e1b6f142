package de.marktplatz.app.ui.organiser

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.selection.selectable
import androidx.compose.foundation.selection.selectableGroup
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.foundation.verticalScroll
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.outlined.Delete
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.Icon
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.RadioButton
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateMapOf
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.unit.dp
import de.marktplatz.app.R
import de.marktplatz.app.model.EditEntry
import de.marktplatz.app.model.EditField
import de.marktplatz.app.model.EditKind
import de.marktplatz.app.model.Editable
import de.marktplatz.app.model.OrganiserModel
import de.marktplatz.app.model.expiryAfter
import de.marktplatz.app.ui.components.dateTime
import de.marktplatz.app.ui.components.uiLocale
import de.marktplatz.core.Priority
import java.time.Duration
import java.time.Instant

private val longFields = setOf(EditField.ABSTRACT, EditField.BODY, EditField.DESCRIPTION)

/**
 * The open form: one field per thing the core lets an organiser change (typed, or picked from
 * [stations], the priorities or expiry times), then save or remove.
 */
@Composable
fun EditFormDialog(form: Editable, model: OrganiserModel, stations: List<EditEntry>) {
    val values = remember(form) { mutableStateMapOf<EditField, String>().apply { putAll(form.values) } }
    var removing by remember(form) { mutableStateOf(false) }
    AlertDialog(
        onDismissRequest = model::closeForm,
        title = { Text(form.label) },
        text = {
            Column(Modifier.verticalScroll(rememberScrollState()), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                for (field in form.fields) {
                    if (field.picked) {
                        Choices(field, values[field].orEmpty(), choicesFor(field, form.values[field].orEmpty(), stations)) { values[field] = it }
                        continue
                    }
                    OutlinedTextField(
                        value = values[field].orEmpty(),
                        onValueChange = { values[field] = it },
                        label = { Text(stringResource(fieldLabel(field))) },
                        singleLine = field !in longFields,
                        minLines = if (field in longFields) 3 else 1,
                        keyboardOptions = KeyboardOptions(keyboardType = keyboardFor(field)),
                        modifier = Modifier.fillMaxWidth(),
                    )
                }
                if (form.removable) {
                    if (removing) Text(stringResource(R.string.org_confirm_remove), color = MaterialTheme.colorScheme.error)
                    TextButton(onClick = { if (removing) model.remove(form.kind, form.id) else removing = true }) {
                        Icon(Icons.Outlined.Delete, contentDescription = null)
                        Text(stringResource(removeLabel(form.kind)), Modifier.padding(start = 8.dp))
                    }
                }
            }
        },
        confirmButton = { TextButton(onClick = { model.save(values.toMap()) }) { Text(stringResource(R.string.org_save)) } },
        dismissButton = { TextButton(onClick = model::closeForm) { Text(stringResource(R.string.close)) } },
    )
}

/** A picked field: one radio row per choice (value, label). */
@Composable
private fun Choices(field: EditField, selected: String, choices: List<Pair<String, String>>, onPick: (String) -> Unit) {
    Column(Modifier.selectableGroup()) {
        Text(stringResource(fieldLabel(field)), style = MaterialTheme.typography.labelLarge)
        for ((value, label) in choices) {
            Row(
                Modifier.fillMaxWidth().selectable(value == selected, role = Role.RadioButton) { onPick(value) }.padding(vertical = 4.dp),
                verticalAlignment = Alignment.CenterVertically,
            ) {
                RadioButton(selected = value == selected, onClick = null)
                Text(label, Modifier.padding(start = 8.dp))
            }
        }
    }
}

/** The choices of a picked field: stations by name, priorities, or the expiry as now or from now on. */
@Composable
private fun choicesFor(field: EditField, current: String, stations: List<EditEntry>): List<Pair<String, String>> = when (field) {
    EditField.STATION -> listOfNotNull(("" to stringResource(R.string.org_no_station)).takeIf { current.isEmpty() }) +
        stations.map { it.id to it.label }
    EditField.PRIORITY -> listOf(
        Priority.NORMAL.name to stringResource(R.string.priority_normal),
        Priority.IMPORTANT.name to stringResource(R.string.priority_important),
        Priority.URGENT.name to stringResource(R.string.priority_urgent),
    )
    EditField.EXPIRES -> {
        val now = remember { Instant.now() }
        val locale = uiLocale()
        val asIs = if (current.isEmpty()) stringResource(R.string.expires_never) else dateTime(Instant.parse(current), locale)
        listOf(current to stringResource(R.string.org_expires_as_is, asIs)) + listOf(
            Duration.ofHours(1) to R.string.expires_1h,
            Duration.ofHours(4) to R.string.expires_4h,
            Duration.ofDays(1) to R.string.expires_1d,
        ).map { (after, label) -> expiryAfter(now, after) to stringResource(label) }
    }
    else -> emptyList()
}

private fun keyboardFor(field: EditField): KeyboardType = when (field) {
    EditField.WEBSITE -> KeyboardType.Uri
    EditField.EMAIL -> KeyboardType.Email
    EditField.PHONE -> KeyboardType.Phone
    else -> KeyboardType.Text
}

private fun fieldLabel(field: EditField): Int = when (field) {
    EditField.TITLE -> R.string.org_field_title
    EditField.SUBTITLE -> R.string.org_field_subtitle
    EditField.NAME -> R.string.org_field_name
    EditField.ABSTRACT -> R.string.org_field_abstract
    EditField.BODY -> R.string.org_field_body
    EditField.DESCRIPTION -> R.string.org_field_description
    EditField.WEBSITE -> R.string.org_field_website
    EditField.EMAIL -> R.string.org_field_email
    EditField.PHONE -> R.string.org_field_phone
    EditField.CAPTION -> R.string.org_field_caption
    EditField.CREDIT -> R.string.org_field_credit
    EditField.STATION -> R.string.org_field_station
    EditField.TOPICS -> R.string.org_field_topics
    EditField.PRIORITY -> R.string.org_field_priority
    EditField.EXPIRES -> R.string.org_field_expires
}

private fun removeLabel(kind: EditKind): Int = when (kind) {
    EditKind.ANNOUNCEMENT -> R.string.org_remove_announcement
    EditKind.PHOTO -> R.string.org_remove_photo
    else -> R.string.org_remove_info_page
}

/** The title of the list of things of [kind] to edit (sessions have their own screen). */
fun kindTitle(kind: EditKind): Int = when (kind) {
    EditKind.SESSION -> R.string.change_session
    EditKind.STATION -> R.string.org_kind_stations
    EditKind.EXHIBITOR -> R.string.org_kind_exhibitors
    EditKind.ANNOUNCEMENT -> R.string.org_kind_announcements
    EditKind.PHOTO -> R.string.org_kind_photos
    EditKind.INFO_PAGE -> R.string.org_kind_info_pages
}
