import Foundation
import Network

/// Tells the app when the network comes back (NWPathMonitor), so queued organiser changes go
/// out and content comes in without the user doing anything.
@MainActor
final class Connectivity {
    private let monitor = NWPathMonitor()
    private var online = true

    func start(onReturn: @escaping @MainActor () -> Void) {
        monitor.pathUpdateHandler = { [weak self] path in
            let satisfied = path.status == .satisfied
            Task { @MainActor in
                guard let self else { return }
                let returned = satisfied && !self.online
                self.online = satisfied
                if returned { onReturn() }
            }
        }
        monitor.start(queue: DispatchQueue(label: "de.marktplatz.connectivity"))
    }

    func stop() {
        monitor.cancel()
    }
}
