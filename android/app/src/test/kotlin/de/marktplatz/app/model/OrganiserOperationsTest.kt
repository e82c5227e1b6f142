package de.marktplatz.app.model

import de.marktplatz.core.LocationKind
import de.marktplatz.core.MapPosition
import de.marktplatz.core.Op
import de.marktplatz.core.OpState
import de.marktplatz.core.OutboxEntry
import de.marktplatz.core.Priority
import java.awt.image.BufferedImage
import java.io.ByteArrayOutputStream
import java.time.Duration
import java.time.Instant
import java.time.ZoneId
import javax.imageio.ImageIO
import kotlinx.coroutines.TimeoutCancellationException
import kotlinx.coroutines.runBlocking
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Before
import org.junit.Test

/**
 * Every organiser operation the core has, built by the model, queued, pushed to the real demo
 * server and seen by a second phone after its sync. Each test puts the demo event back.
 */
class OrganiserOperationsTest {
    private val world = TestWorld()
    private lateinit var organiser: OrganiserModel

    @Before
    fun signIn() = runBlocking<Unit> {
        world.synced()
        organiser = OrganiserModel(world.repo, world.scope, world.event)
        organiser.state.awaitState { it.sessions.isNotEmpty() && it.entries.isNotEmpty() }
        organiser.signIn(organiserToken(), testServer())
        organiser.state.awaitState { it.organiser != null && !it.busy }
    }

    @After
    fun close() = world.close()

    /** Waits until the last operation matching [op] has left the phone, and says it was accepted. */
    private suspend fun sent(op: (Op) -> Boolean): OutboxEntry {
        val state = try {
            organiser.state.awaitState { s ->
                !s.busy && s.outbox.any { op(it.op) } && s.outbox.filter { op(it.op) }.all { it.state != OpState.PENDING && it.state != OpState.IN_FLIGHT }
            }
        } catch (e: TimeoutCancellationException) {
            throw AssertionError("not sent; the organiser's state: ${organiser.state.value}", e)
        }
        val entry = state.outbox.last { op(it.op) }
        assertTrue("${entry.op}: ${entry.state} ${entry.rejection}", entry.state == OpState.ACCEPTED || entry.state == OpState.DONE)
        return entry
    }

    /** What a second phone sees after syncing from the server. */
    private suspend fun <T> anotherPhone(look: suspend (TestWorld) -> T): T = TestWorld().use { look(it.synced()) }

    private suspend fun editAndSave(kind: EditKind, id: String, changes: Map<EditField, String>) {
        organiser.edit(kind, id)
        organiser.state.awaitState { it.editing?.id == id }
        organiser.save(changes)
    }

    @Test
    fun aSessionIsRetimedAndEdited() = runBlocking<Unit> {
        val session = organiser.state.value.sessions.first { it.locationId != null }
        val zone = ZoneId.of(world.repo.overview(EVENT).event.timezone)
        organiser.retimeSession(session.id, "7.05", "07:50")
        sent { it is Op.SessionRetime && it.id == session.id }
        val moved = anotherPhone { it.repo.sessionDetail(EVENT, session.id).summary }
        assertEquals("07:05", moved.start.atZone(zone).toLocalTime().toString())
        assertEquals(session.start.atZone(zone).toLocalDate(), moved.start.atZone(zone).toLocalDate())
        assertEquals("07:50", moved.end.atZone(zone).toLocalTime().toString())

        val title = "Geänderter Titel " + System.nanoTime()
        editAndSave(EditKind.SESSION, session.id, mapOf(EditField.TITLE to "  $title "))
        val edit = sent { it is Op.SessionEdit && it.id == session.id }.op as Op.SessionEdit
        assertNull("only what changed is sent", edit.description)
        assertEquals(title, anotherPhone { it.repo.sessionDetail(EVENT, session.id).summary.title })

        organiser.retimeSession(session.id, session.localStart, session.localEnd)
        sent { it is Op.SessionRetime && it.id == session.id && it.start == session.start }
        editAndSave(EditKind.SESSION, session.id, mapOf(EditField.TITLE to session.title))
        sent { it is Op.SessionEdit && it.title == session.title }
    }

