package de.marktplatz.app.model

import de.marktplatz.core.FavouriteKind
import java.net.HttpURLConnection
import java.time.Duration
import java.net.URI
import kotlinx.coroutines.runBlocking
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test

/** Several events on one phone: the picker, each event's own favourites, the last one reopened. */
class EventPickerModelTest {
    private val world = TestWorld()

    @After
    fun close() = world.close()

    @Test
    fun addingASecondEventSwitchesToItAndKeepsEachEventsFavourites() = runBlocking<Unit> {
        publishSecondEvent()
        world.synced()
        world.repo.toggleFavourite(EVENT, FavouriteKind.SESSION, "cybersicherheitsstrategie")
        val last = InMemoryLastEventStore()
        val sync = SyncCoordinator(world.repo, world.scope, world.event, world.notifier)
        val picker = EventPickerModel(world.repo, world.scope, world.event, last, sync::eventSwitched)
        assertEquals(listOf(EVENT), picker.state.awaitState { !it.loading }.events.map { it.id })

        picker.add(SECOND_EVENT).join()
        val state = picker.state.awaitState { it.events.size == 2 && it.current == SECOND_EVENT }
        assertNull(state.problem)
        assertEquals(SECOND_EVENT, world.event.eventId)
        assertEquals(SECOND_EVENT, last.load())
        assertEquals("Zweite Messe", state.events.first { it.id == SECOND_EVENT }.title)
        // The indicator moved to the second event and says when that one was synced.
        eventually("the indicator shows the second event's sync") {
            val synced = world.repo.events().first { it.id == SECOND_EVENT }.lastSyncedAt
            val shown = sync.status.value.takeIf { !it.running }?.lastUpdated
            synced != null && shown != null && Duration.between(synced, shown).abs() < Duration.ofSeconds(2)
        }

        // Screen models follow the switch: the agenda shows the second event's session.
        val agenda = AgendaModel(world.repo, world.scope, world.event)
        agenda.state.awaitState { s -> s.sessions.any { it.id == "zweite-eroeffnung" } }
        assertTrue(world.repo.favourites(world.event.eventId).isEmpty())

        picker.choose(EVENT)
        assertEquals(EVENT, last.load())
        assertEquals(listOf("cybersicherheitsstrategie"), world.repo.favourites(world.event.eventId).map { it.id })
        agenda.state.awaitState { s -> s.sessions.any { it.id == "cybersicherheitsstrategie" } }
    }

    @Test
    fun theServersListOffersTheEventsNotYetOnThePhone() = runBlocking<Unit> {
        publishSecondEvent()
        world.synced()
        val picker = EventPickerModel(world.repo, world.scope, world.event, InMemoryLastEventStore())
        val listed = picker.state.awaitState { it.serverEvents.any { e -> e.id == SECOND_EVENT } }
        // The server lists both; the one on the phone is not offered again.
        assertTrue(listed.serverEvents.any { it.id == EVENT })
        val offered = picker.state.awaitState { !it.loading }.offered
        assertEquals(listOf(SECOND_EVENT), offered.map { it.id })
        assertEquals("Zweite Messe", offered.single().title)
        assertEquals(java.time.LocalDate.of(2027, 2, 1), offered.single().firstDay)

        picker.add(offered.single().id).join()
        val after = picker.state.awaitState { it.current == SECOND_EVENT && it.events.size == 2 }
        assertTrue(after.offered.isEmpty())
    }

    @Test
    fun aServerOutOfReachLeavesTheEventsOnThePhone() = runBlocking<Unit> {
        world.synced()
        val away = EventContext(eventId = EVENT, serverUrl = "http://127.0.0.1:9")
        val picker = EventPickerModel(world.repo, world.scope, away, InMemoryLastEventStore())
        val state = picker.state.awaitState { it.serverProblem != null && !it.loading }
        assertEquals(ProblemKind.OFFLINE, state.serverProblem?.kind)
        assertNull(state.problem)
        assertEquals(listOf(EVENT), state.events.map { it.id })
    }

    @Test
    fun anEventTheServerDoesNotHaveIsAProblemAndNothingSwitches() = runBlocking<Unit> {
        world.synced()
        val last = InMemoryLastEventStore()
        val picker = EventPickerModel(world.repo, world.scope, world.event, last)
        picker.add("no-such-event").join()
        assertEquals(ProblemKind.NOT_FOUND, picker.state.value.problem?.kind)
        assertEquals(EVENT, world.event.eventId)
        assertNull(last.load())
    }

    @Test
    fun theLastEventIsReopenedAtStart() {
        assertEquals("build-event", startEventId(InMemoryLastEventStore(), "build-event"))
        assertEquals("build-event", startEventId(InMemoryLastEventStore(" "), "build-event"))
        val last = InMemoryLastEventStore()
        EventPickerModel(world.repo, world.scope, world.event, last).choose(SECOND_EVENT)
        assertEquals(SECOND_EVENT, startEventId(last, EVENT))
    }
}

const val SECOND_EVENT = "zweite-messe-2027"

/** Publishes a small second event on the test server, as an admin would (once per server). */
fun publishSecondEvent() {
    val bundle = """{
      "format": "marktplatz-bundle", "version": 1,
      "event": {"id": "$SECOND_EVENT", "title": "Zweite Messe", "venue": {"name": "Halle"},
                "timezone": "Europe/Berlin", "days": ["2027-02-01"]},
      "locations": [{"id": "halle", "name": "Halle", "kind": "hall"}],
      "sessions": [{"id": "zweite-eroeffnung", "title": "Eröffnung", "start": "2027-02-01T08:00:00Z",
                    "end": "2027-02-01T08:30:00Z", "location_id": "halle"}]
    }"""
    val connection = URI("${testServer()}/v1/events/$SECOND_EVENT/bundle").toURL().openConnection() as HttpURLConnection
    try {
        connection.requestMethod = "PUT"
        connection.setRequestProperty("Authorization", "Bearer ${adminToken()}")
        connection.setRequestProperty("Content-Type", "application/json")
        connection.doOutput = true
        connection.outputStream.use { it.write(bundle.toByteArray()) }
        check(connection.responseCode == 200) { "publishing the second event: HTTP ${connection.responseCode}" }
    } finally {
        connection.disconnect()
    }
}
