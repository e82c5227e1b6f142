package de.marktplatz.app.model

import de.marktplatz.bridge.MarktplatzRepository
import de.marktplatz.core.ApiException
import de.marktplatz.core.AssetRef
import de.marktplatz.core.StationEntry
import kotlinx.coroutines.runBlocking
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test

/**
 * The real store, except that the asset lookups or the station list fail as a damaged store's
 * would (the one failure a real store cannot be brought to on its own: everything else about
 * it keeps working).
 */
private class PartlyBroken(
    private val real: MarktplatzRepository,
    private val assets: Boolean = false,
    private val stations: Boolean = false,
) : MarktplatzRepository by real {
    override suspend fun cachedAssetFile(asset: AssetRef): String? =
        if (assets) throw ApiException.Storage("reading the asset cache: disk I/O error", false) else real.cachedAssetFile(asset)

    override suspend fun stations(eventId: String): List<StationEntry> =
        if (stations) throw ApiException.Storage("listing stations: disk I/O error", false) else real.stations(eventId)
}

/**
 * Only "event not synced yet" (and an asset not cached yet) stays silent; every other failure
 * of a read reaches the screen's error state (issue 21).
 */
class ProblemsReachTheScreenTest {
    private val world = TestWorld()

    @After
    fun close() = world.close()

    @Test
    fun aPausedStoreIsShownOnTheAccessibilityStatementNotAnUnsyncedEvent() = runBlocking<Unit> {
        val unsynced = AccessibilityStatementModel(world.repo, world.scope, world.event).state.awaitState { !it.loading }
        assertNull("not synced yet: no problem", unsynced.problem)
        world.synced()
        world.repo.suspendStore()
        try {
            val state = AccessibilityStatementModel(world.repo, world.scope, world.event).state.awaitState { !it.loading }
            assertEquals(ProblemKind.PAUSED, state.problem?.kind)
            assertNotNull("the statement still stands", state.statement)
        } finally {
            world.repo.resumeStore()
        }
    }

    @Test
    fun aFailingAssetLookupIsShownBesideTheContent() = runBlocking<Unit> {
        world.synced()
        // Cached, every lookup answers quietly.
        val fine = SpeakersModel(world.repo, world.scope, world.event).state.awaitState { !it.loading }
        assertNull(fine.problem)
        val broken = PartlyBroken(world.repo, assets = true)
        val speakers = SpeakersModel(broken, world.scope, world.event).state.awaitState { !it.loading }
        assertEquals(ProblemKind.STORAGE, speakers.problem?.kind)
        assertEquals("the list is still shown", world.repo.speakers(EVENT).size, speakers.speakers.size)
        val withPhoto = world.repo.speakers(EVENT).first { it.photo != null }
        val speaker = SpeakerDetailModel(broken, world.scope, world.event, withPhoto.id).state.awaitState { !it.loading }
        assertEquals(ProblemKind.STORAGE, speaker.problem?.kind)
        val info = EventInfoModel(broken, world.scope, world.event).state.awaitState { !it.loading }
        assertEquals("the hall plan's lookup failed", ProblemKind.STORAGE, info.problem?.kind)
        assertNotNull(info.overview)
        val logo = world.repo.exhibitors(EVENT).firstOrNull { it.exhibitor.logo != null }
        if (logo != null) {
            val exhibitor = ExhibitorDetailModel(broken, world.scope, world.event, logo.exhibitor.id).state.awaitState { !it.loading }
            assertEquals(ProblemKind.STORAGE, exhibitor.problem?.kind)
        }
    }

    @Test
    fun aFailingThumbnailLookupIsShownBesideTheGallery() = runBlocking<Unit> {
        world.synced()
        val fine = GalleryModel(world.repo, world.scope, world.event).state.awaitState { !it.loading }
        assertNull("every thumbnail cached: no problem", fine.problem)
        val broken = GalleryModel(PartlyBroken(world.repo, assets = true), world.scope, world.event)
            .state.awaitState { !it.loading }
        assertEquals(ProblemKind.STORAGE, broken.problem?.kind)
        assertEquals("reading the asset cache: disk I/O error", broken.problem?.detail)
        assertEquals("the tiles are still shown, as placeholders", fine.tiles.map { it.item.id }, broken.tiles.map { it.item.id })
        assertTrue(broken.tiles.all { it.thumbnail == null })
    }

    @Test
    fun aFailingSpeakerPhotoLookupIsShownBesideTheSession() = runBlocking<Unit> {
        world.synced()
        val session = world.repo.speakers(EVENT).filter { it.photo != null }
            .firstNotNullOf { world.repo.sessionsOfSpeaker(EVENT, it.id).firstOrNull() }
        val fine = SessionDetailModel(world.repo, world.scope, world.event, session.id).state.awaitState { !it.loading }
        assertNull(fine.problem)
        assertTrue("the photo is cached", fine.speakerPhotos.isNotEmpty())
        val broken = SessionDetailModel(PartlyBroken(world.repo, assets = true), world.scope, world.event, session.id)
            .state.awaitState { !it.loading }
        assertEquals(ProblemKind.STORAGE, broken.problem?.kind)
        assertEquals("the session is still shown", session.id, broken.detail?.summary?.id)
        assertTrue(broken.speakerPhotos.isEmpty())
    }

    @Test
    fun theOrganiserSeesWhyItsListsAreEmpty() = runBlocking<Unit> {
        world.synced()
        val organiser = OrganiserModel(PartlyBroken(world.repo, stations = true), world.scope, world.event)
        val state = organiser.state.awaitState { it.problem != null }
        assertEquals(ProblemKind.STORAGE, state.problem?.kind)
        assertEquals("listing stations: disk I/O error", state.problem?.detail)
    }
}