    @Test
    fun aRetimeThatEndsBeforeItStartsIsRefusedHere() = runBlocking<Unit> {
        val session = organiser.state.value.sessions.first()
        organiser.retimeSession(session.id, "11:00", "10:00")
        assertEquals(ProblemKind.INVALID_INPUT, organiser.state.awaitState { it.problem != null && !it.busy }.problem!!.kind)
        organiser.retimeSession(session.id, "elf", "12:00")
        organiser.state.awaitState { it.problem?.detail == "start: elf" && !it.busy }
        assertTrue(organiser.state.value.outbox.isEmpty())
    }

    @Test
    fun aStationAndAnExhibitorAreEdited() = runBlocking<Unit> {
        val station = organiser.state.value.entries.getValue(EditKind.STATION).first()
        val name = "Station " + System.nanoTime()
        editAndSave(EditKind.STATION, station.id, mapOf(EditField.NAME to name, EditField.DESCRIPTION to station.detail))
        val stationEdit = sent { it is Op.StationEdit && it.id == station.id }.op as Op.StationEdit
        assertNull(stationEdit.description)
        assertEquals(name, anotherPhone { other -> other.repo.stations(EVENT).first { it.location.id == station.id }.location.name })
        editAndSave(EditKind.STATION, station.id, mapOf(EditField.NAME to station.label))
        sent { it is Op.StationEdit && it.name == station.label }

        val exhibitor = organiser.state.value.entries.getValue(EditKind.EXHIBITOR).first()
        organiser.edit(EditKind.EXHIBITOR, exhibitor.id)
        val form = organiser.state.awaitState { it.editing?.id == exhibitor.id }.editing!!
        assertEquals(
            listOf(EditField.NAME, EditField.DESCRIPTION, EditField.WEBSITE, EditField.EMAIL, EditField.PHONE, EditField.STATION, EditField.TOPICS),
            form.fields,
        )
        organiser.save(mapOf(EditField.PHONE to "+49 4221 99-0", EditField.WEBSITE to "https://example.org/stand"))
        sent { it is Op.ExhibitorEdit && it.id == exhibitor.id }
        val changed = anotherPhone { other -> other.repo.exhibitors(EVENT).first { it.exhibitor.id == exhibitor.id }.exhibitor }
        assertEquals("+49 4221 99-0", changed.contact?.phone)
        assertEquals("https://example.org/stand", changed.website)
        organiser.edit(EditKind.EXHIBITOR, exhibitor.id)
        organiser.state.awaitState { it.editing?.id == exhibitor.id }
        organiser.save(form.values)
        sent { it is Op.ExhibitorEdit && it.id == exhibitor.id && it.phone == form.values[EditField.PHONE] }
    }

    @Test
    fun aStationIsPlacedOnThePlanAndThePlanReplaced() = runBlocking<Unit> {
        val station = world.repo.stations(EVENT).first { it.location.position != null }.location
        // A tap a quarter across and three quarters down a plan drawn 800 x 600.
        organiser.placeStation(station.id, 200f, 450f, 800f, 600f)
        val placed = sent { it is Op.StationEdit && it.id == station.id && it.position != null }.op as Op.StationEdit
        assertEquals(MapPosition(0.25, 0.75), placed.position)
        assertNull("only the position is sent", placed.name)
        assertEquals(MapPosition(0.25, 0.75), anotherPhone { other -> other.repo.stations(EVENT).first { it.location.id == station.id }.location.position })

        val before = world.repo.overview(EVENT).event.venue.map!!
        organiser.setHallPlan(pngBytes())
        val plan = (sent { it is Op.VenueMap }.op as Op.VenueMap).map
        assertEquals("image/png", plan.mediaType)
        val seen = anotherPhone { other ->
            val map = other.repo.overview(EVENT).event.venue.map!!
            map to other.repo.stations(EVENT).first { it.location.id == station.id }.location.position
        }
        assertEquals(plan.sha256, seen.first.sha256)
        assertEquals("the pins stay on the new plan", MapPosition(0.25, 0.75), seen.second)

        // Put the demo back: its plan (on the server already) and the station's place.
        organiser.placeStation(station.id, station.position!!.x.toFloat() * 1000f, station.position!!.y.toFloat() * 1000f, 1000f, 1000f)
        sent { it is Op.StationEdit && it.id == station.id && it.position == station.position }
        world.repo.queue(EVENT, Op.VenueMap(EVENT, before))
        organiser.pushNow()
        sent { it is Op.VenueMap && it.map.sha256 == before.sha256 }
    }

