import SwiftUI

/// The app's named colours (Assets.xcassets, light and dark), chosen for 4.5:1 on the system
/// backgrounds in both appearances; scripts/check_contrast.py measures them. The system
/// .orange (2.2:1 on white), .red (3.6:1), .green and the secondary label (3.5:1) are too light.
extension ShapeStyle where Self == Color {
    /// Pending, changed, important.
    static var warning: Color { Color("Warning") }
    /// Problems, cancelled, clashes, urgent.
    static var danger: Color { Color("Danger") }
    /// Accepted, published.
    static var success: Color { Color("Success") }
    /// Secondary text and icons.
    static var secondaryText: Color { Color("SecondaryText") }
}
