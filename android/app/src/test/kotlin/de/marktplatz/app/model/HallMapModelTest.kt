package de.marktplatz.app.model

import de.marktplatz.core.LocationKind
import java.io.File
import kotlinx.coroutines.runBlocking
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test

/** The hall plan over the synced demo event: pins from the stations' positions. */
class HallMapModelTest {
    private val world = TestWorld()

    @After
    fun close() = world.close()

    @Test
    fun pinsAreTheStationsPositionsInHallOrder() = runBlocking<Unit> {
        world.synced()
        val state = HallMapModel(world.repo, world.scope, world.event).state.awaitState { !it.loading }
        val stations = world.repo.stations(EVENT)
        val placed = stations.filter { it.location.position != null }
        assertEquals(placed.map { it.location.id }, state.pins.map { it.stationId })
        for (station in placed) {
            val pin = state.pins.single { it.stationId == station.location.id }
            assertEquals(station.location.position?.x, pin.x)
            assertEquals(station.location.position?.y, pin.y)
            assertEquals(station.location.name, pin.label)
        }
        assertEquals(10, state.pins.count { id -> stations.any { it.location.id == id.stationId && it.location.kind == LocationKind.STATION } })
        assertTrue("the plan is on the device", File(state.mapFile ?: "").isFile)
        assertNull(state.highlighted)
    }

    @Test
    fun placesWithoutAPositionAreListedButNotPinned() = runBlocking<Unit> {
        world.synced()
        val state = HallMapModel(world.repo, world.scope, world.event).state.awaitState { !it.loading }
        // The hall itself has no position: it is the plan.
        val hall = state.list.single { it.stationId == "markthalle" }
        assertFalse(hall.pinned)
        assertTrue(state.pins.none { it.stationId == "markthalle" })
        assertEquals("every place is in the list", world.repo.stations(EVENT).size, state.list.size)
        assertEquals("the unplaced come last", "markthalle", state.list.last().stationId)
    }

    @Test
    fun theListReadsThePlanTopToBottomThenLeftToRight() = runBlocking<Unit> {
        world.synced()
        val list = HallMapModel(world.repo, world.scope, world.event).state.awaitState { !it.loading }.list
        val ids = list.map { it.stationId }
        // The forum is at the top; the first row of stations runs left to right; the foyer
        // (y 0.9) and the seminar room (y 0.88) share the bottom row, the foyer being left.
        assertEquals("forum", ids.first())
        assertEquals(
            listOf("station-egov-intern", "station-online-services", "station-finanzen-beschaffung", "station-it-sicherheit", "station-digitales-archiv"),
            ids.subList(1, 6),
        )
        assertEquals(listOf("foyer", "seminarraum", "markthalle"), ids.takeLast(3))
    }

    @Test
    fun showOnMapHighlightsAStationOrTheSessionsPlace() = runBlocking<Unit> {
        world.synced()
        val station = HallMapModel(world.repo, world.scope, world.event, MapFocus.Station("station-it-sicherheit"))
        assertEquals("station-it-sicherheit", station.state.awaitState { !it.loading }.highlighted)

        val session = world.repo.agenda(EVENT, FAIR_DAY).first { it.locationId != null }
        val fromSession = HallMapModel(world.repo, world.scope, world.event, MapFocus.Session(session.id))
        val state = fromSession.state.awaitState { !it.loading }
        assertEquals(session.locationId, state.highlighted)
        assertTrue("the session's place has a pin", state.pins.any { it.stationId == session.locationId })
    }

    @Test
    fun anUnknownSessionIsAProblemNotAnEmptyMap() = runBlocking<Unit> {
        world.synced()
        val state = HallMapModel(world.repo, world.scope, world.event, MapFocus.Session("no-such-session"))
            .state.awaitState { it.problem != null }
        assertEquals(ProblemKind.NOT_FOUND, state.problem?.kind)
    }
}
