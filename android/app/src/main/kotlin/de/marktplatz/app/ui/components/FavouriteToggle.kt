package de.marktplatz.app.ui.components

import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.Star
import androidx.compose.material.icons.outlined.StarOutline
import androidx.compose.material3.Icon
import androidx.compose.material3.IconToggleButton
import androidx.compose.material3.MaterialTheme
import androidx.compose.runtime.Composable
import androidx.compose.runtime.staticCompositionLocalOf
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.stateDescription
import androidx.compose.ui.semantics.semantics
import de.marktplatz.app.R

/**
 * Asks for the notification permission (Android 13+) when the user first adds a favourite: the
 * moment reminders start to matter. Provided by the app's root; a no-op elsewhere (previews).
 */
val LocalAskForNotifications = staticCompositionLocalOf<() -> Unit> { {} }

/** The star: a toggle whose label names what it adds or removes ("Add Keynote to my agenda"). */
@Composable
fun FavouriteToggle(favourite: Boolean, what: String, onToggle: () -> Unit, modifier: Modifier = Modifier) {
    val state = stringResource(if (favourite) R.string.favourite_on else R.string.favourite_off)
    val askForNotifications = LocalAskForNotifications.current
    IconToggleButton(
        checked = favourite,
        onCheckedChange = { adding ->
            if (adding) askForNotifications()
            onToggle()
        },
        modifier = modifier.semantics { stateDescription = state },
    ) {
        Icon(
            if (favourite) Icons.Filled.Star else Icons.Outlined.StarOutline,
            contentDescription = stringResource(if (favourite) R.string.favourite_remove else R.string.favourite_add, what),
            tint = if (favourite) MaterialTheme.colorScheme.primary else MaterialTheme.colorScheme.onSurfaceVariant,
        )
    }
}
