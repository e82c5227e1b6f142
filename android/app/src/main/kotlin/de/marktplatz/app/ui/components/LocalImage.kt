package de.marktplatz.app.ui.components

import androidx.compose.foundation.background
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.size
import androidx.compose.foundation.shape.CircleShape
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.draw.clip
import androidx.compose.ui.layout.ContentScale
import androidx.compose.ui.semantics.clearAndSetSemantics
import androidx.compose.ui.unit.Dp
import androidx.compose.ui.unit.dp
import coil3.compose.AsyncImage
import java.io.File

/** An image from the core's asset cache (a local file: never a network request here). */
@Composable
fun LocalImage(
    path: String,
    contentDescription: String?,
    modifier: Modifier = Modifier,
    contentScale: ContentScale = ContentScale.Crop,
) {
    AsyncImage(model = File(path), contentDescription = contentDescription, modifier = modifier, contentScale = contentScale)
}

/** A speaker's photo if it is on the device, else their initials (decorative: the name is beside it). */
@Composable
fun Avatar(name: String, photo: String?, size: Dp = 48.dp) {
    val shape = Modifier.size(size).clip(CircleShape)
    if (photo != null) {
        LocalImage(photo, contentDescription = null, modifier = shape)
    } else {
        Box(shape.background(MaterialTheme.colorScheme.secondaryContainer).clearAndSetSemantics {}, contentAlignment = Alignment.Center) {
            Text(initials(name), style = MaterialTheme.typography.titleMedium, color = MaterialTheme.colorScheme.onSecondaryContainer)
        }
    }
}

private fun initials(name: String): String =
    name.split(' ', '-').filter { it.isNotBlank() && it.first().isLetter() }.let { parts ->
        (parts.firstOrNull()?.take(1).orEmpty() + parts.drop(1).lastOrNull()?.take(1).orEmpty()).uppercase()
    }
