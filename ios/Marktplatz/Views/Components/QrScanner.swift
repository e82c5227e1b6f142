import AVFoundation
import SwiftUI
import UIKit

/// The camera looking for a QR code; `onCode` gets its text once per distinct code (on the main
/// actor). Asks for the camera when shown; after a denial it says so and offers the system
/// settings. Screens offer a paste field beside it (the alternative for VoiceOver users too).
struct QrScanner: View {
    let onCode: (String) -> Void
    @State private var status = AVCaptureDevice.authorizationStatus(for: .video)
    @Environment(\.openURL) private var openURL
    @Environment(\.scenePhase) private var scenePhase

    var body: some View {
        Group {
            switch status {
            case .authorized:
                CameraQrView(onCode: onCode)
                    .aspectRatio(1, contentMode: .fit)
                    .accessibilityLabel("Camera view: hold the QR code in the frame. You can also paste the code below.")
            case .notDetermined:
                // Shown because the user asked to scan: ask at once; the button stays for a
                // dismissed dialog.
                Button("Scan the code with the camera") {
                    Task { await askForCamera() }
                }
                .task { await askForCamera() }
            default:
                VStack(alignment: .leading, spacing: 8) {
                    Text("The camera is not allowed for this app. Allow it in the system settings, or paste the code below.")
                    Button("Open system settings") {
                        if let url = URL(string: UIApplication.openSettingsURLString) { openURL(url) }
                    }
                }
            }
        }
        // Back from the system settings: the camera may be allowed now.
        .onChange(of: scenePhase) { _, phase in
            if phase == .active { status = AVCaptureDevice.authorizationStatus(for: .video) }
        }
    }

    private func askForCamera() async {
        _ = await AVCaptureDevice.requestAccess(for: .video)
        status = AVCaptureDevice.authorizationStatus(for: .video)
    }
}

/// An AVFoundation capture session with a metadata output for QR codes, shown as a preview.
private struct CameraQrView: UIViewControllerRepresentable {
    let onCode: (String) -> Void

    func makeUIViewController(context: Context) -> ScannerController {
        ScannerController(onCode: onCode)
    }

    func updateUIViewController(_ controller: ScannerController, context: Context) {
        controller.onCode = onCode
    }
}

private final class ScannerController: UIViewController, AVCaptureMetadataOutputObjectsDelegate {
    var onCode: (String) -> Void
    private let session = AVCaptureSession()
    private var preview: AVCaptureVideoPreviewLayer?
    private var lastCode: String?

    init(onCode: @escaping (String) -> Void) {
        self.onCode = onCode
        super.init(nibName: nil, bundle: nil)
    }

    @available(*, unavailable)
    required init?(coder: NSCoder) {
        fatalError("not used from a storyboard")
    }

    override func viewDidLoad() {
        super.viewDidLoad()
        guard let camera = AVCaptureDevice.default(for: .video),
              let input = try? AVCaptureDeviceInput(device: camera),
              session.canAddInput(input)
        else { return }
        session.addInput(input)
        let output = AVCaptureMetadataOutput()
        guard session.canAddOutput(output) else { return }
        session.addOutput(output)
        output.setMetadataObjectsDelegate(self, queue: .main)
        output.metadataObjectTypes = [.qr]
        let layer = AVCaptureVideoPreviewLayer(session: session)
        layer.videoGravity = .resizeAspectFill
        view.layer.addSublayer(layer)
        preview = layer
    }

    override func viewDidLayoutSubviews() {
        super.viewDidLayoutSubviews()
        preview?.frame = view.bounds
    }

    override func viewWillAppear(_ animated: Bool) {
        super.viewWillAppear(animated)
        let session = session
        // startRunning blocks until the camera is up: never on the main thread.
        DispatchQueue.global(qos: .userInitiated).async { session.startRunning() }
    }

    override func viewWillDisappear(_ animated: Bool) {
        super.viewWillDisappear(animated)
        let session = session
        DispatchQueue.global(qos: .userInitiated).async { session.stopRunning() }
    }

    func metadataOutput(_ output: AVCaptureMetadataOutput, didOutput objects: [AVMetadataObject], from connection: AVCaptureConnection) {
        guard let code = objects.compactMap({ ($0 as? AVMetadataMachineReadableCodeObject)?.stringValue }).first,
              code != lastCode
        else { return }
        lastCode = code
        onCode(code)
    }
}
