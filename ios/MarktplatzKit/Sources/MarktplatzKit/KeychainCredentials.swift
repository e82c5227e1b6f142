import Foundation
import MarktplatzFFI
import Security

/// The core's credential store on iOS: each secret is a generic password in the Keychain,
/// readable after the first unlock and never leaving this device (no iCloud Keychain, no
/// backup restored elsewhere). Organiser tokens live here, not in user.db.
/// See docs/adr/0018-credentials.md.
public final class KeychainCredentials: CredentialStore, @unchecked Sendable {
    private let service: String

    public init(service: String = "de.marktplatz.credentials") {
        self.service = service
    }

    public func get(key: String) throws -> String? {
        var query = baseQuery(key)
        query[kSecReturnData as String] = true
        query[kSecMatchLimit as String] = kSecMatchLimitOne
        var item: CFTypeRef?
        let status = SecItemCopyMatching(query as CFDictionary, &item)
        if status == errSecItemNotFound {
            return nil
        }
        guard status == errSecSuccess, let data = item as? Data else {
            throw refusal("read", key, status)
        }
        guard let secret = String(data: data, encoding: .utf8) else {
            throw ApiError.Storage(reason: "the Keychain item '\(key)' is not text", isFull: false)
        }
        return secret
    }

    public func set(key: String, secret: String) throws {
        let data = Data(secret.utf8)
        let update: [String: Any] = [
            kSecValueData as String: data,
            kSecAttrAccessible as String: kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly,
        ]
        let status = SecItemUpdate(baseQuery(key) as CFDictionary, update as CFDictionary)
        if status == errSecSuccess {
            return
        }
        guard status == errSecItemNotFound else {
            throw refusal("store", key, status)
        }
        var add = baseQuery(key)
        add[kSecValueData as String] = data
        add[kSecAttrAccessible as String] = kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly
        let added = SecItemAdd(add as CFDictionary, nil)
        guard added == errSecSuccess else {
            throw refusal("store", key, added)
        }
    }

    public func delete(key: String) throws {
        let status = SecItemDelete(baseQuery(key) as CFDictionary)
        guard status == errSecSuccess || status == errSecItemNotFound else {
            throw refusal("delete", key, status)
        }
    }

    private func baseQuery(_ key: String) -> [String: Any] {
        [
            kSecClass as String: kSecClassGenericPassword,
            kSecAttrService as String: service,
            kSecAttrAccount as String: key,
            kSecAttrSynchronizable as String: false,
        ]
    }

    /// An error naming the action and the key (never the secret) with the Keychain's reason.
    private func refusal(_ action: String, _ key: String, _ status: OSStatus) -> ApiError {
        let reason = SecCopyErrorMessageString(status, nil) as String? ?? "status \(status)"
        return ApiError.Storage(reason: "could not \(action) '\(key)' in the Keychain: \(reason)", isFull: false)
    }
}
