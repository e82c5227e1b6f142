package de.marktplatz.app.ui

import android.net.Uri
import androidx.navigation.NavHostController
import de.marktplatz.app.model.MapFocus
import de.marktplatz.app.model.EditKind

/** Routes of the app, and typed ways to go there (ids are URL-encoded into the route). */
object Routes {
    const val AGENDA = "agenda"
    const val MY_AGENDA = "my-agenda"
    const val SEARCH = "search"
    const val STATIONS = "stations"
    const val MORE = "more"
    const val SESSION = "session/{id}"
    const val STATION = "station/{id}"
    const val EXHIBITOR = "exhibitor/{id}"
    const val SPEAKERS = "speakers"
    const val SPEAKER = "speaker/{id}"
    const val ANNOUNCEMENTS = "announcements"
    const val GALLERY = "gallery"
    const val INFO = "info"
    const val SETTINGS = "settings"
    const val MAP = "map?station={station}&session={session}"
    const val ACCESSIBILITY = "accessibility"
    const val EVENTS = "events"
    const val ORGANISER = "organiser"
    const val ORGANISER_ANNOUNCE = "organiser/announce"
    const val ORGANISER_SESSION = "organiser/session"
    const val ORGANISER_PHOTO = "organiser/photo"
    const val ORGANISER_PLAN = "organiser/plan"
    const val SHARE = "share"
    const val CLASH = "share/{code}"
    const val ORGANISER_EDIT = "organiser/edit/{kind}"
    /** The console's sign-in link (ADR 0016); the app asks before it signs in. */
    const val ORGANISER_LINK = "marktplatz://organiser?server={server}&event={event}&token={token}"

    fun organiserEdit(kind: EditKind) = "organiser/edit/" + kind.name

    val topLevel = listOf(AGENDA, MY_AGENDA, SEARCH, STATIONS, MORE)
}

class AppNavigator(private val nav: NavHostController) {
    fun session(id: String) = nav.navigate("session/" + Uri.encode(id))
    fun station(id: String) = nav.navigate("station/" + Uri.encode(id))
    fun exhibitor(id: String) = nav.navigate("exhibitor/" + Uri.encode(id))
    fun speaker(id: String) = nav.navigate("speaker/" + Uri.encode(id))
    fun clash(code: String) = nav.navigate("share/" + Uri.encode(code))
    fun to(route: String) = nav.navigate(route)

    /** The hall plan, with [focus]'s pin highlighted ("show on map"). */
    fun map(focus: MapFocus? = null) = nav.navigate(
        when (focus) {
            null -> "map"
            is MapFocus.Station -> "map?station=" + Uri.encode(focus.stationId)
            is MapFocus.Session -> "map?session=" + Uri.encode(focus.sessionId)
        },
    )

    /** A bottom bar tab: one copy on the stack, state kept when switching back. */
    fun tab(route: String) = nav.navigate(route) {
        popUpTo(Routes.AGENDA) { saveState = true }
        launchSingleTop = true
        restoreState = true
    }

    fun back() {
        nav.popBackStack()
    }
}
