import SwiftUI
import UserNotifications

@main
struct MarktplatzApp: App {
    @UIApplicationDelegateAdaptor(AppDelegate.self) private var delegate
    @Environment(\.scenePhase) private var scenePhase
    @State private var launcher = AppLauncher()

    var body: some Scene {
        WindowGroup {
            LaunchView(launcher: launcher)
                .task {
                    // The store opens off the main actor; the window says "opening" meanwhile.
                    guard let app = await launcher.open() else { return }
                    delegate.app = app
                    app.start(inForeground: launcher.sceneActive)
                }
        }
        .onChange(of: scenePhase) { _, phase in
            launcher.sceneActive = phase == .active
            switch phase {
            case .background:
                launcher.app?.enterBackground()
            case .active:
                launcher.app?.enterForeground()
            default:
                break
            }
        }
        .backgroundTask(.appRefresh(AppConfig.refreshTaskId)) {
            await launcher.open()?.backgroundRefresh()
        }
    }
}

/// Notification taps open the session or the announcements; notifications also show while the
/// app is open.
final class AppDelegate: NSObject, UIApplicationDelegate, UNUserNotificationCenterDelegate {
    @MainActor var app: AppModel?

    func application(_ application: UIApplication, didFinishLaunchingWithOptions launchOptions: [UIApplication.LaunchOptionsKey: Any]? = nil) -> Bool {
        UNUserNotificationCenter.current().delegate = self
        return true
    }

    func userNotificationCenter(_ center: UNUserNotificationCenter, willPresent notification: UNNotification) async -> UNNotificationPresentationOptions {
        [.banner, .list, .sound]
    }

    func userNotificationCenter(_ center: UNUserNotificationCenter, didReceive response: UNNotificationResponse) async {
        let info = response.notification.request.content.userInfo
        let sessionId = info[NotificationScheduler.sessionKey] as? String
        let announcement = info[NotificationScheduler.announcementKey] as? String
        await MainActor.run {
            if let sessionId { app?.requestedSession = sessionId }
            if announcement != nil { app?.requestedAnnouncements = true }
        }
    }
}
