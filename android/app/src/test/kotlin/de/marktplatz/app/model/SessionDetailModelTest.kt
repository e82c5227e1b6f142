package de.marktplatz.app.model

import de.marktplatz.core.FavouriteKind
import kotlinx.coroutines.runBlocking
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import org.junit.Test

class SessionDetailModelTest {
    private val world = TestWorld()

    @After
    fun close() = world.close()

    @Test
    fun speakersPlaceFavouriteAndCalendar() = runBlocking<Unit> {
        world.synced()
        val model = SessionDetailModel(world.repo, world.scope, world.event, "digitales-archiv-gemeinsam")
        val state = model.state.awaitState { !it.loading }
        val detail = state.detail!!
        assertEquals(listOf("sp-meyerdierks", "sp-brueggemann"), detail.speakers.map { it.id })
        assertEquals(detail.summary.locationId, detail.location?.id)
        assertFalse(state.favourite)

        model.toggleFavourite()
        model.state.awaitState { it.favourite }
        assertTrue(world.repo.isFavourite(EVENT, FavouriteKind.SESSION, "digitales-archiv-gemeinsam"))

        val ics = model.calendarFile()!!
        assertTrue(ics.startsWith("BEGIN:VCALENDAR"))
        assertEquals(1, Regex("BEGIN:VEVENT").findAll(ics).count())
        assertTrue(ics.contains("Digitales Archiv"))
    }

    @Test
    fun anUnknownSessionIsNotFound() = runBlocking<Unit> {
        world.synced()
        val model = SessionDetailModel(world.repo, world.scope, world.event, "no-such-session")
        assertEquals(ProblemKind.NOT_FOUND, model.state.awaitState { !it.loading }.problem?.kind)
    }
}
