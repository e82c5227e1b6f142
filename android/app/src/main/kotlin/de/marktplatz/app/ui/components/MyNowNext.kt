package de.marktplatz.app.ui.components

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Column
import androidx.compose.material3.ListItem
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import de.marktplatz.app.R
import de.marktplatz.app.ui.AppNavigator
import de.marktplatz.core.SessionSummary

/** What of my favourites runs now and which come next (the core's pick), each opening its session. */
@Composable
fun MyNowNext(now: List<SessionSummary>, next: List<SessionSummary>, go: AppNavigator) {
    Column {
        if (now.isNotEmpty()) {
            SectionHeader(stringResource(R.string.mine_now))
            for (session in now) NowNextLine(session, go)
        }
        if (next.isNotEmpty()) {
            SectionHeader(stringResource(R.string.mine_next))
            for (session in next) NowNextLine(session, go)
        }
    }
}

@Composable
private fun NowNextLine(session: SessionSummary, go: AppNavigator) {
    ListItem(
        overlineContent = { Text(timeAndPlace(session)) },
        headlineContent = { Text(session.title) },
        modifier = Modifier.clickable(onClickLabel = stringResource(R.string.open_session)) { go.session(session.id) },
    )
}

/** "10:55–11:35, Forum": when and where, in one short line. */
fun timeAndPlace(session: SessionSummary): String =
    "${session.localStart}–${session.localEnd}" + (session.locationName?.let { ", $it" } ?: "")
