package de.marktplatz.app.model

import de.marktplatz.bridge.CoreRepository
import de.marktplatz.core.AlertChange
import de.marktplatz.core.FavouriteKind
import de.marktplatz.core.Op
import de.marktplatz.core.Priority
import java.net.HttpURLConnection
import java.net.URI
import java.nio.file.Files
import java.time.Duration
import java.time.Instant
import java.util.UUID
import kotlinx.coroutines.async
import kotlinx.coroutines.runBlocking
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertSame
import org.junit.Assert.assertTrue
import org.junit.Test

class SyncCoordinatorTest {
    private val world = TestWorld()

    @After
    fun close() = world.close()

    @Test
    fun aSyncUpdatesTheIndicatorAndRemindersFollowFavouritesAndTheLeadTime() = runBlocking<Unit> {
        val sync = SyncCoordinator(world.repo, world.scope, world.event, world.notifier)
        assertEquals(null, sync.status.value.lastUpdated)
        val result = sync.sync()
        assertTrue("$result", result is SyncResult.Updated)
        val status = sync.status.awaitState { it.lastUpdated != null && !it.running }
        assertEquals(null, status.problem)

        // 13:15 local = 12:15 UTC; the default lead is ten minutes.
        world.repo.toggleFavourite(EVENT, FavouriteKind.SESSION, "keynote-e-rechnung")
        world.event.changes.changed()
        eventually("the reminder is scheduled") { world.notifier.reminderLists.lastOrNull()?.size == 1 }
        val reminder = world.notifier.reminderLists.last().single()
        assertEquals("keynote-e-rechnung", reminder.sessionId)
        assertEquals(Duration.ofMinutes(10), Duration.between(reminder.fireAt, reminder.sessionStart))

        val settings = SettingsModel(world.repo, world.scope, world.event)
        settings.state.awaitState { it.reminderLeadMinutes == 10 }
        settings.setReminderLeadMinutes(30)
        eventually("the reminder moves") {
            world.notifier.reminderLists.last().singleOrNull()?.let {
                Duration.between(it.fireAt, it.sessionStart) == Duration.ofMinutes(30)
            } ?: false
        }
        // Same session, same notification id: rescheduling replaces, never duplicates.
        assertEquals(reminder.notificationId, world.notifier.reminderLists.last().single().notificationId)
    }

    @Test
    fun aProtectedEventAsksForItsCodeAndSyncsOnceItIsEntered() = runBlocking<Unit> {
        world.synced()
        val before = world.repo.agenda(EVENT, FAIR_DAY)
        val sync = SyncCoordinator(world.repo, world.scope, world.event, world.notifier)
        setAccessCode("Markthalle 2027")
        try {
            // No code on the phone: the problem asks for one; the stored programme stays.
            val refused = sync.sync()
            assertEquals(ProblemKind.ACCESS_CODE, (refused as SyncResult.Failed).problem.kind)
            assertTrue(refused.problem.detail, refused.problem.detail.contains(EVENT))
            assertEquals(ProblemKind.ACCESS_CODE, sync.status.value.problem?.kind)
            assertEquals(before, world.repo.agenda(EVENT, FAIR_DAY))

            // Mistyped: told it was wrong, not asked as if none had been given.
            val wrong = sync.enterAccessCode("Markthalle 2026")
            assertEquals(ProblemKind.ACCESS_CODE_WRONG, (wrong as SyncResult.Failed).problem.kind)
            assertTrue(world.repo.hasAccessCode(EVENT))

            val opened = sync.enterAccessCode(" Markthalle 2027 ")
            assertTrue("$opened", opened is SyncResult.Updated)
            assertEquals(null, sync.status.value.problem)
            // Later syncs (the background job) send the stored code by themselves.
            assertTrue(sync.sync() is SyncResult.Updated)

            // A code the core would never send is refused before it is stored.
            val invalid = sync.enterAccessCode("zeile\nzwei")
            assertEquals(ProblemKind.INVALID_INPUT, (invalid as SyncResult.Failed).problem.kind)
        } finally {
            setAccessCode(null)
        }
    }

    @Test
    fun offlineKeepsTheContentAndSaysSoQuietly() = runBlocking<Unit> {
        world.synced()
        val before = world.repo.agenda(EVENT, FAIR_DAY)
        val offline = EventContext(EVENT, "http://127.0.0.1:9", world.event.clock)
        val sync = SyncCoordinator(world.repo, world.scope, offline, world.notifier)
        val lastUpdated = sync.status.awaitState { it.lastUpdated != null }.lastUpdated
        val result = sync.sync()
        assertEquals(ProblemKind.OFFLINE, (result as SyncResult.Failed).problem.kind)
        val status = sync.status.awaitState { !it.running }
        assertEquals(ProblemKind.OFFLINE, status.problem?.kind)
        assertEquals("the last update stays what it was", lastUpdated, status.lastUpdated)
        assertEquals(before, world.repo.agenda(EVENT, FAIR_DAY))
    }

