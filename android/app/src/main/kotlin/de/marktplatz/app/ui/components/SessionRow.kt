package de.marktplatz.app.ui.components

import androidx.compose.foundation.background
import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.IntrinsicSize
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxHeight
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.height
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.width
import androidx.compose.foundation.layout.widthIn
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.style.TextDecoration
import androidx.compose.ui.text.style.TextOverflow
import androidx.compose.ui.unit.dp
import de.marktplatz.app.R
import de.marktplatz.app.ui.theme.trackColor
import de.marktplatz.core.SessionStatus
import de.marktplatz.core.SessionSummary

/**
 * One session in a list: time, title, place and speakers, the track's colour, and the star.
 * [badge] adds a line under it (a conflict, a change alert). TalkBack reads the row as one.
 */
@Composable
fun SessionRow(
    session: SessionSummary,
    favourite: Boolean?,
    onOpen: () -> Unit,
    onToggleFavourite: () -> Unit,
    modifier: Modifier = Modifier,
    badge: (@Composable () -> Unit)? = null,
) {
    val cancelled = session.status == SessionStatus.CANCELLED
    val openLabel = stringResource(R.string.open_session)
    Row(
        modifier
            .fillMaxWidth()
            .height(IntrinsicSize.Min)
            .clickable(onClickLabel = openLabel, onClick = onOpen)
            .padding(start = 12.dp, end = 4.dp, top = 8.dp, bottom = 8.dp),
        verticalAlignment = Alignment.CenterVertically,
    ) {
        Box(
            Modifier
                .width(4.dp)
                .fillMaxHeight()
                .background(trackColor(session.trackColor) ?: Color.Transparent),
        )
        Column(Modifier.widthIn(min = 56.dp).padding(horizontal = 8.dp)) {
            Text(session.localStart, style = MaterialTheme.typography.titleSmall)
            Text(session.localEnd, style = MaterialTheme.typography.bodySmall, color = MaterialTheme.colorScheme.onSurfaceVariant)
        }
        Column(Modifier.weight(1f).semantics(mergeDescendants = true) {}, verticalArrangement = Arrangement.spacedBy(2.dp)) {
            if (cancelled) {
                Text(stringResource(R.string.session_cancelled), style = MaterialTheme.typography.labelMedium, color = MaterialTheme.colorScheme.error)
            }
            Text(
                session.title,
                style = MaterialTheme.typography.titleMedium,
                textDecoration = if (cancelled) TextDecoration.LineThrough else null,
                maxLines = 3,
                overflow = TextOverflow.Ellipsis,
            )
            val place = listOfNotNull(session.locationName, session.speakerNames.joinToString(", ").ifBlank { null })
            if (place.isNotEmpty()) {
                Text(
                    place.joinToString(" · "),
                    style = MaterialTheme.typography.bodyMedium,
                    color = MaterialTheme.colorScheme.onSurfaceVariant,
                    maxLines = 2,
                    overflow = TextOverflow.Ellipsis,
                )
            }
            badge?.invoke()
        }
        if (favourite != null) FavouriteToggle(favourite, session.title, onToggleFavourite)
    }
}
