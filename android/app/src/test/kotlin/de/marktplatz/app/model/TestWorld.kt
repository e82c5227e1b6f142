package de.marktplatz.app.model

import de.marktplatz.bridge.CoreRepository
import de.marktplatz.core.Announcement
import de.marktplatz.core.ChangeAlert
import de.marktplatz.core.Reminder
import java.io.File
import java.nio.file.Files
import java.time.Clock
import java.time.Instant
import java.time.LocalDate
import java.time.ZoneOffset
import java.util.concurrent.CopyOnWriteArrayList
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.withTimeout

const val EVENT = "egov-marktplatz-nordwest-2027"
val FAIR_DAY: LocalDate = LocalDate.of(2027, 2, 1)
/** 11:10 in Delmenhorst on the fair day: the cyber-attack talk runs, the eVergabe talk is next. */
val ELEVEN_TEN: Instant = Instant.parse("2027-02-01T10:10:00Z")

fun testServer(): String = System.getenv("MARKTPLATZ_TEST_SERVER")
    ?: error("MARKTPLATZ_TEST_SERVER is not set: run scripts/test-kotlin.sh")

fun organiserToken(): String = System.getenv("MARKTPLATZ_TEST_ORGANISER_TOKEN")
    ?: error("MARKTPLATZ_TEST_ORGANISER_TOKEN is not set: run scripts/test-kotlin.sh")

fun adminToken(): String = System.getenv("MARKTPLATZ_TEST_ADMIN_TOKEN")
    ?: error("MARKTPLATZ_TEST_ADMIN_TOKEN is not set: run scripts/test-kotlin.sh")

/**
 * One phone: a real store in a temporary folder (the host-built library through JNA), the
 * real demo server from scripts/test-kotlin.sh, a clock fixed on the fair day, and a scope
 * standing in for viewModelScope.
 */
class TestWorld(
    serverUrl: String = testServer(),
    at: Instant = ELEVEN_TEN,
) : AutoCloseable {
    val dir: File = Files.createTempDirectory("marktplatz-app").toFile()
    val repo: CoreRepository = CoreRepository.open(dir.path)
    val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)
    val event = EventContext(EVENT, serverUrl, Clock.fixed(at, ZoneOffset.UTC))
    val notifier = RecordingNotifier()

    /** Brings the store up to date from the test server (not through the models). */
    suspend fun synced(): TestWorld = apply { repo.sync(EVENT, testServer()) }

    override fun close() {
        scope.cancel()
        repo.close()
        dir.deleteRecursively()
    }
}

/** What the models asked the platform to notify. */
class RecordingNotifier : Notifier {
    /** Every list of reminders handed over, latest last. */
    val reminderLists = CopyOnWriteArrayList<List<Reminder>>()
    val alerts = CopyOnWriteArrayList<ChangeAlert>()
    val announcements = CopyOnWriteArrayList<Announcement>()

    override fun replaceReminders(reminders: List<Reminder>) {
        reminderLists.add(reminders)
    }

    override fun showChangeAlerts(alerts: List<ChangeAlert>) {
        this.alerts.addAll(alerts)
    }

    override fun showAnnouncements(announcements: List<Announcement>) {
        this.announcements.addAll(announcements)
    }
}

/** The first state matching [predicate], within ten seconds. */
suspend fun <T> StateFlow<T>.awaitState(predicate: (T) -> Boolean): T =
    withTimeout(10_000) { first(predicate) }

/** Polls [condition] until it holds, within ten seconds (for things that are not flows). */
suspend fun eventually(what: String, condition: suspend () -> Boolean) {
    val deadline = System.nanoTime() + 10_000_000_000
    while (!condition()) {
        if (System.nanoTime() > deadline) throw AssertionError("timed out waiting for: $what")
        kotlinx.coroutines.delay(20)
    }
}
