import MarktplatzKit
import SwiftUI

/// Every speaker, with photo (when on the device), role and organisation.
struct SpeakersView: View {
    let app: AppModel
    @State private var model: SpeakersModel

    init(app: AppModel) {
        self.app = app
        _model = State(initialValue: SpeakersModel(app: app))
    }

    var body: some View {
        List {
            if model.speakers.isEmpty {
                EmptyStateView(loading: model.loading, problem: model.problem, empty: "No speakers.")
            } else if let problem = model.problem {
                ProblemView(problem: problem)
            }
            ForEach(model.speakers, id: \.id) { speaker in
                NavigationLink(value: Route.speaker(speaker.id)) {
                    HStack(spacing: 12) {
                        Avatar(name: speaker.name, photo: model.photos[speaker.id])
                        VStack(alignment: .leading) {
                            Text(speaker.name).font(.headline)
                            let role = [speaker.role, speaker.organisation].compactMap { $0 }.joined(separator: ", ")
                            if !role.isEmpty { Text(role).font(.subheadline).foregroundStyle(.secondaryText) }
                        }
                        Spacer()
                        if model.favourites.contains(speaker.id) {
                            Image(systemName: "star.fill").foregroundStyle(.tint).accessibilityLabel(Text("In my agenda"))
                        }
                    }
                    .accessibilityElement(children: .combine)
                }
            }
        }
        .listStyle(.plain)
        .navigationTitle("Speakers")
        .task(id: app.content.version) { await model.load() }
    }
}
