package de.marktplatz.app.model

import java.net.URLDecoder

/** Query parameters a link may carry the code in (the calendar feed's is `favourites`). */
private val CODE_PARAMETERS = setOf("favourites", "code")

/**
 * The share code in what the scanner or the clipboard gives: a bare code (spaces and dashes
 * are fine, the core skips them), or a link carrying it in a `favourites=`/`code=` parameter or
 * as its last path segment. Null when there is nothing to read.
 */
fun shareCodeIn(text: String): String? {
    val trimmed = text.trim()
    if (!trimmed.contains("://")) return trimmed.ifEmpty { null }
    val query = trimmed.substringAfter('?', "").substringBefore('#')
    val parameter = query.split('&')
        .map { it.split('=', limit = 2) }
        .firstOrNull { it.size == 2 && it[0] in CODE_PARAMETERS }
    if (parameter != null) return URLDecoder.decode(parameter[1], "UTF-8").trim().ifEmpty { null }
    val path = trimmed.substringBefore('?').substringBefore('#').substringAfter("://").trimEnd('/')
    // A link with no path (just a host) carries no code.
    return path.substringAfter('/', "").substringAfterLast('/').ifEmpty { null }
}
