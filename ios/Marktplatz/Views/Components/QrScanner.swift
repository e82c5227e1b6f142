import AVFoundation
import SwiftUI
import UIKit

/// The back camera's picture with QR codes read from it (AVFoundation metadata output `.qr`):
/// each different code is handed to `onCode` once, on the main thread. Without the camera
/// (denied, or none) it says so and offers the system settings.
struct QrScanner: View {
    let onCode: (String) -> Void
    @State private var access = AVCaptureDevice.authorizationStatus(for: .video)

    var body: some View {
        Group {
            switch access {
            case .authorized:
                QrCameraView(onCode: onCode)
                    .aspectRatio(1, contentMode: .fit)
                    .accessibilityElement()
                    .accessibilityLabel(Text("Camera picture: hold the QR code inside it"))
            case .notDetermined:
                ProgressView()
                    .task {
                        _ = await AVCaptureDevice.requestAccess(for: .video)
                        access = AVCaptureDevice.authorizationStatus(for: .video)
                    }
            default:
                VStack(alignment: .leading, spacing: 8) {
                    Text("The camera is needed to read the QR code.")
                    if let settings = URL(string: UIApplication.openSettingsURLString) {
                        Link("Open the app’s settings", destination: settings)
                    }
                }
            }
        }
        // Allowed in the settings meanwhile: checked again when the app comes back.
        .onReceive(NotificationCenter.default.publisher(for: UIApplication.didBecomeActiveNotification)) { _ in
            access = AVCaptureDevice.authorizationStatus(for: .video)
        }
    }
}

/// The capture session in a UIView, started and stopped with the view.
private struct QrCameraView: UIViewRepresentable {
    let onCode: (String) -> Void

    func makeCoordinator() -> Coordinator {
        Coordinator(onCode: onCode)
    }

    func makeUIView(context: Context) -> PreviewView {
        let view = PreviewView()
        let session = context.coordinator.session
        view.previewLayer.session = session
        view.previewLayer.videoGravity = .resizeAspectFill
        guard let camera = AVCaptureDevice.default(for: .video),
              let input = try? AVCaptureDeviceInput(device: camera),
              session.canAddInput(input)
        else { return view }
        session.addInput(input)
        let output = AVCaptureMetadataOutput()
        guard session.canAddOutput(output) else { return view }
        session.addOutput(output)
        output.setMetadataObjectsDelegate(context.coordinator, queue: .main)
        output.metadataObjectTypes = [.qr]
        // startRunning blocks: never on the main thread.
        DispatchQueue.global(qos: .userInitiated).async { session.startRunning() }
        return view
    }

    func updateUIView(_ view: PreviewView, context: Context) {
        context.coordinator.onCode = onCode
    }

    static func dismantleUIView(_ view: PreviewView, coordinator: Coordinator) {
        let session = coordinator.session
        DispatchQueue.global(qos: .userInitiated).async { session.stopRunning() }
    }

    final class Coordinator: NSObject, AVCaptureMetadataOutputObjectsDelegate {
        let session = AVCaptureSession()
        var onCode: (String) -> Void
        private var lastCode: String?

        init(onCode: @escaping (String) -> Void) {
            self.onCode = onCode
        }

        func metadataOutput(_ output: AVCaptureMetadataOutput, didOutput metadataObjects: [AVMetadataObject], from connection: AVCaptureConnection) {
            guard let code = metadataObjects.compactMap({ ($0 as? AVMetadataMachineReadableCodeObject)?.stringValue }).first,
                  code != lastCode
            else { return }
            lastCode = code
            onCode(code)
        }
    }

    final class PreviewView: UIView {
        override static var layerClass: AnyClass { AVCaptureVideoPreviewLayer.self }
        // layerClass above makes the layer always a preview layer.
        var previewLayer: AVCaptureVideoPreviewLayer { layer as! AVCaptureVideoPreviewLayer }
    }
}
