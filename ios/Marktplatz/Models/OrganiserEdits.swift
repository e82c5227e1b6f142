import Foundation
import MarktplatzKit
import SwiftUI

/// What an organiser can change on the phone besides announcing and moving sessions
/// (mirrors the Android model's `EditKind`).
enum EditKind: String, Hashable, CaseIterable {
    case session, station, exhibitor, announcement, photo, infoPage

    /// The title of the list of things of this kind (sessions have their own screen).
    var title: LocalizedStringKey {
        switch self {
        case .session: "Move or cancel a session"
        case .station: "Edit stations"
        case .exhibitor: "Edit exhibitors"
        case .announcement: "Edit or withdraw announcements"
        case .photo: "Edit or remove photos"
        case .infoPage: "Info pages"
        }
    }

    /// Announcements can be retracted, photos and info pages removed; the rest only edited.
    var removable: Bool { self == .announcement || self == .photo || self == .infoPage }

    var removeLabel: LocalizedStringKey {
        switch self {
        case .announcement: "Withdraw announcement"
        case .photo: "Remove photo"
        default: "Remove info page"
        }
    }
}

/// One text field of an edit form.
enum EditField: String, Hashable {
    case title, subtitle, name, abstract, body, description, website, email, phone, caption, credit

    var label: LocalizedStringKey {
        switch self {
        case .title: "Title"
        case .subtitle: "Subtitle"
        case .name: "Name"
        case .abstract: "Summary"
        case .body: "Text"
        case .description: "Description"
        case .website: "Website"
        case .email: "Email"
        case .phone: "Phone"
        case .caption: "Caption"
        case .credit: "Photo credit"
        }
    }

    var isLong: Bool { self == .abstract || self == .body || self == .description }
}

/// One thing of a kind in a list to pick from: what it is called and a line about it.
struct EditEntry: Identifiable, Hashable {
    let kind: EditKind
    let id: String
    let label: String
    let detail: String
}

/// The form for one thing: its fields in order, with the values it has now.
struct Editable: Identifiable, Equatable {
    let kind: EditKind
    let id: String
    let label: String
    let fields: [EditField]
    let values: [EditField: String]
}

/// The forms for what the phone holds, and the operations for what changed in them.
enum EditForms {
    static func session(_ detail: SessionDetail) -> Editable {
        let s = detail.session
        return Editable(kind: .session, id: s.id, label: s.title, fields: [.title, .subtitle, .abstract, .description],
                        values: [.title: s.title, .subtitle: s.subtitle ?? "", .abstract: s.abstractText, .description: s.description])
    }

    static func station(_ entry: StationEntry) -> Editable {
        let l = entry.location
        return Editable(kind: .station, id: l.id, label: l.name, fields: [.name, .description], values: [.name: l.name, .description: l.description])
    }

    static func exhibitor(_ entry: ExhibitorEntry) -> Editable {
        let e = entry.exhibitor
        return Editable(kind: .exhibitor, id: e.id, label: e.name, fields: [.name, .description, .website, .email, .phone],
                        values: [.name: e.name, .description: e.description, .website: e.website ?? "",
                                 .email: e.contact?.email ?? "", .phone: e.contact?.phone ?? ""])
    }

    static func announcement(_ a: Announcement) -> Editable {
        Editable(kind: .announcement, id: a.id, label: a.title, fields: [.title, .body], values: [.title: a.title, .body: a.body])
    }

    static func photo(_ item: GalleryItem) -> Editable {
        Editable(kind: .photo, id: item.id, label: item.caption.isEmpty ? item.id : item.caption, fields: [.caption, .credit],
                 values: [.caption: item.caption, .credit: item.credit])
    }

    static func infoPage(_ page: InfoPage) -> Editable {
        Editable(kind: .infoPage, id: page.id, label: page.title, fields: [.title, .body], values: [.title: page.title, .body: page.body])
    }

    /// The edit operation for what changed (trimmed; an unchanged field stays nil so it does not
    /// overwrite someone else's change), or nil if nothing changed.
    static func editOp(_ form: Editable, entered: [EditField: String]) -> Op? {
        var changed: [EditField: String] = [:]
        for field in form.fields {
            guard let new = entered[field]?.trimmingCharacters(in: .whitespacesAndNewlines) else { continue }
            if new != (form.values[field] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) { changed[field] = new }
        }
        if changed.isEmpty { return nil }
        let id = form.id
        switch form.kind {
        case .session:
            return .sessionEdit(id: id, title: changed[.title], subtitle: changed[.subtitle], abstractText: changed[.abstract], description: changed[.description])
        case .station:
            return .stationEdit(id: id, name: changed[.name], description: changed[.description], position: nil)
        case .exhibitor:
            return .exhibitorEdit(id: id, name: changed[.name], description: changed[.description], stationId: nil, topics: nil,
                                  website: changed[.website], email: changed[.email], phone: changed[.phone], logo: nil)
        case .announcement:
            return .announcementEdit(id: id, title: changed[.title], body: changed[.body], priority: nil, expiresAt: nil)
        case .photo:
            return .photoEdit(id: id, caption: changed[.caption], credit: changed[.credit])
        case .infoPage:
            return .infoEdit(id: id, title: changed[.title], body: changed[.body], sortOrder: nil)
        }
    }

    /// Retracting an announcement, removing a photo or an info page; others are not removed here.
    static func removeOp(_ kind: EditKind, id: String) -> Op? {
        switch kind {
        case .announcement: .announcementRetract(id: id)
        case .photo: .photoRemove(id: id)
        case .infoPage: .infoRemove(id: id)
        case .session, .station, .exhibitor: nil
        }
    }
}
