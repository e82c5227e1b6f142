import MarktplatzKit
import SwiftUI

/// One session in a list: time, title, place and speakers, the track's colour, the star.
/// VoiceOver reads it as one element, with the star as an action.
struct SessionRow<Badges: View>: View {
    let session: SessionSummary
    /// nil hides the star (lists where it would be noise).
    let favourite: Bool?
    var onToggleFavourite: () -> Void = {}
    @ViewBuilder var badges: () -> Badges

    var body: some View {
        HStack(alignment: .top, spacing: 12) {
            RoundedRectangle(cornerRadius: 2)
                .fill(Color(hex: session.trackColor) ?? .clear)
                .frame(width: 4)
            VStack(alignment: .leading, spacing: 2) {
                Text(session.localStart).font(.subheadline.bold())
                Text(session.localEnd).font(.caption).foregroundStyle(.secondaryText)
            }
            .frame(minWidth: 48, alignment: .leading)
            VStack(alignment: .leading, spacing: 4) {
                if session.status == .cancelled {
                    Text("Cancelled").font(.caption.bold()).foregroundStyle(.danger)
                }
                Text(session.title)
                    .font(.headline)
                    .strikethrough(session.status == .cancelled)
                let place = [session.locationName, session.speakerNames.isEmpty ? nil : session.speakerNames.joined(separator: ", ")]
                    .compactMap { $0 }
                    .joined(separator: " · ")
                if !place.isEmpty {
                    Text(place).font(.subheadline).foregroundStyle(.secondaryText)
                }
                badges()
            }
            Spacer(minLength: 0)
            if let favourite {
                FavouriteButton(isFavourite: favourite, name: session.title, action: onToggleFavourite)
                    .buttonStyle(.borderless)
            }
        }
        .padding(.vertical, 4)
        .accessibilityElement(children: .combine)
    }
}

extension SessionRow where Badges == EmptyView {
    init(session: SessionSummary, favourite: Bool?, onToggleFavourite: @escaping () -> Void = {}) {
        self.init(session: session, favourite: favourite, onToggleFavourite: onToggleFavourite) { EmptyView() }
    }
}

extension Color {
    /// A track colour from the programme ("#1B6E53"); nil when missing or malformed.
    init?(hex: String?) {
        guard let hex, hex.hasPrefix("#"), hex.count == 7, let value = UInt32(hex.dropFirst(), radix: 16) else { return nil }
        self.init(
            red: Double((value >> 16) & 0xFF) / 255,
            green: Double((value >> 8) & 0xFF) / 255,
            blue: Double(value & 0xFF) / 255
        )
    }
}
