package de.marktplatz.app

import android.content.Intent
import android.os.Bundle
import androidx.activity.compose.setContent
import androidx.activity.enableEdgeToEdge
import androidx.appcompat.app.AppCompatActivity
import androidx.compose.runtime.getValue
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import androidx.navigation.NavHostController
import androidx.navigation.compose.rememberNavController
import de.marktplatz.app.ui.MarktplatzApp
import de.marktplatz.app.ui.screens.OpeningScreen
import de.marktplatz.app.ui.theme.MarktplatzTheme

/**
 * The one activity. AppCompat only for the per-app language (AppCompatDelegate); everything
 * on screen is Compose, drawn once the store is open (MarktplatzApplication opens it off the
 * main thread). Notification taps arrive as marktplatz://session/{id} deep links.
 */
class MainActivity : AppCompatActivity() {
    private var navController: NavHostController? = null

    override fun onCreate(savedInstanceState: Bundle?) {
        enableEdgeToEdge()
        super.onCreate(savedInstanceState)
        val opening = (application as MarktplatzApplication).opening
        setContent {
            MarktplatzTheme {
                val state by opening.state.collectAsStateWithLifecycle()
                OpeningScreen(state) { graph ->
                    val controller = rememberNavController().also { navController = it }
                    MarktplatzApp(graph = graph, navController = controller)
                }
            }
        }
    }

    override fun onNewIntent(intent: Intent) {
        super.onNewIntent(intent)
        navController?.handleDeepLink(intent)
    }
}