    @Test
    fun anExhibitorGetsAnotherStationAndTopics() = runBlocking<Unit> {
        val exhibitor = world.repo.exhibitors(EVENT).first { it.exhibitor.stationId != null }.exhibitor
        val other = world.repo.stations(EVENT).first { it.location.id != exhibitor.stationId && it.location.kind == LocationKind.STATION }.location
        organiser.edit(EditKind.EXHIBITOR, exhibitor.id)
        val form = organiser.state.awaitState { it.editing?.id == exhibitor.id }.editing!!
        assertEquals(exhibitor.stationId, form.values[EditField.STATION])
        organiser.save(form.values + mapOf(EditField.STATION to other.id, EditField.TOPICS to "Cloud, E-Akte"))
        val edit = sent { it is Op.ExhibitorEdit && it.id == exhibitor.id && it.stationId == other.id }.op as Op.ExhibitorEdit
        assertNull("the name did not change", edit.name)
        val seen = anotherPhone { phone -> phone.repo.exhibitors(EVENT).first { it.exhibitor.id == exhibitor.id }.exhibitor }
        assertEquals(other.id, seen.stationId)
        assertEquals(listOf("Cloud", "E-Akte"), seen.topics)

        organiser.edit(EditKind.EXHIBITOR, exhibitor.id)
        organiser.state.awaitState { it.editing?.id == exhibitor.id }
        organiser.save(form.values)
        sent { it is Op.ExhibitorEdit && it.id == exhibitor.id && it.stationId == exhibitor.stationId }
    }

    @Test
    fun infoPagesAreMovedUpAndDown() = runBlocking<Unit> {
        val before = world.repo.infoPages(EVENT).map { it.id }
        val second = before[1]
        val moved = listOf(second, before[0]) + before.drop(2)
        organiser.moveInfoPage(second, -1)
        // The organiser's own list shows the new order at once ...
        organiser.state.awaitState { s -> s.entries[EditKind.INFO_PAGE].orEmpty().map { it.id } == moved }
        sent { it is Op.InfoEdit && it.id == second && it.sortOrder != null }
        // ... and every phone after its sync.
        assertEquals(moved, anotherPhone { other -> other.repo.infoPages(EVENT).map { it.id } })

        val edits = organiser.state.value.outbox.count { it.op is Op.InfoEdit }
        organiser.moveInfoPage(second, 1)
        organiser.state.awaitState { s -> s.outbox.count { it.op is Op.InfoEdit } > edits }
        sent { it is Op.InfoEdit }
        assertEquals(before, anotherPhone { other -> other.repo.infoPages(EVENT).map { it.id } })
    }

