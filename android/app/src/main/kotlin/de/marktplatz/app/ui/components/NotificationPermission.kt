package de.marktplatz.app.ui.components

import android.Manifest
import android.app.Activity
import android.content.Context
import android.content.ContextWrapper
import android.content.Intent
import android.os.Build
import android.provider.Settings
import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.result.contract.ActivityResultContracts
import androidx.compose.runtime.Composable
import androidx.compose.runtime.MutableState
import androidx.compose.runtime.Stable
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.ui.platform.LocalContext
import androidx.core.app.ActivityCompat
import androidx.lifecycle.Lifecycle
import androidx.lifecycle.compose.LifecycleEventEffect
import de.marktplatz.app.model.PermissionStep
import de.marktplatz.app.model.permissionStep
import de.marktplatz.app.notify.AndroidNotifier

/**
 * The notification permission as screens see it: [granted], checked again whenever the screen
 * resumes (back from the system settings), and how to ask, decided by [permissionStep]: the
 * system dialog while it still shows, the app's notification settings once it no longer does.
 */
@Stable
class NotificationPermission internal constructor(
    private val grantedState: MutableState<Boolean>,
    private val ask: (byUser: Boolean) -> Unit,
) {
    val granted: Boolean get() = grantedState.value

    /** The user tapped "Allow": the dialog, or the settings when the dialog is gone for good. */
    fun askByUser() = ask(true)

    /** The app asks by itself (the first favourite): the dialog if it still shows, else nothing. */
    fun askQuietly() = ask(false)
}

@Composable
fun rememberNotificationPermission(): NotificationPermission {
    val context = LocalContext.current
    val granted = remember { mutableStateOf(AndroidNotifier.canNotify(context)) }
    LifecycleEventEffect(Lifecycle.Event.ON_RESUME) { granted.value = AndroidNotifier.canNotify(context) }
    val launcher = rememberLauncherForActivityResult(ActivityResultContracts.RequestPermission()) { granted.value = it }
    return remember(context, launcher) {
        NotificationPermission(granted) { byUser ->
            // Before Android 13 notifications need no runtime permission.
            if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.TIRAMISU) {
                val permission = Manifest.permission.POST_NOTIFICATIONS
                val activity = context.findActivity()
                val step = permissionStep(
                    granted = AndroidNotifier.canNotify(context),
                    askedBefore = PermissionsAsked.was(context, permission),
                    rationale = activity != null && ActivityCompat.shouldShowRequestPermissionRationale(activity, permission),
                    byUser = byUser,
                )
                when (step) {
                    PermissionStep.ASK -> {
                        PermissionsAsked.mark(context, permission)
                        launcher.launch(permission)
                    }
                    PermissionStep.OPEN_SETTINGS -> context.startActivityOrExplain(
                        Intent(Settings.ACTION_APP_NOTIFICATION_SETTINGS).putExtra(Settings.EXTRA_APP_PACKAGE, context.packageName),
                    )
                    PermissionStep.NOTHING -> Unit
                }
            }
        }
    }
}

/**
 * Which permissions the app has asked for once: Android does not say (its rationale flag is
 * false before the first ask and after the last denial alike). Device-local, not backed up.
 */
private object PermissionsAsked {
    private const val PREFS = "marktplatz_permissions"

    fun was(context: Context, permission: String): Boolean =
        context.getSharedPreferences(PREFS, Context.MODE_PRIVATE).getBoolean(permission, false)

    fun mark(context: Context, permission: String) {
        context.getSharedPreferences(PREFS, Context.MODE_PRIVATE).edit().putBoolean(permission, true).apply()
    }
}

private tailrec fun Context.findActivity(): Activity? = when (this) {
    is Activity -> this
    is ContextWrapper -> baseContext.findActivity()
    else -> null
}
