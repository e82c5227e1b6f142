package de.marktplatz.app.ui.organiser

import androidx.compose.foundation.clickable
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import de.marktplatz.app.R
import de.marktplatz.core.Op

/** One line for an outbox entry: what the operation does, to what. */
@Composable
fun describeOp(op: Op, sessionTitles: Map<String, String>, placeNames: Map<String, String>): String {
    fun session(id: String) = sessionTitles[id] ?: id
    return when (op) {
        is Op.AnnouncementCreate -> stringResource(R.string.op_announce, op.title)
        is Op.AnnouncementEdit -> stringResource(R.string.op_announcement_edit, op.title ?: op.id)
        is Op.AnnouncementRetract -> stringResource(R.string.op_announcement_retract, op.id)
        is Op.SessionMove -> stringResource(R.string.op_session_move, session(op.id), placeNames[op.locationId] ?: op.locationId)
        is Op.SessionRetime -> stringResource(R.string.op_session_retime, session(op.id))
        is Op.SessionEdit -> stringResource(R.string.op_session_edit, session(op.id))
        is Op.SessionCancel -> stringResource(R.string.op_session_cancel, session(op.id))
        is Op.SessionReinstate -> stringResource(R.string.op_session_reinstate, session(op.id))
        is Op.ExhibitorEdit -> stringResource(R.string.op_exhibitor_edit, op.name ?: op.id)
        is Op.StationEdit -> stringResource(R.string.op_station_edit, op.name ?: op.id)
        is Op.VenueMap -> stringResource(R.string.op_venue_map)
        is Op.PhotoAdd -> stringResource(R.string.op_photo_add, op.caption.ifBlank { op.id })
        is Op.PhotoEdit -> stringResource(R.string.op_photo_edit, op.caption ?: op.id)
        is Op.PhotoRemove -> stringResource(R.string.op_photo_remove, op.id)
        is Op.InfoAdd -> stringResource(R.string.op_info_add, op.title)
        is Op.InfoEdit -> stringResource(R.string.op_info_edit, op.title ?: op.id)
        is Op.InfoRemove -> stringResource(R.string.op_info_remove, op.id)
    }
}

internal fun Modifier.clickableRow(onClick: () -> Unit): Modifier = clickable(onClick = onClick)
