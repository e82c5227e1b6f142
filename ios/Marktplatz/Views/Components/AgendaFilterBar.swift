import MarktplatzKit
import SwiftUI

/// The agenda's filters: a station or room, and a track; each menu shows the current choice.
struct AgendaFilterBar: View {
    let filter: AgendaFilter
    let places: [AgendaPlace]
    let tracks: [Track]
    let onChange: (AgendaFilter) -> Void

    var body: some View {
        ScrollView(.horizontal, showsIndicators: false) {
            HStack(spacing: 8) {
                Menu {
                    Button("All stations and rooms") { onChange(AgendaFilter(locationId: nil, trackId: filter.trackId)) }
                    ForEach(places) { place in
                        Button(place.name) { onChange(AgendaFilter(locationId: place.id, trackId: filter.trackId)) }
                    }
                } label: {
                    chip(places.first { $0.id == filter.locationId }.map { Text($0.name) } ?? Text("All stations and rooms"), active: filter.locationId != nil)
                }
                Menu {
                    Button("All tracks") { onChange(AgendaFilter(locationId: filter.locationId, trackId: nil)) }
                    ForEach(tracks, id: \.id) { track in
                        Button(track.name) { onChange(AgendaFilter(locationId: filter.locationId, trackId: track.id)) }
                    }
                } label: {
                    chip(tracks.first { $0.id == filter.trackId }.map { Text($0.name) } ?? Text("All tracks"), active: filter.trackId != nil)
                }
            }
        }
    }

    private func chip(_ label: Text, active: Bool) -> some View {
        HStack(spacing: 4) {
            label
            Image(systemName: "chevron.down").accessibilityHidden(true)
        }
        .font(.subheadline)
        .padding(.horizontal, 12)
        .padding(.vertical, 6)
        .background(active ? Color.accentColor.opacity(0.2) : Color.secondaryText.opacity(0.12), in: Capsule())
        .accessibilityAddTraits(active ? .isSelected : [])
    }
}
