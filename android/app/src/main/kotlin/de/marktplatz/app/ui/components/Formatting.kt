package de.marktplatz.app.ui.components

import android.text.format.DateUtils
import androidx.compose.runtime.Composable
import androidx.compose.ui.platform.LocalConfiguration
import androidx.core.os.ConfigurationCompat
import java.time.Instant
import java.time.LocalDate
import java.time.ZoneId
import java.time.format.DateTimeFormatter
import java.time.format.FormatStyle
import java.util.Locale

/** The UI's locale (the per-app language if the user picked one). */
@Composable
fun uiLocale(): Locale =
    ConfigurationCompat.getLocales(LocalConfiguration.current).get(0) ?: Locale.getDefault()

/** "Mon, 1 Feb" / "Mo., 1. Feb." for day tabs. */
fun dayLabel(day: LocalDate, locale: Locale): String =
    DateTimeFormatter.ofPattern(if (locale.language == "de") "EE, d. MMM" else "EEE, d MMM", locale).format(day)

/** The full date, for screen readers and headers. */
fun dayLong(day: LocalDate, locale: Locale): String =
    DateTimeFormatter.ofLocalizedDate(FormatStyle.FULL).withLocale(locale).format(day)

/** A moment in the phone's timezone (announcements, outbox entries). */
fun dateTime(instant: Instant, locale: Locale): String =
    DateTimeFormatter.ofLocalizedDateTime(FormatStyle.SHORT).withLocale(locale).withZone(ZoneId.systemDefault()).format(instant)

/** "5 minutes ago" in the UI language. */
fun relativeTime(instant: Instant, now: Long = System.currentTimeMillis()): String =
    DateUtils.getRelativeTimeSpanString(instant.toEpochMilli(), now, DateUtils.MINUTE_IN_MILLIS).toString()
