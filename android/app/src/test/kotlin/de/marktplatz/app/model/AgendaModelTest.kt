package de.marktplatz.app.model

import kotlinx.coroutines.runBlocking
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test

class AgendaModelTest {
    private val world = TestWorld()

    @After
    fun close() = world.close()

    @Test
    fun opensOnTheFairDayWithNowAndNext() = runBlocking<Unit> {
        world.synced()
        val model = AgendaModel(world.repo, world.scope, world.event)
        val state = model.state.awaitState { !it.loading }
        assertEquals(listOf(FAIR_DAY), state.days)
        assertEquals(FAIR_DAY, state.day)
        assertEquals(world.repo.overview(EVENT).sessionCount.toInt(), state.sessions.size)
        assertTrue("in start order", state.sessions.zipWithNext().all { (a, b) -> !a.start.isAfter(b.start) })
        assertTrue("now: ${state.now.map { it.id }}", state.now.any { it.id == "cyberangriffe-ernstfall" })
        assertTrue("next: ${state.next.map { it.id }}", state.next.any { it.id == "station-evergabe" })
        assertTrue("nothing running now is listed as next", state.next.none { n -> state.now.any { it.id == n.id } })
    }

    @Test
    fun theStarFollowsTheFavourite() = runBlocking<Unit> {
        world.synced()
        val model = AgendaModel(world.repo, world.scope, world.event)
        model.state.awaitState { !it.loading }
        model.toggleFavourite("keynote-e-rechnung")
        model.state.awaitState { "keynote-e-rechnung" in it.favourites }
        model.toggleFavourite("keynote-e-rechnung")
        model.state.awaitState { "keynote-e-rechnung" !in it.favourites }
        assertTrue(world.repo.favourites(EVENT).isEmpty())
    }

    @Test
    fun beforeTheFirstSyncItSaysSoThenFillsInWhenTheSyncLands() = runBlocking<Unit> {
        val model = AgendaModel(world.repo, world.scope, world.event)
        val empty = model.state.awaitState { !it.loading }
        assertEquals(ProblemKind.NOT_FOUND, empty.problem?.kind)
        assertTrue(empty.sessions.isEmpty())
        // The coordinator hears the sync and tells the screens to reload.
        val sync = SyncCoordinator(world.repo, world.scope, world.event, world.notifier)
        assertTrue(sync.sync() is SyncResult.Updated)
        val filled = model.state.awaitState { it.sessions.isNotEmpty() }
        assertEquals(null, filled.problem)
        assertEquals(FAIR_DAY, filled.day)
    }
}
