package de.marktplatz.app.model

import kotlinx.coroutines.async
import kotlinx.coroutines.runBlocking
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import org.junit.Test

/** The access code's state on the settings screen, and cancelling a running sync. */
class AccessCodeAndCancelTest {
    private val world = TestWorld()

    @After
    fun close() = world.close()

    @Test
    fun settingsShowWhetherACodeIsStoredAndChangeIt() = runBlocking<Unit> {
        val settings = SettingsModel(world.repo, world.scope, world.event)
        assertEquals(false, settings.state.awaitState { it.hasAccessCode != null }.hasAccessCode)
        settings.changeAccessCode(" badge-2027 ").join()
        assertEquals(true, settings.state.value.hasAccessCode)
        assertTrue(world.repo.hasAccessCode(EVENT))
        settings.changeAccessCode("  ").join()
        assertEquals(false, settings.state.value.hasAccessCode)
        assertFalse(world.repo.hasAccessCode(EVENT))
    }

    @Test
    fun theCodeStateFollowsTheEvent() = runBlocking<Unit> {
        world.repo.setAccessCode(EVENT, "badge-2027")
        val settings = SettingsModel(world.repo, world.scope, world.event)
        settings.state.awaitState { it.hasAccessCode == true }
        world.event.switchTo(SECOND_EVENT)
        settings.state.awaitState { it.hasAccessCode == false }
    }

    @Test
    fun cancellingARunningSyncStopsItQuietly() = runBlocking<Unit> {
        val sync = SyncCoordinator(world.repo, world.scope, world.event, world.notifier)
        val result = async { sync.sync() }
        // The first page has arrived: the sync runs and has more to fetch (the demo's photos).
        sync.status.awaitState { it.running && it.progress != null }
        sync.cancel()
        assertEquals(SyncResult.Stopped, result.await())
        val status = sync.status.value
        assertFalse(status.running)
        assertEquals(null, status.problem)
        assertEquals("nothing was notified for a stopped sync", 0, world.notifier.announcements.size)
        // The next sync carries on to the end.
        assertTrue(sync.sync() is SyncResult.Updated)
    }
}
