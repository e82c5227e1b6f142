import Observation

/// Bumped whenever what the screens show may have changed: a sync brought changes, a favourite
/// or a setting changed, an organiser queued an operation. Views reload with `.task(id:)` on it.
@MainActor
@Observable
final class ContentSignal {
    private(set) var version = 0

    func changed() {
        version += 1
    }
}
