import Foundation
import MarktplatzKit
import Observation

/// Opens the store once, off the main actor, then makes the app model. Opening checks and
/// migrates SQLite files: on a slow phone that takes long enough to freeze the first frame or
/// to be ended by the launch watchdog when done on the main thread. The window shows "opening",
/// the app, or why the store could not be opened; the background refresh task waits for it.
@MainActor
@Observable
final class AppLauncher {
    enum State {
        case opening
        case open(AppModel)
        case failed(Problem)
    }

    private(set) var state: State = .opening
    /// Whether the scene is active (on the screen): the app model starts following at once if so.
    @ObservationIgnored var sceneActive = false
    @ObservationIgnored private var opening: Task<AppModel?, Never>?

    /// The app model, or nil while opening or after a failure.
    var app: AppModel? {
        if case .open(let app) = state { return app }
        return nil
    }

    /// Opens the store: the first call does the work, later ones wait for the same result.
    @discardableResult
    func open() async -> AppModel? {
        if let opening { return await opening.value }
        let task = Task { @MainActor () -> AppModel? in
            let directory = AppConfig.storeDirectory
            let opened = await Task.detached(priority: .userInitiated) {
                Result { try CoreRepository.open(directory: directory, credentials: KeychainCredentials()) }
            }.value
            switch opened {
            case .success(let repo):
                let app = AppModel(repo: repo)
                state = .open(app)
                return app
            case .failure(let error):
                state = .failed(Problem(error) ?? Problem(kind: .storage, detail: "\(error)"))
                return nil
            }
        }
        opening = task
        return await task.value
    }
}
