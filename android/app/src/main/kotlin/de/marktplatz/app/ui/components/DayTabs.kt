package de.marktplatz.app.ui.components

import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.PrimaryScrollableTabRow
import androidx.compose.material3.Tab
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import java.time.LocalDate

/** One tab per conference day; hidden for a one-day event. */
// PrimaryScrollableTabRow is still experimental in Material 3 1.3.
@OptIn(ExperimentalMaterial3Api::class)
@Composable
fun DayTabs(days: List<LocalDate>, selected: LocalDate?, onSelect: (LocalDate) -> Unit, modifier: Modifier = Modifier) {
    if (days.size < 2) return
    val locale = uiLocale()
    PrimaryScrollableTabRow(selectedTabIndex = days.indexOf(selected).coerceAtLeast(0), modifier = modifier) {
        for (day in days) {
            val long = dayLong(day, locale)
            Tab(
                selected = day == selected,
                onClick = { onSelect(day) },
                modifier = Modifier.semantics { contentDescription = long },
                text = { Text(dayLabel(day, locale)) },
            )
        }
    }
}
