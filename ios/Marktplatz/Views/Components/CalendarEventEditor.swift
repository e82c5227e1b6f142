import EventKit
import EventKitUI
import MarktplatzKit
import SwiftUI

/// The system's "new event" sheet, filled in with the session (no calendar permission needed:
/// the sheet runs outside the app and only the user saves).
struct CalendarEventEditor: UIViewControllerRepresentable {
    let detail: SessionDetail
    @Environment(\.dismiss) private var dismiss

    func makeUIViewController(context: Context) -> EKEventEditViewController {
        let store = EKEventStore()
        let event = EKEvent(eventStore: store)
        let summary = detail.summary
        event.title = summary.title
        event.startDate = summary.start
        event.endDate = summary.end
        event.location = summary.locationName
        event.notes = [summary.speakerNames.joined(separator: ", "), detail.session.abstractText]
            .filter { !$0.isEmpty }
            .joined(separator: "\n\n")
        let controller = EKEventEditViewController()
        controller.eventStore = store
        controller.event = event
        controller.editViewDelegate = context.coordinator
        return controller
    }

    func updateUIViewController(_ controller: EKEventEditViewController, context: Context) {}

    func makeCoordinator() -> Coordinator {
        Coordinator(dismiss: dismiss)
    }

    final class Coordinator: NSObject, EKEventEditViewDelegate {
        let dismiss: DismissAction

        init(dismiss: DismissAction) {
            self.dismiss = dismiss
        }

        func eventEditViewController(_ controller: EKEventEditViewController, didCompleteWith action: EKEventEditViewAction) {
            dismiss()
        }
    }
}
