import SwiftUI
import UIKit

/// An image from the core's asset cache (a local file, decoded off the main thread).
struct LocalImage: View {
    let url: URL
    var contentMode: ContentMode = .fill
    @State private var image: UIImage?

    var body: some View {
        Group {
            if let image {
                Image(uiImage: image)
                    .resizable()
                    .aspectRatio(contentMode: contentMode)
            } else {
                Color(.secondarySystemBackground)
            }
        }
        .task(id: url) {
            let path = url.path
            image = await Task.detached(priority: .userInitiated) { UIImage(contentsOfFile: path) }.value
        }
    }
}

/// A speaker's photo if it is on the device, else their initials (decorative: the name is beside it).
struct Avatar: View {
    let name: String
    let photo: URL?
    var size: CGFloat = 44

    var body: some View {
        Group {
            if let photo {
                LocalImage(url: photo)
            } else {
                Text(initials)
                    .font(.headline)
                    .foregroundStyle(.secondaryText)
                    .frame(maxWidth: .infinity, maxHeight: .infinity)
                    .background(Color(.tertiarySystemFill))
            }
        }
        .frame(width: size, height: size)
        .clipShape(Circle())
        .accessibilityHidden(true)
    }

    private var initials: String {
        let parts = name.split(whereSeparator: { $0 == " " || $0 == "-" }).filter { $0.first?.isLetter == true }
        let first = parts.first?.prefix(1) ?? ""
        let last = parts.count > 1 ? parts.last?.prefix(1) ?? "" : ""
        return (first + last).uppercased()
    }
}
