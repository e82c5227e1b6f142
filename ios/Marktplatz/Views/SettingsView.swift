import SwiftUI

/// Reminder lead time (kept by the core), language (iOS's per-app setting), notifications.
struct SettingsView: View {
    let app: AppModel
    @State private var model: SettingsModel
    @State private var changingCode = false
    @State private var newCode = ""
    @Environment(\.openURL) private var openURL
    @Environment(\.scenePhase) private var scenePhase

    init(app: AppModel) {
        self.app = app
        _model = State(initialValue: SettingsModel(app: app))
    }

    var body: some View {
        Form {
            Section {
                Picker("Reminder", selection: Binding(
                    get: { model.reminderLeadMinutes ?? 10 },
                    set: { minutes in Task { await model.setReminderLead(minutes) } }
                )) {
                    ForEach(model.leadChoices, id: \.self) { minutes in
                        if minutes == 0 {
                            Text("When it starts").tag(minutes)
                        } else {
                            Text("\(Int(minutes)) minutes before").tag(minutes)
                        }
                    }
                }
                .pickerStyle(.inline)
                .labelsHidden()
                if !model.notificationsAllowed {
                    Button("Allow notifications") {
                        Task {
                            if await model.allowNotifications(), let url = URL(string: UIApplication.openSettingsURLString) {
                                openURL(url)
                            }
                        }
                    }
                }
                if let problem = model.problem { ProblemView(problem: problem) }
            } header: {
                Text("Reminders before a favourite starts")
            }
            Section("Access code") {
                if model.hasAccessCode == true {
                    Text("An access code is stored for this event.")
                } else {
                    Text("No access code is stored for this event.")
                }
                Button("Change code") { changingCode = true }
                if model.hasAccessCode == true {
                    Button("Forget the stored code", role: .destructive) { Task { await model.changeAccessCode(nil) } }
                }
            }
            Section {
                Button {
                    if let url = URL(string: UIApplication.openSettingsURLString) { openURL(url) }
                } label: {
                    LabeledContent("Language", value: Locale.current.localizedString(forLanguageCode: Locale.current.language.languageCode?.identifier ?? "") ?? "")
                }
            } header: {
                Text("Language")
            } footer: {
                Text("The app follows the language chosen for it in the Settings app (German or English).")
            }
            Section("About") {
                LabeledContent("Version", value: Bundle.main.object(forInfoDictionaryKey: "CFBundleShortVersionString") as? String ?? "")
            }
        }
        .navigationTitle("Settings")
        .task(id: app.content.version) { await model.load() }
        // Back from the Settings app: notifications may be allowed now.
        .onChange(of: scenePhase) { _, phase in
            if phase == .active { Task { await model.load() } }
        }
        .alert("Access code", isPresented: $changingCode) {
            TextField("Code from your badge or the entrance", text: $newCode)
                .textInputAutocapitalization(.never)
                .autocorrectionDisabled()
            Button("Save") {
                let code = newCode
                newCode = ""
                Task { await model.changeAccessCode(code) }
            }
            .disabled(newCode.trimmingCharacters(in: .whitespaces).isEmpty)
            Button("Cancel", role: .cancel) { newCode = "" }
        }
    }
}
