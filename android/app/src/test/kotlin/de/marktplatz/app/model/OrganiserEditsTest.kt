package de.marktplatz.app.model

import de.marktplatz.core.Announcement
import de.marktplatz.core.InfoPage
import de.marktplatz.core.MapPosition
import de.marktplatz.core.Op
import de.marktplatz.core.Priority
import java.time.Duration
import java.time.Instant
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test

/** The organiser's pure edit logic: pin placement, page order, the picked fields of a form. */
class OrganiserEditsTest {
    @Test
    fun aTapBecomesFractionsOfThePlanClampedAndRounded() {
        assertEquals(MapPosition(0.25, 0.75), PinPlacement.positionOf(100f, 300f, 400f, 400f))
        // Zoom does not matter: the tap and the size are in the same (unzoomed) units.
        assertEquals(PinPlacement.positionOf(50f, 150f, 200f, 200f), PinPlacement.positionOf(100f, 300f, 400f, 400f))
        assertEquals(MapPosition(0.333, 0.667), PinPlacement.positionOf(1f, 2f, 3f, 3f))
        assertEquals("a tap beside the plan lands on its edge", MapPosition(0.0, 1.0), PinPlacement.positionOf(-5f, 900f, 400f, 300f))
        assertNull(PinPlacement.positionOf(10f, 10f, 0f, 300f))
        assertNull(PinPlacement.positionOf(Float.NaN, 10f, 400f, 300f))
    }

    private fun page(id: String, order: Int) = InfoPage(id, "Seite $id", "", order)

    @Test
    fun movingAPageSwapsItsPlaceWithItsNeighbour() {
        val pages = listOf(page("a", 1), page("b", 5), page("c", 9))
        assertEquals(listOf(Op.InfoEdit("b", null, null, 1), Op.InfoEdit("a", null, null, 5)), InfoOrder.move(pages, "b", -1))
        assertEquals(listOf(Op.InfoEdit("b", null, null, 9), Op.InfoEdit("c", null, null, 5)), InfoOrder.move(pages, "b", 1))
        assertTrue("the first cannot move up", InfoOrder.move(pages, "a", -1).isEmpty())
        assertTrue("the last cannot move down", InfoOrder.move(pages, "c", 1).isEmpty())
        assertTrue(InfoOrder.move(pages, "x", 1).isEmpty())
    }

    @Test
    fun pagesSharingAPlaceAreNumberedAnew() {
        val pages = listOf(page("a", 0), page("b", 0), page("c", 0))
        // Only the pages whose number changes are edited: c keeps 2, b goes behind it.
        assertEquals(
            listOf(Op.InfoEdit("b", null, null, 3)),
            InfoOrder.move(listOf(page("a", 1), page("b", 2), page("c", 2)), "c", -1),
        )
        assertEquals(
            listOf(Op.InfoEdit("b", null, null, 1), Op.InfoEdit("a", null, null, 2), Op.InfoEdit("c", null, null, 3)),
            InfoOrder.move(pages, "b", -1),
        )
    }

    @Test
    fun anAnnouncementsPriorityAndExpiryAreSentOnlyWhenChanged() {
        val now = Instant.parse("2027-02-01T10:10:00Z")
        val form = EditForms.announcement(Announcement("a1", "Raum", "Text", Priority.NORMAL, now, null))
        assertEquals(listOf(EditField.TITLE, EditField.BODY, EditField.PRIORITY, EditField.EXPIRES), form.fields)
        assertNull(EditForms.editOp(form, form.values))
        val later = expiryAfter(now, Duration.ofHours(4))
        assertEquals("2027-02-01T14:10:00Z", later)
        val op = EditForms.editOp(form, form.values + mapOf(EditField.PRIORITY to "URGENT", EditField.EXPIRES to later)) as Op.AnnouncementEdit
        assertEquals(Op.AnnouncementEdit("a1", null, null, Priority.URGENT, Instant.parse(later)), op)
    }

    @Test
    fun topicsAreTypedAsAList() {
        assertEquals(listOf("Cloud", "E-Akte"), topicsOf(" Cloud, ,E-Akte,Cloud "))
        assertTrue(topicsOf(" , ").isEmpty())
    }
}