    @Test
    fun twoCallersShareOneSync() = runBlocking<Unit> {
        val sync = SyncCoordinator(world.repo, world.scope, world.event, world.notifier)
        val first = async { sync.sync() }
        val second = async { sync.sync() }
        val (a, b) = first.await() to second.await()
        assertTrue("$a", a is SyncResult.Updated)
        // Not "a sync of this event is already running": the second waited for the first.
        assertSame(a, b)
    }

    @Test
    fun aChangedFavouriteIsNotifiedOnceAndMarkedInMyAgenda() = runBlocking<Unit> {
        val session = "station-datenportal"
        val sync = SyncCoordinator(world.repo, world.scope, world.event, world.notifier)
        sync.sync()
        val from = world.repo.sessionDetail(EVENT, session).summary.locationId!!
        val to = world.repo.locations(EVENT).first { it.id != from && it.id.startsWith("station-") }.id
        world.repo.toggleFavourite(EVENT, FavouriteKind.SESSION, session)
        val myAgenda = MyAgendaModel(world.repo, world.scope, world.event)
        myAgenda.state.awaitState { it.agenda?.entries?.size == 1 }

        organiserMoves(session, to)
        try {
            assertTrue(sync.sync() is SyncResult.Updated)
            eventually("the alert is notified") { world.notifier.alerts.isNotEmpty() }
            val alert = world.notifier.alerts.single()
            assertEquals(session, alert.sessionId)
            assertEquals(listOf(AlertChange.RELOCATED), alert.changes)
            val marked = myAgenda.state.awaitState { session in it.alerts }
            assertEquals(to, marked.alerts.getValue(session).new.locationId)

            // Nothing new: no second notification, the mark stays until seen.
            sync.sync()
            assertEquals(1, world.notifier.alerts.size)
            myAgenda.markAllSeen()
            myAgenda.state.awaitState { it.alerts.isEmpty() }
        } finally {
            organiserMoves(session, from)
        }
    }

    @Test
    fun whileFollowingAnUrgentAnnouncementIsNotifiedOnceAndNormalOrExpiredOnesNever() = runBlocking<Unit> {
        val sync = SyncCoordinator(world.repo, world.scope, world.event, world.notifier)
        assertTrue(sync.sync() is SyncResult.Updated)
        assertTrue("the first sync's backlog is not news", world.notifier.announcements.isEmpty())
        sync.startFollowing()
        try {
            val tag = UUID.randomUUID().toString().take(8)
            val now = Instant.now()
            organiserSends(Op.AnnouncementCreate("normal-$tag", "Kaffee im Foyer", "", Priority.NORMAL, now.minusSeconds(5), null))
            organiserSends(Op.AnnouncementCreate("expired-$tag", "Einlass verschoben", "", Priority.URGENT, now.minusSeconds(60), now.minusSeconds(30)))
            organiserSends(Op.AnnouncementCreate("urgent-$tag", "Raumänderung: Forum jetzt im Seminarraum", "Ab 11 Uhr.", Priority.URGENT, now.minusSeconds(5), null))
            // Followed, not synced: no sync is started here.
            eventually("the urgent announcement is notified") { world.notifier.announcements.isNotEmpty() }
            assertEquals(listOf("urgent-$tag"), world.notifier.announcements.map { it.id })
            // A later sync hands out nothing again.
            assertTrue(sync.sync() is SyncResult.Updated)
            assertEquals(1, world.notifier.announcements.size)
        } finally {
            sync.stopFollowing()
        }
    }

    /** An organiser's phone (its own store) moves a session on the server. */
    private suspend fun organiserMoves(session: String, to: String) = organiserSends(Op.SessionMove(session, to))

    /** An organiser's phone (its own store) sends [op] to the server. */
    private suspend fun organiserSends(op: Op) {
        val dir = Files.createTempDirectory("marktplatz-organiser").toFile()
        CoreRepository.open(dir.path).use { organiser ->
            organiser.sync(EVENT, testServer())
            organiser.signInAsOrganiser(EVENT, testServer(), organiserToken())
            organiser.queue(EVENT, op)
            val report = organiser.push(EVENT)
            assertEquals("the operation was accepted: $report", 1u, report.accepted)
        }
        dir.deleteRecursively()
    }
}

/** Protects the test server's event with [code] (null: public again), as an admin would. */
private fun setAccessCode(code: String?) {
    val url = URI("${testServer()}/v1/admin/events/$EVENT/access-code").toURL()
    val connection = url.openConnection() as HttpURLConnection
    try {
        connection.requestMethod = if (code == null) "DELETE" else "PUT"
        connection.setRequestProperty("Authorization", "Bearer ${adminToken()}")
        if (code != null) {
            connection.doOutput = true
            connection.setRequestProperty("Content-Type", "application/json")
            connection.outputStream.use { it.write("""{"code":"$code"}""".toByteArray()) }
        }
        check(connection.responseCode == 200) { "setting the access code: HTTP ${connection.responseCode}" }
    } finally {
        connection.disconnect()
    }
}
