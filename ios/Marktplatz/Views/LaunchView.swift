import SwiftUI

/// The window while the store opens (off the main actor), the app once it is open, or why the
/// store could not be opened (disk full, a data file from a newer version).
struct LaunchView: View {
    let launcher: AppLauncher

    var body: some View {
        switch launcher.state {
        case .opening:
            ProgressView("Opening the programme …")
        case .failed(let problem):
            ContentUnavailableView {
                Label("The app’s storage failed.", systemImage: "externaldrive.badge.exclamationmark")
            } description: {
                ProblemView(problem: problem)
            }
        case .open(let app):
            RootView(app: app)
        }
    }
}