    @Test
    fun anAnnouncementIsEditedAndRetracted() = runBlocking<Unit> {
        val title = "Raumänderung " + System.nanoTime()
        organiser.announce(title, "Erst so.", Priority.IMPORTANT, Duration.ofHours(3))
        val id = (sent { it is Op.AnnouncementCreate && it.title == title }.op as Op.AnnouncementCreate).id
        organiser.state.awaitState { s -> s.entries[EditKind.ANNOUNCEMENT].orEmpty().any { it.id == id } }
        editAndSave(EditKind.ANNOUNCEMENT, id, mapOf(EditField.TITLE to title, EditField.BODY to "Jetzt so."))
        sent { it is Op.AnnouncementEdit && it.id == id }
        assertEquals("Jetzt so.", anotherPhone { other -> other.repo.announcements(EVENT, ELEVEN_TEN).first { it.id == id }.body })

        // Made urgent, and shown for a day from now instead of three hours.
        val tomorrow = expiryAfter(world.event.now(), Duration.ofDays(1))
        editAndSave(EditKind.ANNOUNCEMENT, id, mapOf(EditField.PRIORITY to Priority.URGENT.name, EditField.EXPIRES to tomorrow))
        val raised = sent { it is Op.AnnouncementEdit && it.id == id && it.priority != null }.op as Op.AnnouncementEdit
        assertNull("the texts did not change", raised.title)
        val seen = anotherPhone { other -> other.repo.announcements(EVENT, ELEVEN_TEN).first { it.id == id } }
        assertEquals(Priority.URGENT, seen.priority)
        assertEquals(Instant.parse(tomorrow), seen.expiresAt)

        organiser.remove(EditKind.ANNOUNCEMENT, id)
        sent { it is Op.AnnouncementRetract && it.id == id }
        assertTrue(anotherPhone { other -> other.repo.announcements(EVENT, ELEVEN_TEN).none { it.id == id } })
        organiser.state.awaitState { s -> s.entries[EditKind.ANNOUNCEMENT].orEmpty().none { it.id == id } }
    }

    @Test
    fun anInfoPageIsAddedEditedAndRemoved() = runBlocking<Unit> {
        val title = "Garderobe " + System.nanoTime()
        val before = world.repo.infoPages(EVENT)
        organiser.addInfoPage(" $title ", "Im Erdgeschoss.")
        val added = sent { it is Op.InfoAdd && it.title == title }.op as Op.InfoAdd
        assertEquals(before.maxOf { it.sortOrder } + 1, added.sortOrder)
        assertEquals("Im Erdgeschoss.", anotherPhone { other -> other.repo.infoPages(EVENT).first { it.id == added.id }.body })
        // Shown in the organiser's list at once (the queued page over the content).
        organiser.state.awaitState { s -> s.entries[EditKind.INFO_PAGE].orEmpty().any { it.id == added.id } }

        editAndSave(EditKind.INFO_PAGE, added.id, mapOf(EditField.BODY to "Im ersten Stock."))
        sent { it is Op.InfoEdit && it.id == added.id }
        assertEquals("Im ersten Stock.", anotherPhone { other -> other.repo.infoPages(EVENT).first { it.id == added.id }.body })

        organiser.remove(EditKind.INFO_PAGE, added.id)
        sent { it is Op.InfoRemove && it.id == added.id }
        assertEquals(before.map { it.id }, anotherPhone { other -> other.repo.infoPages(EVENT).map { it.id } })
    }

    @Test
    fun aPhotoIsAddedCaptionedAndRemoved() = runBlocking<Unit> {
        val caption = "Eröffnung " + System.nanoTime()
        organiser.addPhoto(pngBytes(), caption, "Presseteam")
        val id = (sent { it is Op.PhotoAdd && it.caption == caption }.op as Op.PhotoAdd).id
        organiser.state.awaitState { s -> s.entries[EditKind.PHOTO].orEmpty().any { it.id == id } }

        editAndSave(EditKind.PHOTO, id, mapOf(EditField.CAPTION to "$caption (Foyer)", EditField.CREDIT to "Presseteam"))
        val edit = sent { it is Op.PhotoEdit && it.id == id }.op as Op.PhotoEdit
        assertNull(edit.credit)
        assertEquals("$caption (Foyer)", anotherPhone { other -> other.repo.gallery(EVENT).first { it.id == id }.caption })

        organiser.remove(EditKind.PHOTO, id)
        sent { it is Op.PhotoRemove && it.id == id }
        assertTrue(anotherPhone { other -> other.repo.gallery(EVENT).none { it.id == id } })
    }

