package de.marktplatz.app.model

import de.marktplatz.core.FavouriteKind
import kotlinx.coroutines.runBlocking
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNull
import org.junit.Test

class ShareModelTest : TwoPhones() {
    @Test
    fun aCodeIsFoundBareWithSpacesOrInALink() {
        assertEquals("ABCD2345", shareCodeIn("  ABCD2345\n"))
        assertEquals("ABCD-2345", shareCodeIn("ABCD-2345"))
        assertEquals("ABCD2345", shareCodeIn("https://example.org/events/x/calendar.ics?track=a&favourites=ABCD2345"))
        assertEquals("ABCD2345", shareCodeIn("marktplatz://share/ABCD2345/"))
        assertNull(shareCodeIn("https://example.org"))
        assertNull(shareCodeIn("   "))
    }

    @Test
    fun aFriendsCodeFromALinkIsReadAndABrokenOneIsAProblem() = runBlocking<Unit> {
        friend.synced()
        friend.repo.toggleFavourite(EVENT, FavouriteKind.SESSION, "cyberangriffe-ernstfall")
        val friendsCode = ShareModel(friend.repo, friend.scope, friend.event).state.awaitState { it.code != null }.code!!

        me.synced()
        val model = ShareModel(me.repo, me.scope, me.event)
        val mine = model.state.awaitState { !it.loading }
        assertNull(mine.problem)
        assertEquals(me.repo.shareCode(EVENT), mine.code)

        model.read("https://example.org/e/calendar.ics?favourites=$friendsCode")
        assertEquals(friendsCode, model.state.awaitState { it.friendCode != null }.friendCode)
        model.friendOpened()
        assertNull(model.state.value.friendCode)

        model.read("not a code!")
        val broken = model.state.awaitState { it.readProblem != null }
        assertEquals(ProblemKind.INVALID_INPUT, broken.readProblem!!.kind)
        assertNull(broken.friendCode)

        model.read("  ")
        assertEquals(ProblemKind.INVALID_INPUT, model.state.value.readProblem!!.kind)
    }
}
