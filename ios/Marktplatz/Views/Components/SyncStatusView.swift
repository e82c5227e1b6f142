import SwiftUI

/// The quiet indicator: "Updated 5 minutes ago", a small spinner while a sync runs, a
/// cloud-slash when the last try had no connection. Never a blocking alert.
struct SyncStatusView: View {
    let sync: SyncCoordinator

    var body: some View {
        HStack(spacing: 6) {
            status
                .accessibilityElement(children: .combine)
            if sync.running {
                // Stops the sync between two pages (what arrived stays); the next one carries on.
                // Outside the combined element so VoiceOver offers it as a button of its own.
                Button {
                    sync.cancel()
                } label: {
                    Image(systemName: "xmark.circle")
                }
                .buttonStyle(.borderless)
                .accessibilityLabel(Text("Stop updating"))
            }
        }
        .font(.caption2)
        .foregroundStyle(.secondaryText)
    }

    @ViewBuilder
    private var status: some View {
        HStack(spacing: 6) {
            if sync.running {
                ProgressView()
                    .controlSize(.mini)
                Text("Updating…")
            } else {
                if sync.problem?.kind == .offline {
                    Image(systemName: "icloud.slash")
                        .accessibilityLabel(Text("No connection"))
                }
                if let lastUpdated = sync.lastUpdated {
                    TimelineView(.periodic(from: .now, by: 30)) { context in
                        Text("Updated \(lastUpdated.formatted(.relative(presentation: .named, unitsStyle: .wide)))")
                            .id(context.date)
                    }
                } else {
                    Text("Not updated yet")
                }
            }
        }
    }
}

extension View {
    /// The indicator as a slim bar under the navigation bar.
    func syncStatus(_ sync: SyncCoordinator) -> some View {
        safeAreaInset(edge: .top, spacing: 0) {
            SyncStatusView(sync: sync)
                .frame(maxWidth: .infinity)
                .padding(.vertical, 4)
                .background(.bar)
        }
    }
}
