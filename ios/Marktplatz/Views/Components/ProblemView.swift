import SwiftUI

/// A problem: the sentence, and the core's detail in small print.
struct ProblemView: View {
    let problem: Problem

    var body: some View {
        VStack(alignment: .leading, spacing: 4) {
            Text(problem.message).foregroundStyle(.danger)
            if !problem.detail.isEmpty {
                Text(problem.detail).font(.caption).foregroundStyle(.secondaryText)
            }
        }
        .accessibilityElement(children: .combine)
    }
}

/// What a list shows while it has nothing: loading, a problem, or a friendly empty line.
struct EmptyStateView: View {
    let loading: Bool
    let problem: Problem?
    let empty: LocalizedStringKey

    var body: some View {
        if loading {
            ProgressView().frame(maxWidth: .infinity)
        } else if problem?.kind == .notFound {
            ContentUnavailableView("Nothing stored yet", systemImage: "icloud.and.arrow.down", description: Text("The programme arrives as soon as the phone is online."))
        } else if let problem {
            ProblemView(problem: problem)
        } else {
            ContentUnavailableView(empty, systemImage: "tray")
        }
    }
}
