import MarktplatzKit
import SwiftUI

/// Organiser mode: sign in with a token, then act and watch the outbox.
struct OrganiserView: View {
    let app: AppModel
    @State private var model: OrganiserModel
    @State private var server: String
    @State private var token = ""
    @State private var scanning = false
    @State private var pasted = ""

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
        .onChange(of: app.requestedOrganiserLink, initial: true) { _, link in
            guard let link else { return }
            model.offer(link: link)
            app.requestedOrganiserLink = nil
        }
        .alert("Sign in as organiser?", isPresented: offeredLinkShown, presenting: model.offeredLink) { _ in
            Button("Sign in") { Task { await model.confirmOfferedLink() } }
            Button("Close", role: .cancel) { model.offeredLink = nil }
        } message: { link in
            Text("A link asks to sign this phone in as organiser of \(link.eventId) at \(link.serverURL). Only go on if it comes from your organiser console.")
        }
    }

    private var offeredLinkShown: Binding<Bool> {
        Binding(get: { model.offeredLink != nil }, set: { shown in if !shown { model.offeredLink = nil } })
    }

    @ViewBuilder
    private var signIn: some View {
        Section {
            Button {
                scanning.toggle()
            } label: {
                if scanning {
                    Label("Stop scanning", systemImage: "qrcode.viewfinder")
                } else {
                    Label("Scan the console’s QR code", systemImage: "qrcode.viewfinder")
                }
            }
            if scanning {
                QrScanner { code in
                    scanning = false
                    Task { await model.signIn(link: code) }
                }
            }
            TextField("Sign-in link (marktplatz://organiser…)", text: $pasted)
                .keyboardType(.URL)
                .textInputAutocapitalization(.never)
                .autocorrectionDisabled()
            Button("Sign in with this link") { Task { await model.signIn(link: pasted) } }
                .disabled(pasted.trimmingCharacters(in: .whitespaces).isEmpty || model.busy)
            if let problem = model.linkProblem {
                Text(problem.message).foregroundStyle(.danger)
            }
        } footer: {
            Text("Scan the QR code your organiser console shows (Access → Phone), or paste its link.")
        }
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
            NavigationLink(value: Route.hallPlan) { Label("Hall plan and station places", systemImage: "map") }
            NavigationLink(value: Route.organiserEdit(.announcement)) { Label(EditKind.announcement.title, systemImage: "square.and.pencil") }
            NavigationLink(value: Route.organiserEdit(.photo)) { Label(EditKind.photo.title, systemImage: "photo.on.rectangle") }
            NavigationLink(value: Route.organiserEdit(.station)) { Label(EditKind.station.title, systemImage: "storefront") }
            NavigationLink(value: Route.organiserEdit(.exhibitor)) { Label(EditKind.exhibitor.title, systemImage: "building.2") }
            NavigationLink(value: Route.organiserEdit(.infoPage)) { Label(EditKind.infoPage.title, systemImage: "info.circle") }
        } footer: {
            Text("Signed in (token \(organiser.tokenId)) at \(organiser.serverUrl)")
        }
        Section {
            if let stop = model.lastPush?.stopped {
                switch stop {
                case .offline:
                    Text("Offline: queued changes are sent when the connection returns.").foregroundStyle(.warning)
                case .unauthorized:
                    Text("The server did not accept the token. Sign in again; nothing queued is lost.").foregroundStyle(.danger)
                }
            }
            if model.outbox.isEmpty {
                Text("Nothing sent from this phone yet.").foregroundStyle(.secondaryText)
            }
            if let next = model.nextPushAttempt {
                Text("Next try to send: \(next.formatted(date: .omitted, time: .shortened))").foregroundStyle(.secondaryText)
            }
            ForEach(model.outbox, id: \.id) { entry in
                OutboxRow(entry: entry, sessions: model.sessions, locations: model.locations)
                    .swipeActions {
                        if entry.state == .rejected {
                            Button("Try again") { Task { await model.retry(entry) } }.tint(.accentColor)
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
            Text(entry.createdAt, format: .dateTime.hour().minute()).font(.caption).foregroundStyle(.secondaryText)
            if let rejection = entry.rejection {
                Text("Refused: \(rejection.message)").font(.caption).foregroundStyle(.danger)
            } else if entry.state == .pending, let error = entry.lastError {
                Text(error).font(.caption).foregroundStyle(.secondaryText)
            }
        }
        .accessibilityElement(children: .combine)
    }
}
