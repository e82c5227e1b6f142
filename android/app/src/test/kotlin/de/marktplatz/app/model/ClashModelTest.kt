package de.marktplatz.app.model

import de.marktplatz.core.FavouriteKind
import kotlinx.coroutines.runBlocking
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import org.junit.Test

class ClashModelTest : TwoPhones() {
    @Test
    fun theirSessionsAreMarkedAgainstMineAndAddTheirsAddsThem() = runBlocking<Unit> {
        friend.synced()
        // 10:55–11:35 in the forum, 11:40–12:10 in the forum, 13:15–13:55 keynote.
        for (id in listOf("cyberangriffe-ernstfall", "cybersicherheitsstrategie", "keynote-e-rechnung")) {
            friend.repo.toggleFavourite(EVENT, FavouriteKind.SESSION, id)
        }
        val code = friend.repo.shareCode(EVENT)

        me.synced()
        // 11:00–11:30 at the IT security station clashes with their 10:55 talk; the keynote is mine too.
        me.repo.toggleFavourite(EVENT, FavouriteKind.SESSION, "station-phishing-parcours")
        me.repo.toggleFavourite(EVENT, FavouriteKind.SESSION, "keynote-e-rechnung")
        val model = ClashModel(me.repo, me.scope, me.event, code)
        val state = model.state.awaitState { !it.loading }
        assertEquals(listOf("cyberangriffe-ernstfall", "cybersicherheitsstrategie", "keynote-e-rechnung"), state.theirs.map { it.session.id })
        val byId = state.theirs.associateBy { it.session.id }
        assertEquals(listOf("station-phishing-parcours"), byId.getValue("cyberangriffe-ernstfall").clashesWith)
        assertTrue(byId.getValue("keynote-e-rechnung").mine)
        assertEquals(listOf("cybersicherheitsstrategie"), state.addable.map { it.session.id })
        assertEquals(setOf("station-phishing-parcours", "keynote-e-rechnung"), state.mine.map { it.id }.toSet())

        model.addAllNonClashing()
        val afterAll = model.state.awaitState { it.theirs.any { s -> s.session.id == "cybersicherheitsstrategie" && s.mine } }
        assertTrue(me.repo.isFavourite(EVENT, FavouriteKind.SESSION, "cybersicherheitsstrategie"))
        assertFalse(me.repo.isFavourite(EVENT, FavouriteKind.SESSION, "cyberangriffe-ernstfall"))
        assertTrue(afterAll.addable.isEmpty())

        model.addTheirs("cyberangriffe-ernstfall")
        model.state.awaitState { it.theirs.all { s -> s.mine } }
        assertTrue(me.repo.isFavourite(EVENT, FavouriteKind.SESSION, "cyberangriffe-ernstfall"))
    }
}
