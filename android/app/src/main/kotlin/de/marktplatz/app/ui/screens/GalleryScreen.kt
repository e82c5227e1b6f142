package de.marktplatz.app.ui.screens

import androidx.compose.foundation.background
import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.PaddingValues
import androidx.compose.foundation.layout.aspectRatio
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.grid.GridCells
import androidx.compose.foundation.lazy.grid.GridItemSpan
import androidx.compose.foundation.lazy.grid.LazyVerticalGrid
import androidx.compose.foundation.lazy.grid.items
import androidx.compose.foundation.shape.CircleShape
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.automirrored.filled.ArrowBack
import androidx.compose.material.icons.outlined.Close
import androidx.compose.material.icons.outlined.Image
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.material3.TopAppBar
import androidx.compose.material3.pulltorefresh.PullToRefreshBox
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.layout.ContentScale
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.compose.ui.window.Dialog
import androidx.compose.ui.window.DialogProperties
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import de.marktplatz.app.R
import de.marktplatz.app.model.GalleryModel
import de.marktplatz.app.model.OpenedPhoto
import de.marktplatz.app.model.SyncStatus
import de.marktplatz.app.ui.AppNavigator
import de.marktplatz.app.ui.GalleryViewModel
import de.marktplatz.app.ui.appViewModel
import de.marktplatz.app.ui.components.EmptyState
import de.marktplatz.app.ui.components.LoadingIndicator
import de.marktplatz.app.ui.components.LocalImage
import de.marktplatz.app.ui.components.ProblemText
import de.marktplatz.app.ui.components.TitleWithStatus

/** Thumbnails from the device (there offline); a tap loads the full image. */
@OptIn(ExperimentalMaterial3Api::class)
@Composable
fun GalleryScreen(go: AppNavigator, onRefresh: () -> Unit, status: SyncStatus) {
    val model = appViewModel { GalleryViewModel(it) }.model
    val state by model.state.collectAsStateWithLifecycle()
    Scaffold(
        topBar = {
            TopAppBar(
                title = { TitleWithStatus(stringResource(R.string.gallery), status) },
                navigationIcon = {
                    IconButton(onClick = go::back) {
                        Icon(Icons.AutoMirrored.Filled.ArrowBack, contentDescription = stringResource(R.string.back))
                    }
                },
            )
        },
    ) { padding ->
        PullToRefreshBox(isRefreshing = status.running, onRefresh = onRefresh, modifier = Modifier.padding(padding).fillMaxSize()) {
            LazyVerticalGrid(
                columns = GridCells.Adaptive(minSize = 112.dp),
                modifier = Modifier.fillMaxSize(),
                contentPadding = PaddingValues(4.dp),
                horizontalArrangement = Arrangement.spacedBy(4.dp),
                verticalArrangement = Arrangement.spacedBy(4.dp),
            ) {
                if (state.tiles.isEmpty()) {
                    item(span = { GridItemSpan(maxLineSpan) }) { EmptyState(state.loading, state.problem, R.string.gallery_empty) }
                } else {
                    state.problem?.let { item(span = { GridItemSpan(maxLineSpan) }) { ProblemText(it) } }
                }
                items(state.tiles, key = { it.item.id }) { tile ->
                    val label = tile.item.caption.ifBlank { stringResource(R.string.photo) }
                    Box(
                        Modifier
                            .aspectRatio(1f)
                            .background(MaterialTheme.colorScheme.surfaceVariant)
                            .clickable(onClickLabel = stringResource(R.string.open_photo)) { model.open(tile.item) },
                        contentAlignment = Alignment.Center,
                    ) {
                        val thumbnail = tile.thumbnail
                        if (thumbnail != null) {
                            LocalImage(thumbnail, contentDescription = label, modifier = Modifier.fillMaxSize())
                        } else {
                            Icon(Icons.Outlined.Image, contentDescription = label, tint = MaterialTheme.colorScheme.onSurfaceVariant)
                        }
                    }
                }
            }
        }
    }
    state.opened?.let { opened -> FullPhoto(opened, model) }
}

/** The full image over everything: a spinner while it downloads, the reason if it cannot. */
@Composable
private fun FullPhoto(opened: OpenedPhoto, model: GalleryModel) {
    Dialog(onDismissRequest = model::close, properties = DialogProperties(usePlatformDefaultWidth = false)) {
        Box(Modifier.fillMaxSize().background(Color.Black)) {
            val file = opened.file
            val problem = opened.problem
            when {
                file != null -> LocalImage(file, contentDescription = opened.item.caption, modifier = Modifier.fillMaxSize(), contentScale = ContentScale.Fit)
                problem != null -> ProblemText(problem, Modifier.align(Alignment.Center).background(MaterialTheme.colorScheme.surface))
                else -> LoadingIndicator(Modifier.align(Alignment.Center))
            }
            Column(Modifier.align(Alignment.BottomStart).fillMaxWidth().background(Color.Black.copy(alpha = 0.6f)).padding(16.dp)) {
                if (opened.item.caption.isNotBlank()) Text(opened.item.caption, color = Color.White, style = MaterialTheme.typography.bodyLarge)
                if (opened.item.credit.isNotBlank()) Text(stringResource(R.string.photo_credit, opened.item.credit), color = Color.White, style = MaterialTheme.typography.labelSmall)
            }
            // On the scrim too: over a white photo a bare white icon would vanish.
            IconButton(onClick = model::close, modifier = Modifier.align(Alignment.TopEnd).padding(8.dp).background(Color.Black.copy(alpha = 0.6f), CircleShape)) {
                Icon(Icons.Outlined.Close, contentDescription = stringResource(R.string.close), tint = Color.White)
            }
        }
    }
}
