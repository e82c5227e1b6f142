package de.marktplatz.app.model

/** What asking for a runtime permission (notifications, camera) should do now. */
enum class PermissionStep {
    /** Granted already, or not worth bothering the user about now. */
    NOTHING,
    /** Show the system's permission dialog. */
    ASK,
    /**
     * The system will not show its dialog again (denied twice, or "don't ask again"): a
     * request would return "denied" at once and the button would seem dead, so open the
     * app's page in the system settings, where the user can switch it on.
     */
    OPEN_SETTINGS,
}

/**
 * The next step for a permission. [askedBefore]: the app showed the dialog once (Android's
 * rationale flag is false both before the first ask and after a final denial, so only this
 * tells them apart). [rationale]: the system would still show its dialog. [byUser]: the user
 * tapped "Allow"; an ask the app starts by itself (the first favourite) never sends anyone
 * into the settings.
 */
fun permissionStep(granted: Boolean, askedBefore: Boolean, rationale: Boolean, byUser: Boolean): PermissionStep = when {
    granted -> PermissionStep.NOTHING
    !askedBefore || rationale -> PermissionStep.ASK
    byUser -> PermissionStep.OPEN_SETTINGS
    else -> PermissionStep.NOTHING
}
