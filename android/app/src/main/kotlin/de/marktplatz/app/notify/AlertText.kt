package de.marktplatz.app.notify

import android.content.Context
import de.marktplatz.app.R
import de.marktplatz.core.AlertChange
import de.marktplatz.core.ChangeAlert

/** Words for a change alert ("Moved: 10:00 → 10:30", "Now at: Station 3"), in the UI language. */
object AlertText {
    fun describe(context: Context, alert: ChangeAlert): String =
        alert.changes.joinToString(" · ") { change -> line(context, change, alert) }

    fun line(context: Context, change: AlertChange, alert: ChangeAlert): String = when (change) {
        AlertChange.MOVED -> context.getString(
            R.string.alert_moved,
            alert.old.localStart.orEmpty(),
            alert.new.localStart.orEmpty(),
        )
        AlertChange.RELOCATED -> context.getString(R.string.alert_relocated, alert.new.locationName ?: "–")
        AlertChange.RETITLED -> context.getString(R.string.alert_retitled, alert.old.title)
        AlertChange.CANCELLED -> context.getString(R.string.alert_cancelled)
        AlertChange.REINSTATED -> context.getString(R.string.alert_reinstated)
        AlertChange.REMOVED -> context.getString(R.string.alert_removed)
        AlertChange.RESTORED -> context.getString(R.string.alert_restored)
    }
}
