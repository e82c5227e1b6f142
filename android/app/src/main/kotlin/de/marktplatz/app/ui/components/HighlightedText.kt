package de.marktplatz.app.ui.components

import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.text.SpanStyle
import androidx.compose.ui.text.TextStyle
import androidx.compose.ui.text.buildAnnotatedString
import androidx.compose.ui.text.font.FontWeight
import androidx.compose.ui.text.style.TextOverflow
import de.marktplatz.app.model.MarkedText

/** Text with the search's matches in bold on a tinted background. */
@Composable
fun HighlightedText(
    marked: MarkedText,
    style: TextStyle,
    modifier: Modifier = Modifier,
    maxLines: Int = Int.MAX_VALUE,
) {
    val highlight = SpanStyle(fontWeight = FontWeight.Bold, background = MaterialTheme.colorScheme.primaryContainer)
    val text = buildAnnotatedString {
        append(marked.text)
        for (range in marked.marks) addStyle(highlight, range.first, range.last + 1)
    }
    Text(text, modifier, style = style, maxLines = maxLines, overflow = TextOverflow.Ellipsis)
}
