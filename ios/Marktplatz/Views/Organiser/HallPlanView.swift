import MarktplatzKit
import PhotosUI
import SwiftUI
import UIKit

/// The hall plan in organiser mode: pick a new plan image, choose a station and tap its place
/// on the plan (its pin moves at once and is sent like every operation).
struct HallPlanView: View {
    let app: AppModel
    @State private var model: OrganiserModel
    @State private var plan: HallMapModel
    @State private var picked: PhotosPickerItem?
    @State private var chosen: String?
    @State private var problem: Problem?

    init(app: AppModel) {
        self.app = app
        _model = State(initialValue: OrganiserModel(app: app))
        _plan = State(initialValue: HallMapModel(app: app, focus: nil))
    }

    var body: some View {
        VStack(spacing: 0) {
            PhotosPicker(selection: $picked, matching: .images) {
                Label("Pick a new hall plan", systemImage: "photo.on.rectangle")
            }
            .disabled(model.busy)
            .padding(8)
            if let problem = problem ?? model.problem {
                ProblemView(problem: problem).padding(.horizontal)
            }
            if let file = plan.mapFile {
                ZoomablePlan(file: file, aspectRatio: plan.aspectRatio ?? 1.5, pins: plan.pins, highlighted: chosen,
                             onPin: { chosen = $0 },
                             onPlanTap: { x, y, width, height in
                                 guard let station = chosen else { return }
                                 Task { await model.place(station: station, x: x, y: y, width: width, height: height) }
                             })
                    .frame(maxHeight: .infinity)
            } else {
                EmptyStateView(loading: plan.loading, problem: plan.problem, empty: "This event has no hall map yet.")
            }
            List {
                Section {
                    Picker("Station", selection: $chosen) {
                        ForEach(model.entries[.station] ?? []) { station in
                            Text(station.label).tag(Optional(station.id))
                        }
                    }
                    .pickerStyle(.inline)
                    .labelsHidden()
                } footer: {
                    Text("Choose a station below, then tap its place on the plan. Its pin moves on every phone with the next sync.")
                }
            }
            .frame(maxHeight: .infinity)
        }
        .navigationTitle("Hall plan and station places")
        .toolbar { if model.busy { ProgressView() } }
        .onChange(of: picked) { _, item in
            guard let item else { return }
            Task {
                guard let data = try? await item.loadTransferable(type: Data.self), let image = UIImage(data: data),
                      let jpeg = await Task.detached(priority: .userInitiated, operation: { PhotoEncoding.jpeg(image) }).value else {
                    problem = Problem(kind: .invalidInput, detail: "")
                    return
                }
                problem = nil
                await model.setHallPlan(jpeg)
            }
        }
        .task(id: app.content.version) {
            await model.load()
            await plan.load()
        }
    }
}
