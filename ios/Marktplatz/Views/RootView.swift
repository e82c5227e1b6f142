import SwiftUI

/// Five tabs, each with its own navigation stack; detail screens are pushed as `Route`s.
struct RootView: View {
    let app: AppModel
    @State private var router = Router()
    @State private var unseen = 0
    @State private var accessCode = ""
    /// "Later" on the access-code prompt: not asked again until the next sync is refused.
    @State private var askedLater = false

    var body: some View {
        TabView(selection: $router.tab) {
            NavigationStack(path: $router.agenda) {
                AgendaView(app: app).withRoutes(app)
            }
            .tabItem { Label("Agenda", systemImage: "calendar") }
            .tag(Router.Tab.agenda)

            NavigationStack(path: $router.myAgenda) {
                MyAgendaView(app: app).withRoutes(app)
            }
            .tabItem { Label("My agenda", systemImage: "star") }
            .badge(unseen)
            .tag(Router.Tab.myAgenda)

            NavigationStack(path: $router.search) {
                SearchView(app: app).withRoutes(app)
            }
            .tabItem { Label("Search", systemImage: "magnifyingglass") }
            .tag(Router.Tab.search)

            NavigationStack(path: $router.stations) {
                StationsView(app: app).withRoutes(app)
            }
            .tabItem { Label("Stations", systemImage: "storefront") }
            .tag(Router.Tab.stations)

            NavigationStack(path: $router.more) {
                MoreView(app: app).withRoutes(app)
            }
            .tabItem { Label("More", systemImage: "ellipsis.circle") }
            .tag(Router.Tab.more)
        }
        .alert("Access code", isPresented: accessCodePrompt) {
            TextField("Code from your badge or the entrance", text: $accessCode)
                .textInputAutocapitalization(.never)
                .autocorrectionDisabled()
            Button("Open event") {
                let code = accessCode.trimmingCharacters(in: .whitespaces)
                Task { await app.sync.enterAccessCode(code) }
            }
            .disabled(accessCode.trimmingCharacters(in: .whitespaces).isEmpty)
            Button("Later", role: .cancel) { askedLater = true }
        } message: {
            if let problem = app.sync.problem { Text(problem.message) }
        }
        // Each new sync may be refused again: ask again then.
        .onChange(of: app.sync.running) { _, running in if running { askedLater = false } }
        .task(id: app.content.version) {
            unseen = (try? await app.repo.unseenAlertCount(eventId: app.eventId)) ?? 0
        }
        .onChange(of: app.requestedSession) { _, session in
            guard let session else { return }
            router.open(session: session)
            app.requestedSession = nil
        }
        .onChange(of: app.requestedOrganiserLink) { _, link in
            if link != nil { router.openOrganiser() }
        }
        .onOpenURL { url in
            if url.host?.lowercased() == OrganiserLink.host { app.requestedOrganiserLink = url.absoluteString }
        }
        .onChange(of: app.requestedAnnouncements) { _, requested in
            guard requested else { return }
            router.openAnnouncements()
            app.requestedAnnouncements = false
        }
    }
}

extension RootView {
    /// Shown when a sync was refused for want of the access code, until answered or put off.
    private var accessCodePrompt: Binding<Bool> {
        Binding(
            get: { app.sync.needsAccessCode && !app.sync.running && !askedLater },
            set: { shown in if !shown { askedLater = true } }
        )
    }
}

extension View {
    /// The screens every tab can push.
    func withRoutes(_ app: AppModel) -> some View {
        navigationDestination(for: Route.self) { route in
            switch route {
            case .session(let id): SessionDetailView(app: app, sessionId: id)
            case .station(let id): StationDetailView(app: app, locationId: id)
            case .exhibitor(let id): ExhibitorDetailView(app: app, exhibitorId: id)
            case .speaker(let id): SpeakerDetailView(app: app, speakerId: id)
            case .speakers: SpeakersView(app: app)
            case .announcements: AnnouncementsView(app: app)
            case .gallery: GalleryView(app: app)
            case .info: EventInfoView(app: app)
            case .settings: SettingsView(app: app)
            case .organiser: OrganiserView(app: app)
            case .map(let focus): HallMapView(app: app, focus: focus)
            case .accessibilityStatement: AccessibilityStatementView(app: app)
            case .events: EventPickerView(app: app)
            case .composeAnnouncement: ComposeAnnouncementView(app: app)
            case .changeSession: SessionChangeView(app: app)
            case .addPhoto: PhotoView(app: app)
            case .hallPlan: HallPlanView(app: app)
            case .share: ShareView(app: app)
            case .organiserEdit(let kind): OrganiserEditView(app: app, kind: kind)
            }
        }
    }
}
