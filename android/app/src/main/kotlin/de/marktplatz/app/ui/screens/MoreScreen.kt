package de.marktplatz.app.ui.screens

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.outlined.Accessibility
import androidx.compose.material.icons.outlined.Badge
import androidx.compose.material.icons.outlined.Campaign
import androidx.compose.material.icons.outlined.Info
import androidx.compose.material.icons.outlined.Map
import androidx.compose.material.icons.outlined.People
import androidx.compose.material.icons.outlined.QrCode2
import androidx.compose.material.icons.outlined.PhotoLibrary
import androidx.compose.material.icons.outlined.Settings
import androidx.compose.material.icons.outlined.SwapHoriz
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.Icon
import androidx.compose.material3.ListItem
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.material3.TopAppBar
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.vector.ImageVector
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import de.marktplatz.app.R
import de.marktplatz.app.graph
import de.marktplatz.app.model.SyncStatus
import de.marktplatz.app.ui.AppNavigator
import de.marktplatz.app.ui.Routes
import de.marktplatz.app.ui.components.TitleWithStatus

/** Everything that is not a tab of its own. */
@OptIn(ExperimentalMaterial3Api::class)
@Composable
fun MoreScreen(status: SyncStatus, go: AppNavigator) {
    val entries: List<Triple<Int, ImageVector, String>> = listOf(
        Triple(R.string.announcements, Icons.Outlined.Campaign, Routes.ANNOUNCEMENTS),
        Triple(R.string.speakers, Icons.Outlined.People, Routes.SPEAKERS),
        Triple(R.string.share_title, Icons.Outlined.QrCode2, Routes.SHARE),
        Triple(R.string.gallery, Icons.Outlined.PhotoLibrary, Routes.GALLERY),
        Triple(R.string.event_info, Icons.Outlined.Info, Routes.INFO),
        Triple(R.string.settings, Icons.Outlined.Settings, Routes.SETTINGS),
        Triple(R.string.organiser_mode, Icons.Outlined.Badge, Routes.ORGANISER),
        Triple(R.string.hall_map, Icons.Outlined.Map, "map"),
        Triple(R.string.events, Icons.Outlined.SwapHoriz, Routes.EVENTS),
        Triple(R.string.accessibility_statement, Icons.Outlined.Accessibility, Routes.ACCESSIBILITY),
    )
    val notices = LocalContext.current.graph.notices
    Scaffold(topBar = { TopAppBar(title = { TitleWithStatus(stringResource(R.string.tab_more), status) }) }) { padding ->
        Column(Modifier.padding(padding).fillMaxSize().verticalScroll(rememberScrollState())) {
            for ((label, icon, route) in entries) {
                ListItem(
                    headlineContent = { Text(stringResource(label)) },
                    leadingContent = { Icon(icon, contentDescription = null) },
                    modifier = Modifier.clickable { go.to(route) },
                )
                HorizontalDivider()
            }
            // What the store reported when opening (a damaged file set aside), as iOS shows it.
            for (notice in notices) {
                Text(notice, Modifier.padding(16.dp), style = MaterialTheme.typography.bodySmall)
            }
        }
    }
}
