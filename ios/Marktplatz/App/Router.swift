import Observation

/// Where the user is: the selected tab and each tab's navigation stack.
@MainActor
@Observable
final class Router {
    enum Tab: Hashable {
        case agenda, myAgenda, search, stations, more
    }

    var tab: Tab = .agenda
    var agenda: [Route] = []
    var myAgenda: [Route] = []
    var search: [Route] = []
    var stations: [Route] = []
    var more: [Route] = []

    /// Shows a session on the agenda tab (a notification was tapped).
    func open(session id: String) {
        tab = .agenda
        agenda = [.session(id)]
    }

    /// Shows organiser mode on the More tab (the console's sign-in link was opened).
    func openOrganiser() {
        tab = .more
        more = [.organiser]
    }

    /// Shows the announcements (urgent ones first) on the More tab (a notification was tapped).
    func openAnnouncements() {
        tab = .more
        more = [.announcements]
    }
}

/// The screens pushed onto a tab's stack.
enum Route: Hashable {
    case session(String)
    case station(String)
    case exhibitor(String)
    case speaker(String)
    case speakers
    case announcements
    case gallery
    case info
    case settings
    case organiser
    case map(MapFocus?)
    case accessibilityStatement
    case events
    case composeAnnouncement
    case changeSession
    case addPhoto
    case hallPlan
    case share
    case organiserEdit(EditKind)
}
