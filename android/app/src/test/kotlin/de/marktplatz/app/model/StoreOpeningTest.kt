package de.marktplatz.app.model

import de.marktplatz.bridge.CoreRepository
import de.marktplatz.core.ApiException
import java.nio.file.Files
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.cancel
import kotlinx.coroutines.runBlocking
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNull
import org.junit.Assert.assertSame
import org.junit.Assert.assertTrue
import org.junit.Assert.fail
import org.junit.Test

class StoreOpeningTest {
    private val opener = Executors.newSingleThreadExecutor { Thread(it, "store-opener") }
    private val dispatcher = opener.asCoroutineDispatcher()
    private val scope = CoroutineScope(SupervisorJob())
    private val dir = Files.createTempDirectory("marktplatz-opening").toFile()

    @After
    fun close() {
        scope.cancel()
        dispatcher.close()
        dir.deleteRecursively()
    }

    @Test
    fun theStoreOpensOnTheGivenDispatcherNotTheCallersThreadAndScreensSeeOpeningUntilThen() = runBlocking<Unit> {
        val release = CountDownLatch(1)
        var openedOn: String? = null
        val opening = StoreOpening(scope, dispatcher) {
            openedOn = Thread.currentThread().name
            check(release.await(10, TimeUnit.SECONDS)) { "the test never released the opening" }
            CoreRepository.open(dir.path)
        }
        assertEquals(OpenState.Opening, opening.state.value)
        assertNull(opening.current)

        release.countDown()
        val repo = opening.await()
        assertEquals("store-opener", openedOn)
        assertSame(repo, opening.current)
        assertEquals(OpenState.Open(repo), opening.state.value)
        // A real, usable store: nothing synced yet, so no events.
        assertEquals(emptyList<Any>(), repo.events())
        repo.close()
    }

    @Test
    fun aStoreThatCannotBeOpenedIsAProblemToShowAndWaitersGetTheError() = runBlocking<Unit> {
        // A file where the store's folder should be: the core refuses to open it.
        val blocked = dir.resolve("not-a-folder").apply { writeText("x") }
        val opening = StoreOpening(scope, dispatcher) { CoreRepository.open(blocked.path) }
        try {
            opening.await()
            fail("a store over a file opened")
        } catch (e: ApiException) {
            assertTrue("$e", e is ApiException.Storage)
        }
        val state = opening.state.value
        assertTrue("$state", state is OpenState.Failed)
        assertEquals(ProblemKind.STORAGE, (state as OpenState.Failed).problem.kind)
        assertNull(opening.current)
    }
}
