import MarktplatzKit
import SwiftUI

/// Words for outbox entries, in the UI language.
enum OpText {
    static func describe(_ op: Op, sessions: [SessionSummary], locations: [Location]) -> String {
        func session(_ id: String) -> String { sessions.first { $0.id == id }?.title ?? id }
        func place(_ id: String) -> String { locations.first { $0.id == id }?.name ?? id }
        switch op {
        case .announcementCreate(_, let title, _, _, _, _):
            return String(localized: "Announcement: \(title)")
        case .announcementEdit(let id, let title, _, _, _):
            return String(localized: "Edit announcement: \(title ?? id)")
        case .announcementRetract(let id):
            return String(localized: "Withdraw announcement \(id)")
        case .sessionMove(let id, let locationId):
            return String(localized: "Move \(session(id)) to \(place(locationId))")
        case .sessionRetime(let id, _, _):
            return String(localized: "New time for \(session(id))")
        case .sessionEdit(let id, _, _, _, _):
            return String(localized: "Edit \(session(id))")
        case .sessionCancel(let id):
            return String(localized: "Cancel \(session(id))")
        case .sessionReinstate(let id):
            return String(localized: "Reinstate \(session(id))")
        case .exhibitorEdit(let id, let name, _, _, _, _, _, _, _):
            return String(localized: "Edit exhibitor \(name ?? id)")
        case .stationEdit(let id, let name, _, _):
            return String(localized: "Edit station \(name ?? id)")
        case .venueMap:
            return String(localized: "Set the hall plan")
        case .photoAdd(let id, _, let caption, _, _):
            return String(localized: "Photo: \(caption.isEmpty ? id : caption)")
        case .photoEdit(let id, let caption, _):
            return String(localized: "Edit photo \(caption ?? id)")
        case .photoRemove(let id):
            return String(localized: "Remove photo \(id)")
        case .infoAdd(_, let title, _, _):
            return String(localized: "Info page: \(title)")
        case .infoEdit(let id, let title, _, _):
            return String(localized: "Edit info page \(title ?? id)")
        case .infoRemove(let id):
            return String(localized: "Remove info page \(id)")
        }
    }

    static func state(_ state: OpState) -> LocalizedStringKey {
        switch state {
        case .pending: "Waiting"
        case .inFlight: "Sending"
        case .accepted: "Accepted"
        case .rejected: "Refused"
        case .done: "Published"
        case .overridden: "Overridden by a later publish"
        }
    }

    static func tint(_ state: OpState) -> Color {
        switch state {
        case .pending, .inFlight: .warning
        case .accepted, .done: .success
        case .rejected, .overridden: .danger
        }
    }
}
