package de.marktplatz.app.ui.screens

import android.content.Intent
import android.net.Uri
import androidx.annotation.StringRes
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import de.marktplatz.app.R
import de.marktplatz.app.model.KnownGap
import de.marktplatz.app.ui.AccessibilityStatementViewModel
import de.marktplatz.app.ui.AppNavigator
import de.marktplatz.app.ui.appViewModel
import de.marktplatz.app.ui.components.BackTopBar
import de.marktplatz.app.ui.components.EmptyState
import de.marktplatz.app.ui.components.ProblemText
import de.marktplatz.app.ui.components.SectionHeader
import de.marktplatz.app.ui.components.dayLong
import de.marktplatz.app.ui.components.openLink
import de.marktplatz.app.ui.components.startActivityOrExplain
import de.marktplatz.app.ui.components.uiLocale

/** "Erklärung zur Barrierefreiheit" (BITV 2.0 § 7): status, known gaps, feedback, conciliation. */
@Composable
fun AccessibilityStatementScreen(go: AppNavigator) {
    val model = appViewModel { AccessibilityStatementViewModel(it) }.model
    val state by model.state.collectAsStateWithLifecycle()
    val context = LocalContext.current
    val locale = uiLocale()
    Scaffold(topBar = { BackTopBar(stringResource(R.string.accessibility_statement), go) }) { padding ->
        val statement = state.statement
        if (statement == null) {
            EmptyState(state.loading, state.problem, R.string.accessibility_statement, Modifier.padding(padding))
            return@Scaffold
        }
        Column(
            Modifier.padding(padding).fillMaxSize().verticalScroll(rememberScrollState()).padding(horizontal = 16.dp),
            verticalArrangement = Arrangement.spacedBy(8.dp),
        ) {
            state.problem?.let { ProblemText(it) }
            Paragraph(stringResource(R.string.a11y_scope, statement.eventTitle ?: stringResource(R.string.app_name)))
            SectionHeader(stringResource(R.string.a11y_status_title))
            Paragraph(stringResource(R.string.a11y_status_partial))
            SectionHeader(stringResource(R.string.a11y_contrast_title))
            Paragraph(
                stringResource(
                    R.string.a11y_contrast_measured,
                    "%.1f".format(locale, statement.contrast.minText),
                    "%.1f".format(locale, statement.contrast.minNonText),
                ),
            )
            SectionHeader(stringResource(R.string.a11y_gaps_title))
            for (gap in statement.gaps) Paragraph("• " + stringResource(gapText(gap)))
            SectionHeader(stringResource(R.string.a11y_date_title))
            Paragraph(stringResource(R.string.a11y_date, dayLong(statement.date, locale)))
            SectionHeader(stringResource(R.string.a11y_feedback_title))
            val contact = statement.contact
            if (contact == null) {
                Paragraph(stringResource(R.string.a11y_feedback_none))
            } else {
                Paragraph(stringResource(R.string.a11y_feedback))
                contact.email?.let { email ->
                    OutlinedButton(onClick = { context.startActivityOrExplain(Intent(Intent.ACTION_SENDTO, Uri.parse("mailto:$email"))) }) {
                        Text(stringResource(R.string.a11y_write_to, email))
                    }
                }
                contact.website?.let { site ->
                    OutlinedButton(onClick = { context.openLink(site) }) { Text(stringResource(R.string.a11y_website, site)) }
                }
            }
            SectionHeader(stringResource(R.string.a11y_conciliation_title))
            Paragraph(stringResource(R.string.a11y_conciliation))
            OutlinedButton(onClick = { context.openLink(statement.conciliationUrl) }) {
                Text(stringResource(R.string.a11y_conciliation_link))
            }
        }
    }
}

@Composable
private fun Paragraph(text: String) = Text(text, style = MaterialTheme.typography.bodyLarge)

@StringRes
private fun gapText(gap: KnownGap): Int = when (gap) {
    KnownGap.NOT_TESTED_ON_DEVICE -> R.string.a11y_gap_device
    KnownGap.FONT_SCALING_UNVERIFIED -> R.string.a11y_gap_font
    KnownGap.CONTRAST_NOT_MEASURED_ON_SCREEN -> R.string.a11y_gap_contrast
    KnownGap.MAP_IS_AN_IMAGE -> R.string.a11y_gap_map
    KnownGap.ORGANISER_CONTENT -> R.string.a11y_gap_content
}
