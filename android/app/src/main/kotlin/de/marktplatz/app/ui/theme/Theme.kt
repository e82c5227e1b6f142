package de.marktplatz.app.ui.theme

import android.os.Build
import androidx.compose.foundation.isSystemInDarkTheme
import androidx.compose.material3.ColorScheme
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.darkColorScheme
import androidx.compose.material3.dynamicDarkColorScheme
import androidx.compose.material3.dynamicLightColorScheme
import androidx.compose.material3.lightColorScheme
import androidx.compose.runtime.Composable
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.platform.LocalContext

// The fair's green, for phones without dynamic colour (before Android 12).
private val Light = lightColorScheme(
    primary = Color(0xFF1B6E53),
    onPrimary = Color.White,
    primaryContainer = Color(0xFFA6F2D2),
    onPrimaryContainer = Color(0xFF002116),
    secondary = Color(0xFF4C6359),
    secondaryContainer = Color(0xFFCEE9DB),
    tertiary = Color(0xFF3E6374),
    tertiaryContainer = Color(0xFFC2E8FC),
    error = Color(0xFFBA1A1A),
    background = Color(0xFFFBFDF9),
    surface = Color(0xFFFBFDF9),
)

private val Dark = darkColorScheme(
    primary = Color(0xFF8AD6B7),
    onPrimary = Color(0xFF003828),
    primaryContainer = Color(0xFF00513C),
    onPrimaryContainer = Color(0xFFA6F2D2),
    secondary = Color(0xFFB3CCBF),
    secondaryContainer = Color(0xFF354B41),
    tertiary = Color(0xFFA6CCDF),
    tertiaryContainer = Color(0xFF254B5B),
    error = Color(0xFFFFB4AB),
    background = Color(0xFF191C1A),
    surface = Color(0xFF191C1A),
)

/** Material 3 with the wallpaper's colours where Android offers them; follows dark mode. */
@Composable
fun MarktplatzTheme(dark: Boolean = isSystemInDarkTheme(), content: @Composable () -> Unit) {
    val colors: ColorScheme = when {
        Build.VERSION.SDK_INT >= Build.VERSION_CODES.S -> {
            val context = LocalContext.current
            if (dark) dynamicDarkColorScheme(context) else dynamicLightColorScheme(context)
        }
        dark -> Dark
        else -> Light
    }
    MaterialTheme(colorScheme = colors, content = content)
}

/** A track's colour from the programme ("#1B6E53"), or null when it has none or is malformed. */
fun trackColor(hex: String?): Color? {
    val digits = hex?.removePrefix("#") ?: return null
    if (digits.length != 6) return null
    val value = digits.toLongOrNull(16) ?: return null
    return Color(0xFF000000 or value)
}
