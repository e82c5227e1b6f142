package de.marktplatz.app.ui

import android.content.Intent
import androidx.compose.foundation.layout.WindowInsets
import androidx.compose.foundation.layout.consumeWindowInsets
import androidx.compose.foundation.layout.padding
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.automirrored.outlined.EventNote
import androidx.compose.material.icons.outlined.CalendarMonth
import androidx.compose.material.icons.outlined.Menu
import androidx.compose.material.icons.outlined.Search
import androidx.compose.material.icons.outlined.Storefront
import androidx.compose.material3.Badge
import androidx.compose.material3.BadgedBox
import androidx.compose.material3.Icon
import androidx.compose.material3.NavigationBar
import androidx.compose.material3.NavigationBarItem
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.CompositionLocalProvider
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.vector.ImageVector
import androidx.compose.ui.res.pluralStringResource
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.core.os.BundleCompat
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import androidx.navigation.NavController
import androidx.navigation.NavHostController
import androidx.navigation.NavType
import androidx.navigation.compose.NavHost
import androidx.navigation.compose.composable
import androidx.navigation.compose.currentBackStackEntryAsState
import androidx.navigation.navArgument
import androidx.navigation.navDeepLink
import de.marktplatz.app.AppGraph
import de.marktplatz.app.R
import de.marktplatz.app.model.EditKind
import de.marktplatz.app.model.ProblemKind
import de.marktplatz.app.model.mapFocusOf
import de.marktplatz.app.notify.AnnouncementLinks
import de.marktplatz.app.notify.SessionLinks
import de.marktplatz.app.ui.components.AccessCodeDialog
import de.marktplatz.app.ui.components.LocalAskForNotifications
import de.marktplatz.app.ui.components.rememberNotificationPermission
import de.marktplatz.app.ui.organiser.ComposeAnnouncementScreen
import de.marktplatz.app.ui.organiser.HallPlanScreen
import de.marktplatz.app.ui.organiser.OrganiserEditScreen
import de.marktplatz.app.ui.organiser.OrganiserScreen
import de.marktplatz.app.ui.organiser.PhotoScreen
import de.marktplatz.app.ui.organiser.SessionChangeScreen
import de.marktplatz.app.ui.screens.AccessibilityStatementScreen
import de.marktplatz.app.ui.screens.AgendaScreen
import de.marktplatz.app.ui.screens.AnnouncementsScreen
import de.marktplatz.app.ui.screens.ClashScreen
import de.marktplatz.app.ui.screens.EventInfoScreen
import de.marktplatz.app.ui.screens.EventPickerScreen
import de.marktplatz.app.ui.screens.ExhibitorDetailScreen
import de.marktplatz.app.ui.screens.GalleryScreen
import de.marktplatz.app.ui.screens.HallMapScreen
import de.marktplatz.app.ui.screens.MoreScreen
import de.marktplatz.app.ui.screens.MyAgendaScreen
import de.marktplatz.app.ui.screens.SearchScreen
import de.marktplatz.app.ui.screens.SessionDetailScreen
import de.marktplatz.app.ui.screens.SettingsScreen
import de.marktplatz.app.ui.screens.ShareScreen
import de.marktplatz.app.ui.screens.SpeakerDetailScreen
import de.marktplatz.app.ui.screens.SpeakersScreen
import de.marktplatz.app.ui.screens.StationDetailScreen
import de.marktplatz.app.ui.screens.StationsScreen

private data class Tab(val route: String, val label: Int, val icon: ImageVector)

private val tabs = listOf(
    Tab(Routes.AGENDA, R.string.tab_agenda, Icons.Outlined.CalendarMonth),
    Tab(Routes.MY_AGENDA, R.string.tab_my_agenda, Icons.AutoMirrored.Outlined.EventNote),
    Tab(Routes.SEARCH, R.string.tab_search, Icons.Outlined.Search),
    Tab(Routes.STATIONS, R.string.tab_stations, Icons.Outlined.Storefront),
    Tab(Routes.MORE, R.string.tab_more, Icons.Outlined.Menu),
)

