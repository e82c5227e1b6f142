package de.marktplatz.app.ui.components

import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.automirrored.filled.ArrowBack
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.Text
import androidx.compose.material3.TopAppBar
import androidx.compose.runtime.Composable
import androidx.compose.ui.res.stringResource
import de.marktplatz.app.R
import de.marktplatz.app.ui.AppNavigator

/** A pushed screen's top bar: its title and the back button. */
@OptIn(ExperimentalMaterial3Api::class)
@Composable
fun BackTopBar(title: String, go: AppNavigator) {
    TopAppBar(
        title = { Text(title) },
        navigationIcon = {
            IconButton(onClick = go::back) {
                Icon(Icons.AutoMirrored.Filled.ArrowBack, contentDescription = stringResource(R.string.back))
            }
        },
    )
}
