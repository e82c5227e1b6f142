package de.marktplatz.app.model

import de.marktplatz.core.FavouriteKind
import kotlinx.coroutines.runBlocking
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test

class MyAgendaModelTest {
    private val world = TestWorld()

    @After
    fun close() = world.close()

    @Test
    fun overlappingFavouritesAreMarkedAsConflicts() = runBlocking<Unit> {
        world.synced()
        val model = MyAgendaModel(world.repo, world.scope, world.event)
        model.state.awaitState { !it.loading }
        // 10:55–11:35 in the forum and 11:00–11:30 at the IT security station.
        world.repo.toggleFavourite(EVENT, FavouriteKind.SESSION, "cyberangriffe-ernstfall")
        world.repo.toggleFavourite(EVENT, FavouriteKind.SESSION, "station-phishing-parcours")
        world.repo.toggleFavourite(EVENT, FavouriteKind.SPEAKER, "sp-janssen")
        world.event.changes.changed()
        val state = model.state.awaitState { it.agenda?.entries?.size == 2 }
        val agenda = state.agenda!!
        assertEquals(FAIR_DAY, state.day)
        assertEquals(2u, agenda.conflictCount)
        assertEquals(listOf("station-phishing-parcours"), agenda.entries.first { it.session.id == "cyberangriffe-ernstfall" }.conflictsWith)
        assertEquals(listOf("sp-janssen"), state.others.map { it.id })

        model.removeFavourite(FavouriteKind.SESSION, "station-phishing-parcours")
        val after = model.state.awaitState { it.agenda?.entries?.size == 1 }
        assertEquals(0u, after.agenda!!.conflictCount)
        val ics = model.calendarFile()!!
        assertEquals(1, Regex("BEGIN:VEVENT").findAll(ics).count())
        assertTrue(ics.contains("Cyberangriffe"))
    }
}
