import SwiftUI

/// The star: its label names what it adds or removes ("Add Keynote to my agenda").
struct FavouriteButton: View {
    let isFavourite: Bool
    let name: String
    let action: () -> Void

    var body: some View {
        Button(action: action) {
            Image(systemName: isFavourite ? "star.fill" : "star")
                .foregroundStyle(isFavourite ? Color.accentColor : Color.secondaryText)
                .imageScale(.large)
                .frame(minWidth: 44, minHeight: 44)
        }
        .accessibilityLabel(isFavourite ? Text("Remove \(name) from my agenda") : Text("Add \(name) to my agenda"))
        .accessibilityValue(isFavourite ? Text("In my agenda") : Text("Not in my agenda"))
        .sensoryFeedback(.selection, trigger: isFavourite)
    }
}
