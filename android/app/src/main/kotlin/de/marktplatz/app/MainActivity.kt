package de.marktplatz.app

import android.content.Intent
import android.os.Bundle
import androidx.activity.compose.setContent
import androidx.activity.enableEdgeToEdge
import androidx.appcompat.app.AppCompatActivity
import androidx.navigation.NavHostController
import androidx.navigation.compose.rememberNavController
import de.marktplatz.app.ui.MarktplatzApp
import de.marktplatz.app.ui.theme.MarktplatzTheme

/**
 * The one activity. AppCompat only for the per-app language (AppCompatDelegate); everything
 * on screen is Compose. Notification taps arrive as marktplatz://session/{id} deep links.
 */
class MainActivity : AppCompatActivity() {
    private var navController: NavHostController? = null

    override fun onCreate(savedInstanceState: Bundle?) {
        enableEdgeToEdge()
        super.onCreate(savedInstanceState)
        setContent {
            MarktplatzTheme {
                val controller = rememberNavController().also { navController = it }
                MarktplatzApp(graph = application.graph, navController = controller)
            }
        }
    }

    override fun onNewIntent(intent: Intent) {
        super.onNewIntent(intent)
        navController?.handleDeepLink(intent)
    }
}
