import MarktplatzKit
import SwiftUI

/// The hall plan with a pin per place (tap one for the station), pinch (MagnifyGesture) or the
/// zoom buttons to zoom, and below it the places as a list in the plan's reading order.
struct HallMapView: View {
    let app: AppModel
    @State private var model: HallMapModel

    init(app: AppModel, focus: MapFocus?) {
        self.app = app
        _model = State(initialValue: HallMapModel(app: app, focus: focus))
    }

    var body: some View {
        VStack(spacing: 0) {
            if let file = model.mapFile {
                ZoomablePlan(file: file, aspectRatio: model.aspectRatio ?? 1.5, pins: model.pins, highlighted: model.highlighted)
                    .frame(maxHeight: .infinity)
            } else {
                EmptyStateView(loading: model.loading, problem: model.problem, empty: "This event has no hall map yet.")
            }
            List {
                Section("Places on the map, top to bottom") {
                    ForEach(model.list) { entry in
                        NavigationLink(value: Route.station(entry.stationId)) {
                            VStack(alignment: .leading) {
                                Text(entry.label)
                                if entry.stationId == model.highlighted {
                                    Text("Shown on the map").font(.footnote).foregroundStyle(.secondaryText)
                                } else if !entry.pinned {
                                    Text("Not marked on the map").font(.footnote).foregroundStyle(.secondaryText)
                                }
                            }
                            .accessibilityElement(children: .combine)
                        }
                    }
                }
            }
            .frame(maxHeight: .infinity)
        }
        .navigationTitle("Hall map")
        .task(id: app.content.version) { await model.load() }
    }
}

/// The plan image with its pins; pinch to zoom, drag to move when zoomed, or the buttons.
/// `onPlanTap` (organiser mode) gets a tap on the plan as (x, y, width, height) in the plan's
/// own unzoomed points, the input of `PinPlacement`; `onPin` replaces opening the station.
struct ZoomablePlan: View {
    let file: URL
    let aspectRatio: Double
    let pins: [MapPin]
    let highlighted: String?
    var onPin: ((String) -> Void)?
    var onPlanTap: ((Double, Double, Double, Double) -> Void)?
    @State private var scale: CGFloat = 1
    @State private var pinchStart: CGFloat = 1
    @State private var offset: CGSize = .zero
    @State private var dragStart: CGSize = .zero
    @Environment(\.colorScheme) private var colorScheme

    private let maxZoom: CGFloat = 5

    var body: some View {
        ZStack(alignment: .bottomTrailing) {
            GeometryReader { outer in
                plan
                    .scaleEffect(scale)
                    .offset(offset)
                    .frame(width: outer.size.width, height: outer.size.height)
            }
            .clipped()
            .gesture(
                MagnifyGesture()
                    .onChanged { value in zoom(to: pinchStart * value.magnification) }
                    .onEnded { _ in pinchStart = scale }
            )
            .simultaneousGesture(
                DragGesture()
                    .onChanged { value in
                        guard scale > 1 else { return }
                        offset = CGSize(width: dragStart.width + value.translation.width, height: dragStart.height + value.translation.height)
                    }
                    .onEnded { _ in dragStart = offset }
            )
            HStack {
                Button { zoom(to: scale / 1.5); pinchStart = scale } label: { Image(systemName: "minus.magnifyingglass") }
                    .accessibilityLabel(Text("Zoom out"))
                    .disabled(scale <= 1)
                Button { zoom(to: scale * 1.5); pinchStart = scale } label: { Image(systemName: "plus.magnifyingglass") }
                    .accessibilityLabel(Text("Zoom in"))
                    .disabled(scale >= maxZoom)
            }
            .buttonStyle(.bordered)
            .padding(8)
        }
    }

    /// The image at its aspect ratio with the pins placed by their fractions of it.
    private var plan: some View {
        LocalImage(url: file, contentMode: .fit)
            // The plan is a light picture: dimmed a little in dark mode so it does not glare.
            .opacity(colorScheme == .dark ? 0.85 : 1)
            .accessibilityLabel(Text("Map of the venue"))
            .aspectRatio(aspectRatio, contentMode: .fit)
            .overlay {
                GeometryReader { geometry in
                    if let onPlanTap {
                        // Under the pins, inside the zoom: taps arrive in the plan's own points.
                        Color.clear
                            .contentShape(Rectangle())
                            .onTapGesture { at in onPlanTap(at.x, at.y, geometry.size.width, geometry.size.height) }
                    }
                    ForEach(pins) { pin in
                        Group {
                            if let onPin {
                                Button { onPin(pin.stationId) } label: { PinMark(highlighted: pin.stationId == highlighted) }
                            } else {
                                NavigationLink(value: Route.station(pin.stationId)) {
                                    PinMark(highlighted: pin.stationId == highlighted)
                                }
                            }
                        }
                        .frame(width: 44, height: 44)
                        .contentShape(Rectangle())
                        .position(x: geometry.size.width * pin.x, y: geometry.size.height * pin.y)
                        .accessibilityLabel(pin.stationId == highlighted ? Text("\(pin.label), highlighted") : Text(pin.label))
                    }
                }
            }
    }

    private func zoom(to next: CGFloat) {
        scale = min(max(next, 1), maxZoom)
        if scale == 1 {
            offset = .zero
            dragStart = .zero
        }
    }
}

/// A dot in the accent colour ringed in the background colour, so it stands out on the light
/// plan in both modes; the highlighted one is larger and orange.
private struct PinMark: View {
    let highlighted: Bool

    var body: some View {
        Circle()
            .fill(highlighted ? Color.warning : Color.accentColor)
            .overlay(Circle().stroke(Color(.systemBackground), lineWidth: 3))
            .frame(width: highlighted ? 28 : 18, height: highlighted ? 28 : 18)
    }
}
