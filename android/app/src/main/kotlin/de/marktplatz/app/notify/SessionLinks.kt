package de.marktplatz.app.notify

import android.app.PendingIntent
import android.content.Context
import android.content.Intent
import android.net.Uri
import de.marktplatz.app.MainActivity

/** The deep link a notification opens: the session's detail screen. */
object SessionLinks {
    const val PATTERN = "marktplatz://session/{id}"

    fun uri(sessionId: String): Uri = Uri.parse("marktplatz://session/" + Uri.encode(sessionId))

    fun open(context: Context, sessionId: String, requestCode: Int): PendingIntent =
        PendingIntent.getActivity(
            context,
            requestCode,
            Intent(Intent.ACTION_VIEW, uri(sessionId), context, MainActivity::class.java),
            PendingIntent.FLAG_UPDATE_CURRENT or PendingIntent.FLAG_IMMUTABLE,
        )
}

/** The deep link an announcement's notification opens: the announcements, urgent ones first. */
object AnnouncementLinks {
    const val PATTERN = "marktplatz://announcements"

    fun open(context: Context, requestCode: Int): PendingIntent =
        PendingIntent.getActivity(
            context,
            requestCode,
            Intent(Intent.ACTION_VIEW, Uri.parse(PATTERN), context, MainActivity::class.java),
            PendingIntent.FLAG_UPDATE_CURRENT or PendingIntent.FLAG_IMMUTABLE,
        )
}
