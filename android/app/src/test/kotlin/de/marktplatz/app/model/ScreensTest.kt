package de.marktplatz.app.model

import de.marktplatz.core.LocationKind
import java.io.File
import kotlinx.coroutines.runBlocking
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test

/** The list screens over the synced demo event. */
class ScreensTest {
    private val world = TestWorld()

    @After
    fun close() = world.close()

    @Test
    fun stationsExhibitorsAndAStation() = runBlocking<Unit> {
        world.synced()
        val stations = StationsModel(world.repo, world.scope, world.event)
        val state = stations.state.awaitState { !it.loading }
        assertEquals(10, state.stations.count { it.location.kind == LocationKind.STATION })
        assertEquals(world.repo.overview(EVENT).exhibitorCount.toInt(), state.exhibitors.size)
        val topic = state.topics.first()
        stations.filterByTopic(topic)
        val filtered = stations.state.awaitState { it.topic == topic && it.exhibitors.size < state.exhibitors.size }
        assertTrue(filtered.exhibitors.all { topic in it.exhibitor.topics })
        stations.toggleFavourite(filtered.exhibitors.first().exhibitor.id)
        stations.state.awaitState { it.favouriteExhibitors.size == 1 }

        val busiest = state.stations.maxBy { it.exhibitorCount }
        val station = StationDetailModel(world.repo, world.scope, world.event, busiest.location.id)
        val detail = station.state.awaitState { !it.loading }
        assertEquals(busiest.exhibitorCount.toInt(), detail.exhibitors.size)
        assertEquals(busiest.sessionCount.toInt(), detail.sessions.size)

        val exhibitor = ExhibitorDetailModel(world.repo, world.scope, world.event, detail.exhibitors.first().exhibitor.id)
        assertEquals(busiest.location.name, exhibitor.state.awaitState { !it.loading }.entry?.stationName)
    }

    @Test
    fun speakersWithPhotosAndTheirSessions() = runBlocking<Unit> {
        world.synced()
        val speakers = SpeakersModel(world.repo, world.scope, world.event)
        val state = speakers.state.awaitState { !it.loading }
        assertEquals(world.repo.overview(EVENT).speakerCount.toInt(), state.speakers.size)
        assertTrue("photos are on the device after a sync", state.photos.values.all { File(it).isFile })
        assertEquals(state.speakers.count { it.photo != null }, state.photos.size)

        val rosenboom = SpeakerDetailModel(world.repo, world.scope, world.event, "sp-rosenboom")
        val detail = rosenboom.state.awaitState { !it.loading }
        assertTrue(detail.sessions.map { it.id }.containsAll(listOf("cybersicherheitsstrategie", "werkstatt-leitlinie")))
        rosenboom.toggleFavourite()
        rosenboom.state.awaitState { it.favourite }
        speakers.state.awaitState { "sp-rosenboom" in it.favourites }
    }

    @Test
    fun announcementsInfoAndSettings() = runBlocking<Unit> {
        world.synced()
        val announcements = AnnouncementsModel(world.repo, world.scope, world.event).state.awaitState { !it.loading }
        assertTrue(announcements.announcements.isNotEmpty())
        assertTrue(announcements.announcements.all { !it.publishedAt.isAfter(world.event.now()) })

        val info = EventInfoModel(world.repo, world.scope, world.event).state.awaitState { !it.loading }
        assertEquals("E-Government Marktplatz Nordwest", info.overview?.event?.title)
        assertEquals(world.repo.infoPages(EVENT).size, info.pages.size)
        assertTrue(info.pages.zipWithNext().all { (a, b) -> a.sortOrder <= b.sortOrder })

        val settings = SettingsModel(world.repo, world.scope, world.event)
        settings.state.awaitState { it.reminderLeadMinutes != null }
        settings.setReminderLeadMinutes(24 * 60 + 1)
        assertEquals(ProblemKind.INVALID_INPUT, settings.state.awaitState { it.problem != null }.problem?.kind)
        assertEquals(10, world.repo.reminderLeadMinutes())
    }

    @Test
    fun galleryThumbnailsAreOfflineAndTheFullImageComesOnDemand() = runBlocking<Unit> {
        world.synced()
        val gallery = GalleryModel(world.repo, world.scope, world.event)
        val state = gallery.state.awaitState { !it.loading && it.tiles.isNotEmpty() }
        assertTrue("every thumbnail is on the device", state.tiles.all { it.thumbnail != null && File(it.thumbnail!!).isFile })
        val item = state.tiles.first().item
        assertNull("the sync leaves full images on the server", world.repo.cachedAssetFile(item.image))
        gallery.open(item)
        val opened = gallery.state.awaitState { it.opened?.file != null }.opened!!
        assertEquals(item.image.bytes.toLong(), File(opened.file!!).length())
        gallery.close()
        assertNull(gallery.state.value.opened)

        // Opened again, it is on the device: no download.
        gallery.open(item)
        assertEquals(opened.file, gallery.state.awaitState { it.opened?.file != null }.opened!!.file)
    }
}
