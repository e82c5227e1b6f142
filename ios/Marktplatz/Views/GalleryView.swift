import MarktplatzKit
import SwiftUI

/// Thumbnails from the device (there offline); a tap loads the full image.
struct GalleryView: View {
    let app: AppModel
    @State private var model: GalleryModel
    private let columns = [GridItem(.adaptive(minimum: 110), spacing: 4)]

    init(app: AppModel) {
        self.app = app
        _model = State(initialValue: GalleryModel(app: app))
    }

    var body: some View {
        ScrollView {
            if model.tiles.isEmpty {
                EmptyStateView(loading: model.loading, problem: model.problem, empty: "No photos yet.")
                    .padding()
            } else if let problem = model.problem {
                ProblemView(problem: problem).padding()
            }
            LazyVGrid(columns: columns, spacing: 4) {
                ForEach(model.tiles) { tile in
                    Button {
                        Task { await model.open(tile.item) }
                    } label: {
                        Group {
                            if let thumbnail = tile.thumbnail {
                                LocalImage(url: thumbnail)
                            } else {
                                Image(systemName: "photo").foregroundStyle(.secondaryText)
                            }
                        }
                        .frame(minWidth: 0, maxWidth: .infinity)
                        .aspectRatio(1, contentMode: .fill)
                        .background(Color(.secondarySystemBackground))
                        .clipped()
                    }
                    .buttonStyle(.plain)
                    .accessibilityLabel(tile.item.caption.isEmpty ? Text("Photo") : Text(tile.item.caption))
                    .accessibilityHint(Text("Shows the photo full size"))
                }
            }
            .padding(4)
        }
        .navigationTitle("Gallery")
        .syncStatus(app.sync)
        .refreshable { await app.sync.sync() }
        .task(id: app.content.version) { await model.load() }
        .fullScreenCover(item: $model.opened) { opened in
            FullPhotoView(opened: opened)
        }
    }
}

/// The full image: a spinner while it downloads, the reason if it cannot.
private struct FullPhotoView: View {
    let opened: GalleryModel.Opened
    @Environment(\.dismiss) private var dismiss

    var body: some View {
        ZStack(alignment: .bottomLeading) {
            Color.black.ignoresSafeArea()
            if let file = opened.file {
                LocalImage(url: file, contentMode: .fit)
                    .frame(maxWidth: .infinity, maxHeight: .infinity)
                    .accessibilityLabel(Text(opened.item.caption))
            } else if let problem = opened.problem {
                ProblemView(problem: problem).padding().background(.regularMaterial).frame(maxWidth: .infinity, maxHeight: .infinity)
            } else {
                ProgressView().tint(.white).frame(maxWidth: .infinity, maxHeight: .infinity)
            }
            VStack(alignment: .leading) {
                if !opened.item.caption.isEmpty { Text(opened.item.caption) }
                if !opened.item.credit.isEmpty { Text("Photo: \(opened.item.credit)").font(.caption) }
            }
            .foregroundStyle(.white)
            .padding()
            .frame(maxWidth: .infinity, alignment: .leading)
            // The scrim keeps the white text readable over any photo, a white one too.
            .background(Color.black.opacity(0.6))
        }
        .overlay(alignment: .topTrailing) {
            Button {
                dismiss()
            } label: {
                Image(systemName: "xmark.circle.fill").font(.title).foregroundStyle(.white)
                    .background(Circle().fill(Color.black.opacity(0.6)))
            }
            .accessibilityLabel(Text("Close"))
            .padding()
        }
    }
}
