import UIKit

/// A stretch of work iOS lets finish after the app has left the screen
/// (`beginBackgroundTask`). Begun on the main actor; `end()` from any thread, once done.
struct BackgroundWork: @unchecked Sendable {
    private let id: UIBackgroundTaskIdentifier

    @MainActor
    static func begin(_ name: String) -> BackgroundWork {
        var id = UIBackgroundTaskIdentifier.invalid
        id = UIApplication.shared.beginBackgroundTask(withName: name) {
            // Out of time: iOS suspends the app now whatever we do; say so rather than be killed.
            UIApplication.shared.endBackgroundTask(id)
        }
        return BackgroundWork(id: id)
    }

    func end() {
        guard id != .invalid else { return }
        let id = id
        DispatchQueue.main.async { UIApplication.shared.endBackgroundTask(id) }
    }
}
