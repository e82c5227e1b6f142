/// Whether the store should be awake: while the app is in the foreground, and while a
/// background refresh runs. iOS kills an app suspended holding a SQLite file lock, so the store
/// sleeps (`suspend`) when neither holds; but a refresh that ends while the app is in the
/// foreground must not put it to sleep under the user, and the app going to the background
/// must not pull the store from under a running refresh.
struct StoreWakefulness {
    enum Action: Equatable {
        case none
        case wake
        case sleep
    }

    private var foreground = false
    private var refreshes = 0
    private var awake = true

    mutating func enteredForeground() -> Action {
        foreground = true
        return settle()
    }

    mutating func enteredBackground() -> Action {
        foreground = false
        return settle()
    }

    mutating func refreshBegan() -> Action {
        refreshes += 1
        return settle()
    }

    mutating func refreshEnded() -> Action {
        refreshes = max(0, refreshes - 1)
        return settle()
    }

    private mutating func settle() -> Action {
        let wanted = foreground || refreshes > 0
        guard wanted != awake else { return .none }
        awake = wanted
        return wanted ? .wake : .sleep
    }
}
