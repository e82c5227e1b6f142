import Foundation
import SwiftUI

/// The sign-in link the organiser console shows as a QR code (ADR 0016):
/// `marktplatz://organiser?server=URL&event=E&token=T`, each value percent-encoded.
/// Mirrors the Android model's `OrganiserLink`.
struct OrganiserLink: Equatable {
    let serverURL: String
    let eventId: String
    let token: String

    static let scheme = "marktplatz"
    static let host = "organiser"

    /// Reads a scanned, pasted or opened link; says what is wrong with anything else.
    static func read(_ text: String) -> Result<OrganiserLink, LinkProblem> {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let components = URLComponents(string: trimmed),
              components.scheme?.lowercased() == scheme,
              components.host?.lowercased() == host
        else { return .failure(.notASignInLink) }
        // URLComponents decodes percent escapes only, so a token's `+` (sent as %2B) stays a `+`.
        func field(_ name: String) -> String {
            (components.queryItems?.first { $0.name == name }?.value ?? "").trimmingCharacters(in: .whitespaces)
        }
        let server = field("server"), event = field("event"), token = field("token")
        guard !server.isEmpty, !event.isEmpty, !token.isEmpty else { return .failure(.incomplete) }
        guard isWebServer(server) else { return .failure(.serverNotWeb) }
        return .success(OrganiserLink(serverURL: server, eventId: event, token: token))
    }

    /// Tokens go only to an http(s) server with a host, never to a file or another app.
    private static func isWebServer(_ url: String) -> Bool {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased() else { return false }
        return (scheme == "http" || scheme == "https") && !(components.host ?? "").isEmpty
    }
}

/// Why a scanned or pasted text does not sign in; the views word a sentence for each.
enum LinkProblem: Error, Equatable {
    /// Not a `marktplatz://organiser` link (another QR code, a web address, text).
    case notASignInLink
    /// The server, the event or the token is missing.
    case incomplete
    /// The server is not an http(s) address.
    case serverNotWeb
    /// The link signs in for another event than the one this app shows.
    case otherEvent

    var message: LocalizedStringKey {
        switch self {
        case .notASignInLink: "This is not an organiser sign-in code."
        case .incomplete: "The sign-in code is incomplete: the server, the event or the token is missing."
        case .serverNotWeb: "The sign-in code names a server that is not a web address."
        case .otherEvent: "This sign-in code is for another event."
        }
    }
}

/// Never print the token (logs, crash reports).
extension OrganiserLink: CustomStringConvertible, CustomDebugStringConvertible {
    var description: String { "OrganiserLink(server: \(serverURL), event: \(eventId))" }
    var debugDescription: String { description }
}
