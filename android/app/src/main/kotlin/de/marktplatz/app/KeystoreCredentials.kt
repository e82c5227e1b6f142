package de.marktplatz.app

import android.content.Context
import android.content.SharedPreferences
import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyProperties
import android.util.Base64
import de.marktplatz.core.ApiException
import de.marktplatz.core.CredentialStore
import java.security.KeyStore
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec

/**
 * The core's credential store on Android: each secret is encrypted with AES-GCM under a key that
 * never leaves the Android Keystore, and kept in app-private preferences. The preferences file is
 * excluded from cloud backup and device transfer (res/xml/data_extraction_rules.xml,
 * backup_rules.xml): the key cannot travel, so a restored copy could not be read anyway.
 * See docs/adr/0018-credentials.md.
 */
class KeystoreCredentials(context: Context) : CredentialStore {
    private val prefs: SharedPreferences =
        context.applicationContext.getSharedPreferences(PREFS, Context.MODE_PRIVATE)

    override fun get(key: String): String? = guarded("read", key) {
        val stored = prefs.getString(key, null) ?: return@guarded null
        val bytes = Base64.decode(stored, Base64.NO_WRAP)
        require(bytes.size > IV_BYTES) { "the stored value is too short" }
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.DECRYPT_MODE, key(), GCMParameterSpec(TAG_BITS, bytes, 0, IV_BYTES))
        cipher.updateAAD(key.toByteArray(Charsets.UTF_8))
        String(cipher.doFinal(bytes, IV_BYTES, bytes.size - IV_BYTES), Charsets.UTF_8)
    }

    override fun set(key: String, secret: String) = guarded("store", key) {
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.ENCRYPT_MODE, key())
        // The entry's key is bound in as associated data: a value moved to another key fails.
        cipher.updateAAD(key.toByteArray(Charsets.UTF_8))
        val sealed = cipher.iv + cipher.doFinal(secret.toByteArray(Charsets.UTF_8))
        check(prefs.edit().putString(key, Base64.encodeToString(sealed, Base64.NO_WRAP)).commit()) {
            "the preferences could not be written"
        }
    }

    override fun delete(key: String) = guarded("delete", key) {
        check(prefs.edit().remove(key).commit()) { "the preferences could not be written" }
    }

    /** The app's AES key in the Android Keystore, made on first use. */
    private fun key(): SecretKey {
        val keyStore = KeyStore.getInstance(ANDROID_KEYSTORE).apply { load(null) }
        (keyStore.getKey(KEY_ALIAS, null) as? SecretKey)?.let { return it }
        val generator = KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_AES, ANDROID_KEYSTORE)
        generator.init(
            KeyGenParameterSpec.Builder(KEY_ALIAS, KeyProperties.PURPOSE_ENCRYPT or KeyProperties.PURPOSE_DECRYPT)
                .setBlockModes(KeyProperties.BLOCK_MODE_GCM)
                .setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
                .setKeySize(256)
                .build(),
        )
        return generator.generateKey()
    }

    /** Runs [work], turning whatever the platform throws into an error naming the key (never the secret). */
    private inline fun <T> guarded(action: String, key: String, work: () -> T): T =
        try {
            work()
        } catch (e: ApiException) {
            throw e
        } catch (e: Exception) {
            throw ApiException.Storage("could not $action '$key' in the Android Keystore: ${e.javaClass.simpleName}", false)
        }

    private companion object {
        /** Must match the exclusions in res/xml/data_extraction_rules.xml and backup_rules.xml. */
        const val PREFS = "marktplatz_credentials"
        const val ANDROID_KEYSTORE = "AndroidKeyStore"
        const val KEY_ALIAS = "marktplatz-credentials"
        const val TRANSFORMATION = "AES/GCM/NoPadding"
        const val IV_BYTES = 12
        const val TAG_BITS = 128
    }
}