/** The whole app: five tabs at the bottom, detail screens pushed over them. */
@Composable
fun MarktplatzApp(graph: AppGraph, navController: NavHostController) {
    val status by graph.sync.status.collectAsStateWithLifecycle()
    val unseen by remember(graph.event.eventId) { graph.repo.unseenAlerts(graph.event.eventId) }.collectAsStateWithLifecycle(initialValue = 0)
    val current by navController.currentBackStackEntryAsState()
    val route = current?.destination?.route
    val go = remember(navController) { AppNavigator(navController) }
    val refresh = { graph.sync.refresh(); Unit }
    val notifications = rememberNotificationPermission()
    val askForNotifications = remember(notifications) { { notifications.askQuietly() } }

    // A protected event refused the sync: ask for its code ("Later" keeps what is stored; the
    // next sync that is refused asks again).
    val accessProblem = status.problem?.takeIf { it.kind == ProblemKind.ACCESS_CODE || it.kind == ProblemKind.ACCESS_CODE_WRONG }
    var askedLater by remember { mutableStateOf(false) }
    LaunchedEffect(status.running) { if (status.running) askedLater = false }
    if (accessProblem != null && !askedLater && !status.running) {
        AccessCodeDialog(
            wasWrong = accessProblem.kind == ProblemKind.ACCESS_CODE_WRONG,
            onSubmit = { graph.sync.submitAccessCode(it) },
            onLater = { askedLater = true },
        )
    }

    CompositionLocalProvider(LocalAskForNotifications provides askForNotifications) {
        Scaffold(
            contentWindowInsets = WindowInsets(0),
            bottomBar = {
                if (route in Routes.topLevel) {
                    NavigationBar {
                        for (tab in tabs) {
                            val label = stringResource(tab.label)
                            val badge = if (tab.route == Routes.MY_AGENDA && unseen > 0) {
                                pluralStringResource(R.plurals.unseen_changes, unseen, unseen)
                            } else {
                                null
                            }
                            NavigationBarItem(
                                selected = route == tab.route,
                                onClick = { go.tab(tab.route) },
                                icon = {
                                    BadgedBox(badge = {
                                        if (badge != null) Badge(Modifier.semantics { contentDescription = badge }) { Text(unseen.toString()) }
                                    }) {
                                        Icon(tab.icon, contentDescription = null)
                                    }
                                },
                                label = { Text(label) },
                            )
                        }
                    }
                }
            },
        ) { padding ->
            NavHost(
                navController,
                startDestination = Routes.AGENDA,
                modifier = Modifier.padding(padding).consumeWindowInsets(padding),
            ) {
                composable(Routes.AGENDA) { AgendaScreen(status, go, refresh) }
                composable(Routes.MY_AGENDA) { MyAgendaScreen(status, go, refresh) }
                composable(Routes.SEARCH) { SearchScreen(go) }
                composable(Routes.STATIONS) { StationsScreen(status, go, refresh) }
                composable(Routes.MORE) { MoreScreen(status, go) }
                composable(
                    Routes.SESSION,
                    arguments = listOf(navArgument("id") { type = NavType.StringType }),
                    deepLinks = listOf(navDeepLink { uriPattern = SessionLinks.PATTERN }),
                ) { entry ->
                    SessionDetailScreen(entry.arguments?.getString("id").orEmpty(), go)
                }
                composable(Routes.STATION, arguments = listOf(navArgument("id") { type = NavType.StringType })) { entry ->
                    StationDetailScreen(entry.arguments?.getString("id").orEmpty(), go)
                }
                composable(Routes.EXHIBITOR, arguments = listOf(navArgument("id") { type = NavType.StringType })) { entry ->
                    ExhibitorDetailScreen(entry.arguments?.getString("id").orEmpty(), go)
                }
                composable(Routes.SPEAKERS) { SpeakersScreen(go) }
                composable(Routes.SPEAKER, arguments = listOf(navArgument("id") { type = NavType.StringType })) { entry ->
                    SpeakerDetailScreen(entry.arguments?.getString("id").orEmpty(), go)
                }
                composable(
                    Routes.ANNOUNCEMENTS,
                    deepLinks = listOf(navDeepLink { uriPattern = AnnouncementLinks.PATTERN }),
                ) { AnnouncementsScreen(status, go, refresh) }
                composable(Routes.GALLERY) { GalleryScreen(go, refresh, status) }
                composable(Routes.INFO) { EventInfoScreen(go) }
                composable(Routes.SETTINGS) { SettingsScreen(go) }
                composable(
                    Routes.MAP,
                    arguments = listOf(
                        navArgument("station") { type = NavType.StringType; nullable = true },
                        navArgument("session") { type = NavType.StringType; nullable = true },
                    ),
                ) { entry ->
                    HallMapScreen(mapFocusOf(entry.arguments?.getString("station"), entry.arguments?.getString("session")), go)
                }
                composable(Routes.ACCESSIBILITY) { AccessibilityStatementScreen(go) }
                composable(Routes.EVENTS) { EventPickerScreen(go) }
                composable(
                    Routes.ORGANISER,
                    arguments = listOf("server", "event", "token").map { name ->
                        navArgument(name) {
                            type = NavType.StringType
                            nullable = true
                            defaultValue = null
                        }
                    },
                    deepLinks = listOf(navDeepLink { uriPattern = Routes.ORGANISER_LINK }),
                ) { entry ->
                    val opened = entry.arguments?.let { BundleCompat.getParcelable(it, NavController.KEY_DEEP_LINK_INTENT, Intent::class.java) }
                    OrganiserScreen(go, opened?.dataString)
                }
                composable(Routes.ORGANISER_EDIT, arguments = listOf(navArgument("kind") { type = NavType.StringType })) { entry ->
                    val kind = EditKind.entries.firstOrNull { it.name == entry.arguments?.getString("kind") } ?: EditKind.STATION
                    OrganiserEditScreen(kind, go)
                }
                composable(Routes.ORGANISER_ANNOUNCE) { ComposeAnnouncementScreen(go) }
                composable(Routes.ORGANISER_SESSION) { SessionChangeScreen(go) }
                composable(Routes.ORGANISER_PHOTO) { PhotoScreen(go) }
                composable(Routes.ORGANISER_PLAN) { HallPlanScreen(go) }
                composable(Routes.SHARE) { ShareScreen(go) }
                composable(Routes.CLASH, arguments = listOf(navArgument("code") { type = NavType.StringType })) { entry ->
                    ClashScreen(entry.arguments?.getString("code").orEmpty(), go)
                }
            }
        }
    }
}
