import PhotosUI
import SwiftUI
import UIKit

/// Take a photo or pick one, caption it, and queue it for the gallery.
struct PhotoView: View {
    let app: AppModel
    @State private var model: OrganiserModel
    @State private var picked: PhotosPickerItem?
    @State private var image: UIImage?
    @State private var caption = ""
    @State private var credit = ""
    @State private var showingCamera = false
    @State private var problem: Problem?
    @Environment(\.dismiss) private var dismiss

    init(app: AppModel) {
        self.app = app
        _model = State(initialValue: OrganiserModel(app: app))
    }

    var body: some View {
        Form {
            Section {
                if CameraPicker.isAvailable {
                    Button {
                        showingCamera = true
                    } label: {
                        Label("Take photo", systemImage: "camera")
                    }
                }
                PhotosPicker(selection: $picked, matching: .images) {
                    Label("Choose photo", systemImage: "photo.on.rectangle")
                }
                if let image {
                    Image(uiImage: image)
                        .resizable()
                        .scaledToFit()
                        .frame(maxHeight: 320)
                        .accessibilityLabel(Text("The photo to add"))
                }
            }
            Section {
                TextField("Caption", text: $caption, axis: .vertical)
                TextField("Photographer", text: $credit)
            }
            if let problem = problem ?? model.problem {
                Section { ProblemView(problem: problem) }
            }
            Section {
                Button("Add to gallery") {
                    guard let image else { return }
                    Task { await submit(image) }
                }
                .disabled(image == nil || model.busy)
            }
        }
        .navigationTitle("Add a photo")
        .fullScreenCover(isPresented: $showingCamera) {
            CameraPicker { photo in image = photo }.ignoresSafeArea()
        }
        .onChange(of: picked) { _, item in
            guard let item else { return }
            Task {
                if let data = try? await item.loadTransferable(type: Data.self), let loaded = UIImage(data: data) {
                    image = loaded
                } else {
                    problem = Problem(kind: .invalidInput, detail: "")
                }
            }
        }
        .task { await model.load() }
    }

    private func submit(_ image: UIImage) async {
        guard let jpeg = await Task.detached(priority: .userInitiated, operation: { PhotoEncoding.jpeg(image) }).value else {
            problem = Problem(kind: .invalidInput, detail: "")
            return
        }
        await model.addPhoto(jpeg, caption: caption.trimmingCharacters(in: .whitespacesAndNewlines), credit: credit.trimmingCharacters(in: .whitespacesAndNewlines))
        if model.problem == nil { dismiss() }
    }
}

/// A photo as JPEG bytes the core accepts: upright, at most 2560 px on the long edge, so an
/// organiser on a weak signal sends about a megabyte (HEIC from the library included).
enum PhotoEncoding {
    static func jpeg(_ image: UIImage, maxEdge: CGFloat = 2560) -> Data? {
        let longest = max(image.size.width, image.size.height)
        let scale = min(1, maxEdge / max(longest, 1))
        let size = CGSize(width: image.size.width * scale, height: image.size.height * scale)
        let format = UIGraphicsImageRendererFormat.default()
        format.scale = 1
        // Drawing applies the orientation, so the JPEG is upright without EXIF.
        let upright = UIGraphicsImageRenderer(size: size, format: format).image { _ in
            image.draw(in: CGRect(origin: .zero, size: size))
        }
        return upright.jpegData(compressionQuality: 0.85)
    }
}
