import CoreImage.CIFilterBuiltins
import SwiftUI

/// `text` as a QR code, black on white in both appearances (scanners need the contrast) with a
/// quiet zone; `description` is what VoiceOver says instead of the picture.
struct QrCodeImage: View {
    let text: String
    let description: LocalizedStringKey

    var body: some View {
        Group {
            if let image = Self.render(text) {
                Image(uiImage: image)
                    .interpolation(.none)
                    .resizable()
                    .scaledToFit()
            } else {
                Image(systemName: "qrcode")
                    .resizable()
                    .scaledToFit()
            }
        }
        .frame(maxWidth: 260, maxHeight: 260)
        .padding(16)
        .background(Color.white)
        .accessibilityElement()
        .accessibilityLabel(description)
        .accessibilityAddTraits(.isImage)
    }

    /// One point per module, scaled up without blur by the view.
    private static func render(_ text: String) -> UIImage? {
        let filter = CIFilter.qrCodeGenerator()
        filter.message = Data(text.utf8)
        filter.correctionLevel = "M"
        guard let output = filter.outputImage,
              let cgImage = CIContext().createCGImage(output, from: output.extent)
        else { return nil }
        return UIImage(cgImage: cgImage)
    }
}
