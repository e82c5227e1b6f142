package de.marktplatz.app.model

import java.net.URI
import java.net.URISyntaxException
import java.net.URLDecoder
import java.nio.charset.StandardCharsets

/**
 * The sign-in link the organiser console shows as a QR code (ADR 0016):
 * `marktplatz://organiser?server=URL&event=E&token=T`, each value percent-encoded.
 */
data class OrganiserLink(val serverUrl: String, val eventId: String, val token: String) {
    /** Never print the token (logs, crash reports). */
    override fun toString() = "OrganiserLink(server=$serverUrl, event=$eventId)"

    companion object {
        const val SCHEME = "marktplatz"
        const val HOST = "organiser"

        /** Reads a scanned, pasted or opened link; says what is wrong with anything else. */
        fun read(text: String): LinkReading {
            val uri = try {
                URI(text.trim())
            } catch (e: URISyntaxException) {
                return LinkReading.Refused(LinkProblem.NOT_A_SIGN_IN_LINK)
            }
            if (!uri.scheme.equals(SCHEME, ignoreCase = true) || !uri.host.equals(HOST, ignoreCase = true)) {
                return LinkReading.Refused(LinkProblem.NOT_A_SIGN_IN_LINK)
            }
            val fields = queryFields(uri.rawQuery.orEmpty())
            val server = fields["server"].orEmpty().trim()
            val event = fields["event"].orEmpty().trim()
            val token = fields["token"].orEmpty().trim()
            if (server.isEmpty() || event.isEmpty() || token.isEmpty()) return LinkReading.Refused(LinkProblem.INCOMPLETE)
            if (!isWebServer(server)) return LinkReading.Refused(LinkProblem.SERVER_NOT_WEB)
            return LinkReading.Read(OrganiserLink(server, event, token))
        }

        private fun queryFields(rawQuery: String): Map<String, String> =
            rawQuery.split('&').filter { it.isNotEmpty() }.associate { pair ->
                val name = pair.substringBefore('=')
                val value = pair.substringAfter('=', "")
                decode(name) to decode(value)
            }

        /** Percent-decoding only: the console escapes `+` as `%2B`, so a `+` stays a `+`. */
        private fun decode(text: String): String =
            try {
                URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8)
            } catch (e: IllegalArgumentException) {
                text
            }

        /** Tokens go only to an http(s) server with a host, never to a file or another app. */
        private fun isWebServer(url: String): Boolean {
            val uri = try {
                URI(url)
            } catch (e: URISyntaxException) {
                return false
            }
            val scheme = uri.scheme?.lowercase()
            return (scheme == "http" || scheme == "https") && !uri.host.isNullOrEmpty()
        }
    }
}

/** What reading a link gave: the sign-in, or why not. */
sealed interface LinkReading {
    data class Read(val link: OrganiserLink) : LinkReading
    data class Refused(val problem: LinkProblem) : LinkReading
}

/** Why a scanned or pasted text does not sign in; the UI words a sentence for each. */
enum class LinkProblem {
    /** Not a `marktplatz://organiser` link (another QR code, a web address, text). */
    NOT_A_SIGN_IN_LINK,
    /** The server, the event or the token is missing. */
    INCOMPLETE,
    /** The server is not an http(s) address. */
    SERVER_NOT_WEB,
    /** The link signs in for another event than the one this app shows. */
    OTHER_EVENT,
}
