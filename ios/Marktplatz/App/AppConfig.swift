import Foundation

/// The event this build shows and the server it syncs from (Info.plist, set per configuration
/// in project.yml: Debug talks to `marktplatz serve --demo` on the Mac running the simulator).
enum AppConfig {
    static let eventId = info("MarktplatzEventID") ?? "egov-marktplatz-nordwest-2027"
    static let serverURL = info("MarktplatzServerURL") ?? "https://marktplatz.example.org"
    /// BGTaskSchedulerPermittedIdentifiers in Info.plist lists the same id.
    static let refreshTaskId = "de.marktplatz.app.refresh"

    /// The store's folder: Application Support (user.db inside holds favourites and is backed up).
    static var storeDirectory: URL {
        URL.applicationSupportDirectory.appending(path: "marktplatz", directoryHint: .isDirectory)
    }

    private static func info(_ key: String) -> String? {
        (Bundle.main.object(forInfoDictionaryKey: key) as? String).flatMap { $0.isEmpty ? nil : $0 }
    }
}
