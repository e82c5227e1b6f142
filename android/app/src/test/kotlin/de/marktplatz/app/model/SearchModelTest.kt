package de.marktplatz.app.model

import de.marktplatz.core.EntityKind
import de.marktplatz.core.Highlight
import de.marktplatz.core.SearchQuery
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test

class SearchModelTest {
    private val world = TestWorld()

    @After
    fun close() = world.close()

    @Test
    fun typingSearchesEachKeystrokeAndMarksTheHits() = runBlocking<Unit> {
        world.synced()
        SearchModel(world.repo, world.scope, world.event).use { search ->
            // Typed fast, as a person would: only the last keystroke's results remain.
            for (prefix in listOf("B", "Bu", "Bue", "Buer", "Buerger", "Buergeramt")) search.onTextChange(prefix)
            val state = search.state.awaitState { it.text == "Buergeramt" && !it.searching && it.results.isNotEmpty() }
            val top = state.results.first()
            // The transliteration finds the umlaut, and the mark covers the word as written.
            val marked = top.title.marks.map { top.title.text.substring(it) } + top.context.marks.map { top.context.text.substring(it) }
            assertTrue("marks: $marked in ${top.title.text} / ${top.context.text}", marked.any { it.startsWith("Bürgeramt") })
        }
    }

    @Test
    fun theLastKeystrokeAlwaysGetsItsResultsHoweverTheSearchesInterleave() = runBlocking<Unit> {
        world.synced()
        // Keystrokes race to the core on several threads; an older one arriving late must not
        // cancel the newest search and leave the field spinning without results.
        val words = listOf("Buergeramt", "Rosenboom", "Rechnung", "Station", "Cyber")
        SearchModel(world.repo, world.scope, world.event).use { search ->
            repeat(1500) { round ->
                val word = words[round % words.size]
                for (end in 1..word.length) {
                    search.onTextChange(word.substring(0, end))
                    // Now and then the field is cleared mid-word, as people do.
                    if (end == 3 && round % 4 == 0) search.onTextChange("")
                }
                val settled = search.state.awaitState { it.text == word && !it.searching }
                assertEquals("round $round: $word", null, settled.problem)
                assertTrue("round $round: no results for $word", settled.results.isNotEmpty())
            }
        }
    }

    @Test
    fun theResultsShownAreTheLastKeystrokesAndSayWhenAndWhere() = runBlocking<Unit> {
        world.synced()
        SearchModel(world.repo, world.scope, world.event).use { search ->
            val typed = listOf("R", "Ro", "Rosen", "Rosenboom", "", "C", "Cy", "Cyber", "Cyberangriffe")
            for (text in typed) search.onTextChange(text)
            val shown = search.state.awaitState { it.text == "Cyberangriffe" && !it.searching }
            val last = SearchQuery(
                text = "Cyberangriffe", eventId = EVENT, kinds = emptyList(), day = null, trackId = null,
                locationId = null, favouritesOnly = false, upcomingOnly = false, now = world.event.now(), limit = 40u,
            )
            val expected = world.repo.search(last).map { it.id }
            assertTrue(expected.isNotEmpty())
            assertEquals(expected, shown.results.map { it.hit.id })
            // No older keystroke's answer arrives afterwards to replace them.
            delay(300)
            assertEquals(expected, search.state.value.results.map { it.hit.id })
            val talk = shown.results.first { it.hit.id == "cyberangriffe-ernstfall" }.hit.whenAndWhere
            assertEquals("10:55", talk?.localStart)
            assertEquals("11:35", talk?.localEnd)
            assertEquals("Forum", talk?.place)
        }
    }

    @Test
    fun aKindFilterAndClearingTheField() = runBlocking<Unit> {
        world.synced()
        SearchModel(world.repo, world.scope, world.event).use { search ->
            search.onTextChange("Rosenboom")
            val all = search.state.awaitState { !it.searching && it.results.isNotEmpty() }
            assertTrue("a speaker and their sessions", all.results.map { it.hit.kind }.toSet().size > 1)
            search.onKindChange(EntityKind.SPEAKER)
            val speakers = search.state.awaitState { it.kind == EntityKind.SPEAKER && !it.searching }
            assertEquals(listOf(EntityKind.SPEAKER), speakers.results.map { it.hit.kind }.distinct())
            search.onTextChange("   ")
            val cleared = search.state.awaitState { it.text == "   " }
            assertTrue(cleared.results.isEmpty())
            assertEquals(null, cleared.problem)
        }
    }

    @Test
    fun marksCountCharactersNotUtf16Units() {
        // "😀" is one character for the core, two UTF-16 units for Kotlin.
        val marked = markedText("😀 Bürgeramt öffnet", listOf(Highlight(2u, 11u), Highlight(12u, 99u), Highlight(5u, 5u)))
        assertEquals(listOf("Bürgeramt"), marked.marks.map { marked.text.substring(it) })
    }
}
