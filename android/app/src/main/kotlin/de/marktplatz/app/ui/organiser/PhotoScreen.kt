package de.marktplatz.app.ui.organiser

import android.Manifest
import android.content.pm.PackageManager
import android.net.Uri
import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.result.PickVisualMediaRequest
import androidx.activity.result.contract.ActivityResultContracts
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.outlined.PhotoCamera
import androidx.compose.material.icons.outlined.PhotoLibrary
import androidx.compose.material3.Button
import androidx.compose.material3.Icon
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.layout.ContentScale
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.core.content.ContextCompat
import androidx.core.content.FileProvider
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import coil3.compose.AsyncImage
import de.marktplatz.app.R
import de.marktplatz.app.model.Problem
import de.marktplatz.app.model.ProblemKind
import de.marktplatz.app.ui.AppNavigator
import de.marktplatz.app.ui.OrganiserViewModel
import de.marktplatz.app.ui.appViewModel
import de.marktplatz.app.ui.components.ProblemText
import de.marktplatz.app.ui.components.BackTopBar
import java.io.File
import java.util.UUID
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext

/** Take a photo with the camera app or pick one, caption it, and queue it for the gallery. */
@Composable
fun PhotoScreen(go: AppNavigator) {
    val model = appViewModel { OrganiserViewModel(it) }.model
    val state by model.state.collectAsStateWithLifecycle()
    val context = LocalContext.current
    val scope = rememberCoroutineScope()
    var photo by rememberSaveable { mutableStateOf<Uri?>(null) }
    var pending by rememberSaveable { mutableStateOf<Uri?>(null) }
    var caption by rememberSaveable { mutableStateOf("") }
    var credit by rememberSaveable { mutableStateOf("") }
    var problem by remember { mutableStateOf<Problem?>(null) }

    val take = rememberLauncherForActivityResult(ActivityResultContracts.TakePicture()) { saved -> if (saved) photo = pending }
    // The app declares CAMERA (for the QR scanner), so the camera app may only be asked with it granted.
    var cameraRefused by rememberSaveable { mutableStateOf(false) }
    val takePhoto = {
        val file = File(context.cacheDir, "photos").apply { mkdirs() }.resolve("${UUID.randomUUID()}.jpg")
        val uri = FileProvider.getUriForFile(context, context.packageName + ".files", file)
        pending = uri
        take.launch(uri)
    }
    val askCamera = rememberLauncherForActivityResult(ActivityResultContracts.RequestPermission()) { granted ->
        cameraRefused = !granted
        if (granted) takePhoto()
    }
    val pick = rememberLauncherForActivityResult(ActivityResultContracts.PickVisualMedia()) { uri -> if (uri != null) photo = uri }

    Scaffold(
        topBar = {
            BackTopBar(stringResource(R.string.add_photo), go)
        },
    ) { padding ->
        Column(
            Modifier.padding(padding).fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp),
            verticalArrangement = Arrangement.spacedBy(12.dp),
        ) {
            Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                OutlinedButton(onClick = {
                    if (ContextCompat.checkSelfPermission(context, Manifest.permission.CAMERA) == PackageManager.PERMISSION_GRANTED) {
                        takePhoto()
                    } else {
                        askCamera.launch(Manifest.permission.CAMERA)
                    }
                }) {
                    Icon(Icons.Outlined.PhotoCamera, contentDescription = null)
                    Text(stringResource(R.string.take_photo), Modifier.padding(start = 8.dp))
                }
                OutlinedButton(onClick = { pick.launch(PickVisualMediaRequest(ActivityResultContracts.PickVisualMedia.ImageOnly)) }) {
                    Icon(Icons.Outlined.PhotoLibrary, contentDescription = null)
                    Text(stringResource(R.string.pick_photo), Modifier.padding(start = 8.dp))
                }
            }
            if (cameraRefused) Text(stringResource(R.string.org_camera_for_photo), color = MaterialTheme.colorScheme.error)
            photo?.let { uri ->
                AsyncImage(
                    model = uri,
                    contentDescription = stringResource(R.string.photo_preview),
                    modifier = Modifier.fillMaxWidth().heightIn(max = 320.dp),
                    contentScale = ContentScale.Fit,
                )
            }
            OutlinedTextField(caption, { caption = it }, Modifier.fillMaxWidth(), label = { Text(stringResource(R.string.caption)) })
            OutlinedTextField(credit, { credit = it }, Modifier.fillMaxWidth(), label = { Text(stringResource(R.string.credit)) }, singleLine = true)
            problem?.let { ProblemText(it) }
            state.problem?.let { ProblemText(it) }
            Button(
                onClick = {
                    val uri = photo ?: return@Button
                    scope.launch {
                        val bytes = withContext(Dispatchers.Default) { runCatching { PhotoEncoding.jpeg(context, uri) } }
                        bytes.onSuccess { jpeg ->
                            model.addPhoto(jpeg, caption, credit)
                            go.back()
                        }.onFailure { error ->
                            problem = Problem(ProblemKind.INVALID_INPUT, error.message ?: error.toString())
                        }
                    }
                },
                enabled = photo != null && !state.busy,
                modifier = Modifier.fillMaxWidth(),
            ) { Text(stringResource(R.string.queue_photo)) }
        }
    }
}
