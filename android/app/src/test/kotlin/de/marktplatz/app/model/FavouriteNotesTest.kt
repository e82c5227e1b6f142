package de.marktplatz.app.model

import de.marktplatz.core.FavouriteKind
import kotlinx.coroutines.runBlocking
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNull
import org.junit.Test

class FavouriteNotesTest {
    private val world = TestWorld()

    @After
    fun close() = world.close()

    private fun MyAgendaState.noteOf(id: String) = agenda?.entries?.firstOrNull { it.session.id == id }?.note

    @Test
    fun aNoteIsShownInMyAgendaEditedAndCleared() = runBlocking<Unit> {
        world.synced()
        world.repo.toggleFavourite(EVENT, FavouriteKind.SESSION, "cyberangriffe-ernstfall")
        val agenda = MyAgendaModel(world.repo, world.scope, world.event)
        agenda.state.awaitState { it.agenda?.entries?.size == 1 }

        agenda.setNote("cyberangriffe-ernstfall", "  Frage zu Backups stellen ")
        agenda.state.awaitState { it.noteOf("cyberangriffe-ernstfall") == "Frage zu Backups stellen" }

        // Edited from the session detail: my agenda shows the new text.
        val detail = SessionDetailModel(world.repo, world.scope, world.event, "cyberangriffe-ernstfall")
        assertEquals("Frage zu Backups stellen", detail.state.awaitState { !it.loading }.note)
        detail.setNote("Backups und Notfallplan")
        agenda.state.awaitState { it.noteOf("cyberangriffe-ernstfall") == "Backups und Notfallplan" }
        detail.state.awaitState { it.note == "Backups und Notfallplan" }

        agenda.setNote("cyberangriffe-ernstfall", "   ")
        val cleared = agenda.state.awaitState { it.agenda?.entries?.size == 1 && it.noteOf("cyberangriffe-ernstfall") == null }
        assertNull(cleared.problem)
        assertNull(detail.state.awaitState { it.note == null }.note)
    }
}