    @Test
    fun aFormWithoutChangesQueuesNothing() = runBlocking<Unit> {
        val page = organiser.state.value.entries.getValue(EditKind.INFO_PAGE).first()
        organiser.edit(EditKind.INFO_PAGE, page.id)
        val form = organiser.state.awaitState { it.editing != null }.editing!!
        assertTrue(form.removable)
        organiser.save(form.values)
        assertNull(organiser.state.value.editing)
        organiser.pushNow()
        organiser.state.awaitState { it.lastPush != null && !it.busy }
        assertTrue(organiser.state.value.outbox.isEmpty())
    }

    @Test
    fun aConflictWithAnotherOrganiserIsRetriedOrDismissed() = runBlocking<Unit> {
        val station = organiser.state.value.entries.getValue(EditKind.STATION).first()
        TestWorld().use { secondWorld ->
            secondWorld.synced()
            val second = OrganiserModel(secondWorld.repo, secondWorld.scope, secondWorld.event)
            second.state.awaitState { it.entries.isNotEmpty() }
            second.signIn(organiserToken(), testServer())
            second.state.awaitState { it.organiser != null && !it.busy }

            // This phone renames the station first ...
            editAndSave(EditKind.STATION, station.id, mapOf(EditField.NAME to "Erste Fassung"))
            sent { it is Op.StationEdit && it.name == "Erste Fassung" }
            // ... the second phone, not synced since, renames it too: refused as a conflict.
            second.edit(EditKind.STATION, station.id)
            second.state.awaitState { it.editing?.id == station.id }
            second.save(mapOf(EditField.NAME to "Zweite Fassung"))
            val refused = second.state.awaitState { s -> !s.busy && s.outbox.any { it.state == OpState.REJECTED } }
                .outbox.single { it.state == OpState.REJECTED }
            assertEquals(409, refused.rejection!!.status.toInt())
            // Retried over the server's current version, it goes through.
            second.retry(refused.id)
            second.state.awaitState { s -> !s.busy && s.outbox.isNotEmpty() && s.outbox.all { it.state == OpState.ACCEPTED || it.state == OpState.DONE } }
            assertEquals("Zweite Fassung", anotherPhone { other -> other.repo.stations(EVENT).first { it.location.id == station.id }.location.name })
        }

        // Now this phone is behind: its next rename is refused, and dismissed it is gone.
        editAndSave(EditKind.STATION, station.id, mapOf(EditField.NAME to "Dritte Fassung"))
        val refused = organiser.state.awaitState { s -> !s.busy && s.outbox.any { it.state == OpState.REJECTED } }
            .outbox.single { it.state == OpState.REJECTED }
        organiser.dismiss(refused.id)
        organiser.state.awaitState { s -> !s.busy && s.outbox.none { it.id == refused.id && it.state == OpState.REJECTED } }
        assertEquals("Zweite Fassung", anotherPhone { other -> other.repo.stations(EVENT).first { it.location.id == station.id }.location.name })

        // Put the demo back.
        world.synced()
        world.event.changes.changed()
        organiser.state.awaitState { s -> s.entries[EditKind.STATION].orEmpty().any { it.label == "Zweite Fassung" } }
        editAndSave(EditKind.STATION, station.id, mapOf(EditField.NAME to station.label))
        sent { it is Op.StationEdit && it.name == station.label }
    }

    private fun pngBytes(): ByteArray {
        val image = BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB)
        for (x in 0 until 64) for (y in 0 until 48) image.setRGB(x, y, (x * 4 shl 16) or (y * 5 shl 8) or 0x80)
        return ByteArrayOutputStream().also { ImageIO.write(image, "png", it) }.toByteArray()
    }
}
