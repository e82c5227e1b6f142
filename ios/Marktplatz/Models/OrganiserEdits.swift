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

/// One field of an edit form. Most are typed; `station` (a station's id), `priority` (a
/// `Priority` name) and `expires` (an ISO instant, empty: never) are picked, and `topics` is
/// typed as a comma-separated list (mirrors the Android model's `EditField`).
enum EditField: String, Hashable {
    case title, subtitle, name, abstract, body, description, website, email, phone, caption, credit
    case station, topics, priority, expires

    /// Chosen from a list instead of typed.
    var picked: Bool { self == .station || self == .priority || self == .expires }

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
        case .station: "Station"
        case .topics: "Topics (separated by commas)"
        case .priority: "Priority"
        case .expires: "Shown until"
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
        return Editable(kind: .exhibitor, id: e.id, label: e.name, fields: [.name, .description, .website, .email, .phone, .station, .topics],
                        values: [.name: e.name, .description: e.description, .website: e.website ?? "",
                                 .email: e.contact?.email ?? "", .phone: e.contact?.phone ?? "",
                                 .station: e.stationId ?? "", .topics: e.topics.joined(separator: ", ")])
    }

    static func announcement(_ a: Announcement) -> Editable {
        Editable(kind: .announcement, id: a.id, label: a.title, fields: [.title, .body, .priority, .expires],
                 values: [.title: a.title, .body: a.body, .priority: priorityName(a.priority),
                          .expires: a.expiresAt.map(isoInstant) ?? ""])
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
            // A station can be changed, not taken away (the core has no "none").
            return .exhibitorEdit(id: id, name: changed[.name], description: changed[.description],
                                  stationId: changed[.station].flatMap { $0.isEmpty ? nil : $0 }, topics: changed[.topics].map(topics),
                                  website: changed[.website], email: changed[.email], phone: changed[.phone], logo: nil)
        case .announcement:
            return .announcementEdit(id: id, title: changed[.title], body: changed[.body],
                                     priority: changed[.priority].flatMap(priority(named:)),
                                     expiresAt: changed[.expires].flatMap { ISO8601DateFormatter().date(from: $0) })
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

extension EditForms {
    static let priorities: [Priority] = [.normal, .important, .urgent]

    /// A priority's name as the form keeps it (Android's enum names).
    static func priorityName(_ priority: Priority) -> String {
        String(describing: priority).uppercased()
    }

    static func priority(named name: String) -> Priority? {
        priorities.first { priorityName($0) == name }
    }

    /// An instant as the form keeps it: ISO 8601 in UTC, whole seconds.
    static func isoInstant(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }

    /// The expiry `after` seconds from `now`, as an `expires` value.
    static func expiry(after: TimeInterval, from now: Date) -> String {
        isoInstant(Date(timeIntervalSince1970: (now.timeIntervalSince1970 + after).rounded(.down)))
    }

    /// Topics as typed: comma-separated, trimmed, blanks and repeats dropped.
    static func topics(_ text: String) -> [String] {
        var seen = Set<String>()
        return text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && seen.insert($0).inserted }
    }
}

/// Where a tap on the drawn hall plan puts a pin: fractions of the plan, as the core keeps them
/// (mirrors the Android model's `PinPlacement`).
enum PinPlacement {
    /// The position of a tap at (`x`, `y`) on a plan drawn `width` x `height` (same units, from
    /// its top left corner), clamped onto the plan and rounded to a thousandth; nil if the plan
    /// has no size.
    static func position(x: Double, y: Double, width: Double, height: Double) -> MapPosition? {
        guard width > 0, height > 0, !x.isNaN, !y.isNaN else { return nil }
        func fraction(_ value: Double, _ size: Double) -> Double { ((min(max(value / size, 0), 1)) * 1000).rounded() / 1000 }
        return MapPosition(x: fraction(x, width), y: fraction(y, height))
    }
}

/// The order of the info pages as attendees read them (mirrors the Android model's `InfoOrder`).
enum InfoOrder {
    /// The edits that move `pageId` `by` places within `pages` (in the core's order): the two
    /// pages swap their sort orders when they differ, else every page is numbered anew (1, 2,
    /// 3, ...) and only the pages whose number changes are edited. Empty at either end.
    static func move(_ pages: [InfoPage], pageId: String, by: Int) -> [Op] {
        guard let from = pages.firstIndex(where: { $0.id == pageId }), by != 0, pages.indices.contains(from + by) else { return [] }
        let to = from + by
        let (moved, other) = (pages[from], pages[to])
        if abs(by) == 1, moved.sortOrder != other.sortOrder {
            return [.infoEdit(id: moved.id, title: nil, body: nil, sortOrder: other.sortOrder),
                    .infoEdit(id: other.id, title: nil, body: nil, sortOrder: moved.sortOrder)]
        }
        var reordered = pages
        reordered.insert(reordered.remove(at: from), at: to)
        return reordered.enumerated().compactMap { index, page in
            Int32(index + 1) == page.sortOrder ? nil : .infoEdit(id: page.id, title: nil, body: nil, sortOrder: Int32(index + 1))
        }
    }
}
