package de.marktplatz.app.model

import de.marktplatz.core.FavouriteKind
import kotlinx.coroutines.runBlocking
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test

class MyNowNextTest {
    private val world = TestWorld()

    @After
    fun close() = world.close()

    @Test
    fun myAgendaShowsWhatOfMyFavouritesRunsNowAndNext() = runBlocking<Unit> {
        world.synced()
        val model = MyAgendaModel(world.repo, world.scope, world.event)
        val none = model.state.awaitState { !it.loading }
        assertTrue(none.mineNow.isEmpty() && none.mineNext.isEmpty())

        // At 11:10 the cyber-attack talk runs (10:55–11:35); the strategy talk follows at 11:40.
        world.repo.toggleFavourite(EVENT, FavouriteKind.SESSION, "cyberangriffe-ernstfall")
        world.repo.toggleFavourite(EVENT, FavouriteKind.SESSION, "cybersicherheitsstrategie")
        world.event.changes.changed()
        val state = model.state.awaitState { it.mineNow.isNotEmpty() }
        assertEquals(listOf("cyberangriffe-ernstfall"), state.mineNow.map { it.id })
        assertEquals(listOf("cybersicherheitsstrategie"), state.mineNext.map { it.id })
    }
}
