package de.marktplatz.app.model

import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Test

/** The console's sign-in link (server/src/console/access.rs), read as the scanner gets it. */
class OrganiserLinkTest {
    private fun refusedFor(text: String) = (OrganiserLink.read(text) as LinkReading.Refused).problem

    @Test
    fun theConsolesLinkIsReadWithItsEscapes() {
        // As the console writes it: every value percent-encoded, a `+` in the token as %2B.
        val text = "marktplatz://organiser?server=https%3A%2F%2Fmarkt.example.de%3A8443&event=egov-marktplatz-nordwest-2027&token=abc.d%2Be%2Ff"
        val link = (OrganiserLink.read(text) as LinkReading.Read).link
        assertEquals("https://markt.example.de:8443", link.serverUrl)
        assertEquals(EVENT, link.eventId)
        assertEquals("abc.d+e/f", link.token)
        assertFalse("the token is never printed", link.toString().contains("abc.d"))
    }

    @Test
    fun spacesAroundAPastedLinkDoNotMatter() {
        val link = (OrganiserLink.read("  marktplatz://organiser?event=e&token=t&server=http%3A%2F%2F10.0.0.2%3A8080\n") as LinkReading.Read).link
        assertEquals(OrganiserLink("http://10.0.0.2:8080", "e", "t"), link)
    }

    @Test
    fun anotherSchemeOrAnotherLinkIsNotASignIn() {
        assertEquals(LinkProblem.NOT_A_SIGN_IN_LINK, refusedFor("https://organiser?server=http%3A%2F%2Fx&event=e&token=t"))
        assertEquals(LinkProblem.NOT_A_SIGN_IN_LINK, refusedFor("marktplatz://session/keynote"))
        assertEquals(LinkProblem.NOT_A_SIGN_IN_LINK, refusedFor("Hallo Welt"))
        assertEquals(LinkProblem.NOT_A_SIGN_IN_LINK, refusedFor(""))
    }

    @Test
    fun aMissingFieldIsTold() {
        assertEquals(LinkProblem.INCOMPLETE, refusedFor("marktplatz://organiser?server=http%3A%2F%2Fx&event=e"))
        assertEquals(LinkProblem.INCOMPLETE, refusedFor("marktplatz://organiser?event=e&token=t"))
        assertEquals(LinkProblem.INCOMPLETE, refusedFor("marktplatz://organiser?server=http%3A%2F%2Fx&event=&token=t"))
        assertEquals(LinkProblem.INCOMPLETE, refusedFor("marktplatz://organiser"))
    }

    @Test
    fun aServerThatIsNotHttpGetsNoToken() {
        assertEquals(LinkProblem.SERVER_NOT_WEB, refusedFor("marktplatz://organiser?server=file%3A%2F%2F%2Fetc&event=e&token=t"))
        assertEquals(LinkProblem.SERVER_NOT_WEB, refusedFor("marktplatz://organiser?server=javascript%3Aalert(1)&event=e&token=t"))
        assertEquals(LinkProblem.SERVER_NOT_WEB, refusedFor("marktplatz://organiser?server=markt.example.de&event=e&token=t"))
    }
}
