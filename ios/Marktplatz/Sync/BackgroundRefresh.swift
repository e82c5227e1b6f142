import BackgroundTasks
import Foundation

/// iOS decides when an app-refresh task runs; the app asks for one each time it goes to the
/// background. The task itself is the `.backgroundTask(.appRefresh(...))` scene modifier in
/// MarktplatzApp, which resumes the store, syncs and suspends it again.
enum BackgroundRefresh {
    /// At most every half hour; iOS may wait longer (battery, usage patterns, no network).
    static func schedule() {
        let request = BGAppRefreshTaskRequest(identifier: AppConfig.refreshTaskId)
        request.earliestBeginDate = Date(timeIntervalSinceNow: 30 * 60)
        do {
            try BGTaskScheduler.shared.submit(request)
        } catch {
            // Not available (simulator, Background App Refresh off): foreground syncs remain.
        }
    }
}
