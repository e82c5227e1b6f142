import MarktplatzKit
import SwiftUI

/// One speaker: photo, role, bio, links, and their sessions.
struct SpeakerDetailView: View {
    let app: AppModel
    @State private var model: SpeakerDetailModel

    init(app: AppModel, speakerId: String) {
        self.app = app
        _model = State(initialValue: SpeakerDetailModel(app: app, speakerId: speakerId))
    }

    var body: some View {
        List {
            if model.speaker != nil, let problem = model.problem {
                ProblemView(problem: problem)
            }
            if let speaker = model.speaker {
                Section {
                    HStack(spacing: 16) {
                        Avatar(name: speaker.name, photo: model.photo, size: 88)
                        VStack(alignment: .leading) {
                            Text(speaker.name).font(.title2.bold()).accessibilityAddTraits(.isHeader)
                            let role = [speaker.role, speaker.organisation].compactMap { $0 }.joined(separator: ", ")
                            if !role.isEmpty { Text(role).foregroundStyle(.secondaryText) }
                        }
                    }
                    if !speaker.bio.isEmpty { Text(speaker.bio) }
                    ForEach(speaker.links, id: \.url) { link in
                        if let url = URL(string: link.url) { Link(link.title, destination: url) }
                    }
                }
                if !model.sessions.isEmpty {
                    Section("Sessions") {
                        ForEach(model.sessions, id: \.id) { session in
                            NavigationLink(value: Route.session(session.id)) { SessionRow(session: session, favourite: nil) }
                        }
                    }
                }
            } else {
                EmptyStateView(loading: model.loading, problem: model.problem, empty: "No speakers.")
            }
        }
        .navigationBarTitleDisplayMode(.inline)
        .toolbar {
            if let speaker = model.speaker {
                FavouriteButton(isFavourite: model.favourite, name: speaker.name) {
                    Task { await model.toggleFavourite() }
                }
            }
        }
        .task(id: app.content.version) { await model.load() }
    }
}
