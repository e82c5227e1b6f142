package de.marktplatz.app.model

import de.marktplatz.core.Highlight

/** A text with the ranges to underline, as UTF-16 indices (what Kotlin and Android use). */
data class MarkedText(val text: String, val marks: List<IntRange>)

/**
 * The core counts highlight offsets in Unicode scalar values; Kotlin strings index UTF-16
 * units, which differ after any character outside the BMP (an emoji). Ranges outside the text
 * are dropped rather than trusted.
 */
fun markedText(text: String, highlights: List<Highlight>): MarkedText {
    val length = text.codePointCount(0, text.length)
    val marks = highlights.mapNotNull { highlight ->
        val start = highlight.start.toInt()
        val end = highlight.end.toInt()
        if (start < 0 || end > length || start >= end) return@mapNotNull null
        val from = text.offsetByCodePoints(0, start)
        val to = text.offsetByCodePoints(from, end - start)
        from until to
    }
    return MarkedText(text, marks)
}
