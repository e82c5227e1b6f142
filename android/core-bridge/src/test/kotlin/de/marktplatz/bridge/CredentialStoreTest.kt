package de.marktplatz.bridge

import de.marktplatz.core.ApiException
import de.marktplatz.core.CredentialStore
import java.io.File
import java.nio.file.Files
import java.util.concurrent.ConcurrentHashMap
import kotlinx.coroutines.runBlocking
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Assert.fail
import org.junit.Before
import org.junit.Test

/**
 * The `CredentialStore` foreign trait round trip: a Kotlin store handed to the real library
 * through the FFI holds the organiser token the core's sign-in writes, reads it back, and
 * loses it at sign-out; a store that throws gives an error naming the key and changes nothing.
 */
class CredentialStoreTest {
    private val event = "egov-marktplatz-nordwest-2027"
    private val server = "https://marktplatz.example"
    private val key = "organiser-token:$event"
    private lateinit var dir: File

    /** What the Keystore is on a phone: here, a map. */
    private class InMemory : CredentialStore {
        val secrets = ConcurrentHashMap<String, String>()
        override fun get(key: String): String? = secrets[key]
        override fun set(key: String, secret: String) { secrets[key] = secret }
        override fun delete(key: String) { secrets.remove(key) }
    }

    /** A locked keystore: reads, refuses every change. */
    private class Locked(private val inner: InMemory) : CredentialStore {
        override fun get(key: String): String? = inner.get(key)
        override fun set(key: String, secret: String) = throw ApiException.Storage("the keystore is locked", false)
        override fun delete(key: String) = throw ApiException.Storage("the keystore is locked", false)
    }

    @Before
    fun open() {
        dir = Files.createTempDirectory("marktplatz-credentials").toFile()
    }

    @After
    fun close() {
        dir.deleteRecursively()
    }

    @Test
    fun signInAndOutKeepTheTokenInTheForeignStore() = runBlocking<Unit> {
        val credentials = InMemory()
        CoreRepository.open(dir.path, credentials).use { repo ->
            repo.signInAsOrganiser(event, server, "tok7.secret-part")
            assertEquals("tok7.secret-part", credentials.secrets[key])
            assertEquals("tok7", repo.organiser(event)?.tokenId)
            assertFalse(
                "user.db holds no token",
                String(File(dir, "user.db").readBytes(), Charsets.ISO_8859_1).contains("secret-part"),
            )
            assertFalse("no credentials file when the platform keeps them", File(dir, "credentials.json").exists())

            repo.signOutAsOrganiser(event)
            assertNull(credentials.secrets[key])
            assertNull(repo.organiser(event))
        }
    }

    @Test
    fun aThrowingStoreIsAnErrorNamingTheKeyAndChangesNothing() = runBlocking<Unit> {
        val inner = InMemory()
        CoreRepository.open(dir.path, inner).use { repo -> repo.signInAsOrganiser(event, server, "tok7.first") }
        CoreRepository.open(dir.path, Locked(inner)).use { repo ->
            try {
                repo.signInAsOrganiser(event, "https://other.example", "tok8.second")
                fail("a locked keystore took a token")
            } catch (e: ApiException.Storage) {
                assertTrue(e.message ?: "", (e.message ?: "").contains(key))
                assertTrue(e.message ?: "", (e.message ?: "").contains("locked"))
            }
            assertEquals("tok7.first", inner.secrets[key])
            assertEquals(server, repo.organiser(event)?.serverUrl)
        }
    }
}
