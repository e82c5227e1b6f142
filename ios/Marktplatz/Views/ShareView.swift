import MarktplatzKit
import SwiftUI

/// My favourites as a QR code and text; a friend's code scanned or pasted opens the clash view.
struct ShareView: View {
    let app: AppModel
    @State private var model: ShareModel
    @State private var pasted = ""
    @State private var scanning = false
    @State private var opened: String?

    init(app: AppModel) {
        self.app = app
        _model = State(initialValue: ShareModel(app: app))
    }

    var body: some View {
        List {
            Section("My favourites as a code") {
                if let code = model.code {
                    QrCodeImage(text: code, description: "QR code of my favourites for a friend to scan. The same code follows as text.")
                        .frame(maxWidth: .infinity)
                    Text(code).font(.title3.monospaced()).textSelection(.enabled)
                    Button {
                        UIPasteboard.general.string = code
                    } label: {
                        Label("Copy code", systemImage: "doc.on.doc")
                    }
                    ShareLink(item: String(localized: "My favourites at the event – open Share favourites in the Marktplatz app and paste this code: \(code)")) {
                        Label("Send code", systemImage: "square.and.arrow.up")
                    }
                } else {
                    EmptyStateView(loading: model.loading, problem: model.problem, empty: "The code of your favourites could not be made.")
                }
            }
            Section("A friend's favourites") {
                if scanning {
                    QrScanner { text in Task { await model.read(text) } }
                } else {
                    Button("Scan a friend's code with the camera") { scanning = true }
                }
                TextField("Friend's code or link", text: $pasted)
                    .textInputAutocapitalization(.characters)
                    .autocorrectionDisabled()
                Button("Show their favourites") { Task { await model.read(pasted) } }
                    .disabled(pasted.trimmingCharacters(in: .whitespaces).isEmpty)
                if let problem = model.readProblem { ProblemView(problem: problem) }
            }
        }
        .navigationTitle("Share favourites")
        .navigationDestination(item: $opened) { code in ClashView(app: app, code: code) }
        .onChange(of: model.friendCode) { _, code in
            guard let code else { return }
            model.friendOpened()
            scanning = false
            opened = code
        }
        .task(id: app.content.version) { await model.load() }
    }
}
