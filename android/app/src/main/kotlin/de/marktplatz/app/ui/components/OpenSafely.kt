package de.marktplatz.app.ui.components

import android.content.ActivityNotFoundException
import android.content.Context
import android.content.Intent
import android.net.Uri
import android.widget.Toast
import de.marktplatz.app.R

/**
 * Starts [intent]; a phone without an app for it (no mail app, no dialler on a tablet, no
 * browser on a managed phone) gets a message instead of a crash.
 */
fun Context.startActivityOrExplain(intent: Intent, missingMessage: Int = R.string.no_app_for_action) {
    try {
        startActivity(intent)
    } catch (missing: ActivityNotFoundException) {
        Toast.makeText(this, missingMessage, Toast.LENGTH_LONG).show()
    }
}

/** Opens a web link from the event's content in whatever app handles it, never crashing. */
fun Context.openLink(url: String) = startActivityOrExplain(Intent(Intent.ACTION_VIEW, Uri.parse(url)))
