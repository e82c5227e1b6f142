package de.marktplatz.app.model

import de.marktplatz.core.InfoPage
import kotlinx.coroutines.runBlocking
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test

/** The accessibility statement, assembled from the demo event's info. */
class AccessibilityStatementModelTest {
    private val world = TestWorld()

    @After
    fun close() = world.close()

    @Test
    fun theContactIsTheOrganisersAddressFromTheEventsPages() = runBlocking<Unit> {
        world.synced()
        val statement = AccessibilityStatementModel(world.repo, world.scope, world.event)
            .state.awaitState { !it.loading }.statement
        assertEquals(ComplianceStatus.PARTIALLY_COMPLIANT, statement?.status)
        assertEquals("marktplatz@vir-nordwest.example.org", statement?.contact?.email)
        assertEquals("Veranstalter", statement?.contact?.foundOn)
        assertEquals("https://vir-nordwest.example.org/marktplatz", statement?.contact?.website)
        assertEquals("https://www.schlichtungsstelle-bgg.de", statement?.conciliationUrl)
        assertEquals(KnownGap.entries, statement?.gaps)
        assertEquals(STATEMENT_DATE, statement?.date)
    }

    @Test
    fun theMeasuredContrastMeetsWcagAaAndItsGapIsOnlyTheScreen() = runBlocking<Unit> {
        val statement = AccessibilityStatementModel(world.repo, world.scope, world.event)
            .state.awaitState { !it.loading }.statement!!
        // The figures themselves are checked against the colours by scripts/check_contrast.py.
        assertTrue("text 4.5:1 (WCAG 1.4.3)", statement.contrast.minText >= 4.5)
        assertTrue("borders and icons 3:1 (WCAG 1.4.11)", statement.contrast.minNonText >= 3.0)
        assertTrue(statement.contrast.minNonText <= statement.contrast.minText)
        assertTrue(KnownGap.CONTRAST_NOT_MEASURED_ON_SCREEN in statement.gaps)
    }

    @Test
    fun beforeAnySyncTheStatementStandsWithoutAContact() = runBlocking<Unit> {
        val statement = AccessibilityStatementModel(world.repo, world.scope, world.event)
            .state.awaitState { !it.loading }.statement
        assertEquals(ComplianceStatus.PARTIALLY_COMPLIANT, statement?.status)
        assertNull(statement?.contact)
        assertNull(statement?.eventTitle)
    }

    @Test
    fun organiserPagesComeFirstThenAnyPageThenTheWebsite() {
        val wifi = InfoPage("wlan", "WLAN", "Fragen an it@example.org.", 1)
        val organiser = InfoPage("org", "Organiser", "Write to team@example.org.", 5)
        assertEquals("team@example.org", feedbackContact(listOf(wifi, organiser), null)?.email)
        assertEquals("it@example.org", feedbackContact(listOf(wifi), null)?.email)
        val none = InfoPage("x", "Anfahrt", "Bus 201", 0)
        assertEquals(FeedbackContact(website = "https://example.org"), feedbackContact(listOf(none), "https://example.org"))
        assertNull(feedbackContact(listOf(none), null))
    }
}
