import Foundation
import MarktplatzKit

/// Words for a change alert ("Moved: 10:00 → 10:30 · Now at: Station 3"), in the UI language.
enum AlertText {
    static func describe(_ alert: ChangeAlert) -> String {
        alert.changes.map { line($0, alert) }.joined(separator: " · ")
    }

    static func line(_ change: AlertChange, _ alert: ChangeAlert) -> String {
        switch change {
        case .moved:
            let from = alert.old.localStart ?? ""
            let to = alert.new.localStart ?? ""
            return String(localized: "Moved: \(from) → \(to)")
        case .relocated:
            let place = alert.new.locationName ?? "–"
            return String(localized: "Now at: \(place)")
        case .retitled:
            let before = alert.old.title
            return String(localized: "Renamed (was: \(before))")
        case .cancelled:
            return String(localized: "Cancelled")
        case .reinstated:
            return String(localized: "Back on")
        case .removed:
            return String(localized: "Removed from the programme")
        case .restored:
            return String(localized: "Back in the programme")
        }
    }
}
