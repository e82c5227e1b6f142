package de.marktplatz.app.ui.screens

import androidx.compose.foundation.background
import androidx.compose.foundation.border
import androidx.compose.foundation.clickable
import androidx.compose.foundation.gestures.detectTapGestures
import androidx.compose.foundation.gestures.rememberTransformableState
import androidx.compose.foundation.gestures.transformable
import androidx.compose.foundation.isSystemInDarkTheme
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.BoxWithConstraints
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.aspectRatio
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.offset
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.size
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.foundation.shape.CircleShape
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.outlined.Add
import androidx.compose.material.icons.outlined.Remove
import androidx.compose.material3.FilledTonalIconButton
import androidx.compose.material3.Icon
import androidx.compose.material3.ListItem
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableFloatStateOf
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.draw.clip
import androidx.compose.ui.draw.clipToBounds
import androidx.compose.ui.geometry.Offset
import androidx.compose.ui.graphics.graphicsLayer
import androidx.compose.ui.input.pointer.pointerInput
import androidx.compose.ui.layout.ContentScale
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import de.marktplatz.app.R
import de.marktplatz.app.model.HallMapState
import de.marktplatz.app.model.MapFocus
import de.marktplatz.app.model.MapPin
import de.marktplatz.app.ui.AppNavigator
import de.marktplatz.app.ui.HallMapViewModel
import de.marktplatz.app.ui.appViewModel
import de.marktplatz.app.ui.components.BackTopBar
import de.marktplatz.app.ui.components.EmptyState
import de.marktplatz.app.ui.components.LocalImage
import de.marktplatz.app.ui.components.SectionHeader

private const val MAX_ZOOM = 5f

/**
 * The hall plan with a pin per place (tap one for the station), pinch or the zoom buttons to
 * zoom, and below it the same places as a list in the plan's reading order for screen readers.
 */
@Composable
fun HallMapScreen(focus: MapFocus?, go: AppNavigator) {
    val model = appViewModel { HallMapViewModel(it, focus) }.model
    val state by model.state.collectAsStateWithLifecycle()
    Scaffold(topBar = { BackTopBar(stringResource(R.string.hall_map), go) }) { padding ->
        Column(Modifier.padding(padding).fillMaxSize()) {
            if (state.mapFile == null) {
                EmptyState(state.loading, state.problem, R.string.hall_map_none)
            } else {
                ZoomablePlan(state, onPin = { go.station(it) }, modifier = Modifier.weight(1f).fillMaxWidth())
            }
            LazyColumn(Modifier.weight(1f).fillMaxWidth()) {
                item { SectionHeader(stringResource(R.string.hall_map_places)) }
                items(state.list, key = { it.stationId }) { entry ->
                    val note = when {
                        entry.stationId == state.highlighted -> stringResource(R.string.hall_map_highlighted)
                        !entry.pinned -> stringResource(R.string.hall_map_not_on_plan)
                        else -> ""
                    }
                    ListItem(
                        headlineContent = { Text(entry.label) },
                        supportingContent = { if (note.isNotEmpty()) Text(note) },
                        modifier = Modifier.clickable(onClickLabel = stringResource(R.string.open_station)) { go.station(entry.stationId) },
                    )
                }
            }
        }
    }
}

/**
 * The plan image with its pins, zoomed by pinch (transformable) or by the buttons. [onPlanTap]
 * (organiser mode) gets a tap on the plan as (x, y, width, height) in the plan's own unzoomed
 * pixels, the input of `PinPlacement`.
 */
@Composable
internal fun ZoomablePlan(
    state: HallMapState,
    onPin: (String) -> Unit,
    modifier: Modifier = Modifier,
    onPlanTap: ((Float, Float, Float, Float) -> Unit)? = null,
) {
    var scale by remember { mutableFloatStateOf(1f) }
    var offset by remember { mutableStateOf(Offset.Zero) }
    val zoomTo = { next: Float ->
        scale = next.coerceIn(1f, MAX_ZOOM)
        if (scale == 1f) offset = Offset.Zero
    }
    val transform = rememberTransformableState { zoomChange, panChange, _ ->
        zoomTo(scale * zoomChange)
        if (scale > 1f) offset += panChange
    }
    val file = state.mapFile ?: return
    // The plan is a light picture: dimmed a little in the dark theme so it does not glare.
    val dark = isSystemInDarkTheme()
    Box(modifier.clipToBounds().transformable(transform), contentAlignment = Alignment.Center) {
        BoxWithConstraints(
            Modifier
                .aspectRatio(state.aspectRatio ?: 1.5f)
                .graphicsLayer {
                    scaleX = scale
                    scaleY = scale
                    translationX = offset.x
                    translationY = offset.y
                }
                .then(
                    // After the layer: taps arrive in the plan's own coordinates at any zoom.
                    if (onPlanTap == null) {
                        Modifier
                    } else {
                        Modifier.pointerInput(onPlanTap) {
                            detectTapGestures { at -> onPlanTap(at.x, at.y, size.width.toFloat(), size.height.toFloat()) }
                        }
                    },
                ),
        ) {
            LocalImage(
                file,
                contentDescription = stringResource(R.string.venue_map),
                modifier = Modifier.fillMaxSize().graphicsLayer { alpha = if (dark) 0.85f else 1f },
                contentScale = ContentScale.Fit,
            )
            for (pin in state.pins) {
                val touch = 48.dp
                Pin(
                    pin,
                    highlighted = pin.stationId == state.highlighted,
                    onClick = { onPin(pin.stationId) },
                    modifier = Modifier.offset(
                        x = maxWidth * pin.x.toFloat() - touch / 2,
                        y = maxHeight * pin.y.toFloat() - touch / 2,
                    ).size(touch),
                )
            }
        }
        Row(Modifier.align(Alignment.BottomEnd).padding(8.dp)) {
            FilledTonalIconButton(onClick = { zoomTo(scale / 1.5f) }, enabled = scale > 1f) {
                Icon(Icons.Outlined.Remove, contentDescription = stringResource(R.string.zoom_out))
            }
            FilledTonalIconButton(onClick = { zoomTo(scale * 1.5f) }, enabled = scale < MAX_ZOOM) {
                Icon(Icons.Outlined.Add, contentDescription = stringResource(R.string.zoom_in))
            }
        }
    }
}

/**
 * One place: a 48 dp touch target around a dot in the theme's primary colour with a ring in
 * its surface colour, so it stands out on the light plan in both themes; the highlighted one
 * is larger and in the tertiary colour.
 */
@Composable
private fun Pin(pin: MapPin, highlighted: Boolean, onClick: () -> Unit, modifier: Modifier = Modifier) {
    val colours = MaterialTheme.colorScheme
    val description = if (highlighted) stringResource(R.string.hall_map_pin_highlighted, pin.label) else pin.label
    Box(
        modifier
            .clickable(role = Role.Button, onClickLabel = stringResource(R.string.open_station), onClick = onClick)
            .semantics { contentDescription = description },
        contentAlignment = Alignment.Center,
    ) {
        Box(
            Modifier
                .size(if (highlighted) 28.dp else 18.dp)
                .clip(CircleShape)
                .background(if (highlighted) colours.tertiary else colours.primary)
                .border(3.dp, colours.surface, CircleShape),
        )
    }
}
