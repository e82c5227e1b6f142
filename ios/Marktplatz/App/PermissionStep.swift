/// What asking for a permission should do now (the Android app's `PermissionStep` alike).
enum PermissionStep {
    /// Granted already (or provisional): nothing to ask.
    case nothing
    /// Show the system's dialog.
    case ask
    /// The system will not show its dialog again: open the app's page in the Settings app.
    case openSettings
}
