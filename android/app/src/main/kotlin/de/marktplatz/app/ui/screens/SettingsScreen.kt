package de.marktplatz.app.ui.screens

import android.app.AlarmManager
import android.content.Context
import android.content.Intent
import android.net.Uri
import android.os.Build
import android.provider.Settings
import androidx.appcompat.app.AppCompatDelegate
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.selection.selectable
import androidx.compose.foundation.selection.selectableGroup
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.ListItem
import androidx.compose.material3.RadioButton
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.res.pluralStringResource
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.Role
import androidx.core.os.LocaleListCompat
import androidx.lifecycle.Lifecycle
import androidx.lifecycle.compose.LifecycleEventEffect
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import de.marktplatz.app.BuildConfig
import de.marktplatz.app.R
import de.marktplatz.app.ui.AppNavigator
import de.marktplatz.app.ui.SettingsViewModel
import de.marktplatz.app.ui.appViewModel
import de.marktplatz.app.ui.components.AccessCodeDialog
import de.marktplatz.app.ui.components.ProblemText
import de.marktplatz.app.ui.components.SectionHeader
import de.marktplatz.app.ui.components.rememberNotificationPermission
import de.marktplatz.app.ui.components.BackTopBar

/** Reminder lead time (kept by the core), language (the platform's per-app setting), permissions. */
@Composable
fun SettingsScreen(go: AppNavigator) {
    val model = appViewModel { SettingsViewModel(it) }.model
    val state by model.state.collectAsStateWithLifecycle()
    val context = LocalContext.current
    val notifications = rememberNotificationPermission()
    // Both permissions are switched in the system settings: read them again on return.
    var exactAlarmsAllowed by remember { mutableStateOf(canScheduleExactAlarms(context)) }
    LifecycleEventEffect(Lifecycle.Event.ON_RESUME) { exactAlarmsAllowed = canScheduleExactAlarms(context) }
    Scaffold(
        topBar = {
            BackTopBar(stringResource(R.string.settings), go)
        },
    ) { padding ->
        Column(Modifier.padding(padding).fillMaxSize().verticalScroll(rememberScrollState())) {
            SectionHeader(stringResource(R.string.reminders))
            Column(Modifier.selectableGroup()) {
                for (minutes in model.leadChoices) {
                    val label = if (minutes == 0) stringResource(R.string.lead_at_start) else pluralStringResource(R.plurals.lead_minutes, minutes, minutes)
                    ListItem(
                        headlineContent = { Text(label) },
                        leadingContent = { RadioButton(selected = state.reminderLeadMinutes == minutes, onClick = null) },
                        modifier = Modifier.selectable(
                            selected = state.reminderLeadMinutes == minutes,
                            role = Role.RadioButton,
                            onClick = { model.setReminderLeadMinutes(minutes) },
                        ),
                    )
                }
            }
            state.problem?.let { ProblemText(it) }
            if (!notifications.granted && Build.VERSION.SDK_INT >= Build.VERSION_CODES.TIRAMISU) {
                ListItem(
                    headlineContent = { Text(stringResource(R.string.notifications_off)) },
                    trailingContent = {
                        TextButton(onClick = notifications::askByUser) { Text(stringResource(R.string.allow)) }
                    },
                )
            }
            if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.S && !exactAlarmsAllowed) {
                ListItem(
                    headlineContent = { Text(stringResource(R.string.exact_reminders_off)) },
                    trailingContent = {
                        TextButton(onClick = {
                            context.startActivity(Intent(Settings.ACTION_REQUEST_SCHEDULE_EXACT_ALARM, Uri.parse("package:" + context.packageName)))
                        }) { Text(stringResource(R.string.allow)) }
                    },
                )
            }

            SectionHeader(stringResource(R.string.access_code_title))
            var changingCode by remember { mutableStateOf(false) }
            ListItem(
                headlineContent = {
                    Text(stringResource(if (state.hasAccessCode == true) R.string.access_code_stored else R.string.access_code_none))
                },
                trailingContent = {
                    TextButton(onClick = { changingCode = true }) { Text(stringResource(R.string.access_code_change)) }
                },
            )
            if (state.hasAccessCode == true) {
                ListItem(
                    headlineContent = { Text(stringResource(R.string.access_code_forget_hint)) },
                    trailingContent = {
                        TextButton(onClick = { model.changeAccessCode(null) }) { Text(stringResource(R.string.access_code_forget)) }
                    },
                )
            }
            if (changingCode) {
                AccessCodeDialog(
                    wasWrong = false,
                    onSubmit = { code ->
                        model.changeAccessCode(code)
                        changingCode = false
                    },
                    onLater = { changingCode = false },
                )
            }

            SectionHeader(stringResource(R.string.language))
            LanguageChoice()

            SectionHeader(stringResource(R.string.about))
            ListItem(headlineContent = { Text(stringResource(R.string.version, BuildConfig.VERSION_NAME)) })
        }
    }
}

/** System language, Deutsch or English; AppCompat stores the choice (and Android 13+ shows it in system settings). */
@Composable
private fun LanguageChoice() {
    var current by remember { mutableStateOf(AppCompatDelegate.getApplicationLocales().toLanguageTags()) }
    val choices = listOf("" to stringResource(R.string.language_system), "de" to "Deutsch", "en" to "English")
    Column(Modifier.selectableGroup()) {
        for ((tag, label) in choices) {
            val selected = current.substringBefore('-').substringBefore(',') == tag
            ListItem(
                headlineContent = { Text(label) },
                leadingContent = { RadioButton(selected = selected, onClick = null) },
                modifier = Modifier.selectable(selected = selected, role = Role.RadioButton, onClick = {
                    current = tag
                    AppCompatDelegate.setApplicationLocales(LocaleListCompat.forLanguageTags(tag))
                }),
            )
        }
    }
}

/** Exact reminders need the user's consent from Android 12 on (Settings › Alarms & reminders). */
private fun canScheduleExactAlarms(context: Context): Boolean =
    Build.VERSION.SDK_INT < Build.VERSION_CODES.S || context.getSystemService(AlarmManager::class.java).canScheduleExactAlarms()
