import MarktplatzKit
import SwiftUI

/// Organiser mode: sign in with a token, then act and watch the outbox.
struct OrganiserView: View {
    let app: AppModel
    @State private var model: OrganiserModel
    @State private var server: String
    @State private var token = ""

    init(app: AppModel) {
        self.app = app
        _model = State(initialValue: OrganiserModel(app: app))
        _server = State(initialValue: app.serverURL)
    }

    var body: some View {
        Form {
            if let problem = model.problem {
                Section { ProblemView(problem: problem) }
            }
            if let organiser = model.organiser {
                dashboard(organiser)
            } else {
                signIn
            }
        }
        .navigationTitle("Organiser mode")
        .toolbar {
            if model.busy { ProgressView() }
        }
        .task(id: app.content.version) { await model.load() }
    }

    private var signIn: some View {
        Section {
            TextField("Server address", text: $server)
                .textContentType(.URL)
                .keyboardType(.URL)
                .textInputAutocapitalization(.never)
                .autocorrectionDisabled()
            SecureField("Organiser token", text: $token)
                .textContentType(.password)
            Button("Sign in") {
                Task { await model.signIn(token: token, serverURL: server) }
            }
            .disabled(token.isEmpty || server.isEmpty || model.busy)
        } footer: {
            Text("Organisers sign in with the token they were given. Changes made here are shown at once and sent as soon as the phone is online.")
        }
    }

    @ViewBuilder
    private func dashboard(_ organiser: OrganiserInfo) -> some View {
        Section {
            NavigationLink(value: Route.composeAnnouncement) { Label("New announcement", systemImage: "megaphone") }
            NavigationLink(value: Route.changeSession) { Label("Move or cancel a session", systemImage: "calendar.badge.clock") }
            NavigationLink(value: Route.addPhoto) { Label("Add a photo", systemImage: "camera") }
        } footer: {
            Text("Signed in (token \(organiser.tokenId)) at \(organiser.serverUrl)")
        }
        Section {
            if let stop = model.lastPush?.stopped {
                switch stop {
                case .offline:
                    Text("Offline: queued changes are sent when the connection returns.").foregroundStyle(.orange)
                case .unauthorized:
                    Text("The server did not accept the token. Sign in again; nothing queued is lost.").foregroundStyle(.red)
                }
            }
            if model.outbox.isEmpty {
                Text("Nothing sent from this phone yet.").foregroundStyle(.secondary)
            }
            if let next = model.nextPushAttempt {
                Text("Next try to send: \(next.formatted(date: .omitted, time: .shortened))").foregroundStyle(.secondary)
            }
            ForEach(model.outbox, id: \.id) { entry in
                OutboxRow(entry: entry, sessions: model.sessions, locations: model.locations)
                    .swipeActions {
                        if entry.state == .rejected {
                            Button("Try again") { Task { await model.retry(entry) } }.tint(.blue)
                            Button("Discard", role: .destructive) { Task { await model.dismiss(entry) } }
                        }
                    }
            }
        } header: {
            HStack {
                Text("Outbox")
                Spacer()
                Button("Send now") { Task { await model.pushNow() } }.disabled(model.busy)
            }
        }
        Section {
            Button("Sign out", role: .destructive) { Task { await model.signOut() } }
        }
    }
}

/// One operation made on this phone: what it does, when, and where it stands.
private struct OutboxRow: View {
    let entry: OutboxEntry
    let sessions: [SessionSummary]
    let locations: [Location]

    var body: some View {
        VStack(alignment: .leading, spacing: 4) {
            HStack {
                Text(OpText.describe(entry.op, sessions: sessions, locations: locations)).font(.headline)
                Spacer()
                Text(OpText.state(entry.state))
                    .font(.caption.bold())
                    .padding(.horizontal, 8)
                    .padding(.vertical, 2)
                    .background(OpText.tint(entry.state).opacity(0.15), in: Capsule())
                    .foregroundStyle(OpText.tint(entry.state))
            }
            Text(entry.createdAt, format: .dateTime.hour().minute()).font(.caption).foregroundStyle(.secondary)
            if let rejection = entry.rejection {
                Text("Refused: \(rejection.message)").font(.caption).foregroundStyle(.red)
            } else if entry.state == .pending, let error = entry.lastError {
                Text(error).font(.caption).foregroundStyle(.secondary)
            }
        }
        .accessibilityElement(children: .combine)
    }
}
