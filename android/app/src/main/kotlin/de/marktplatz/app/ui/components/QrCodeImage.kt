package de.marktplatz.app.ui.components

import androidx.compose.foundation.Image
import androidx.compose.foundation.background
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.size
import androidx.compose.runtime.Composable
import androidx.compose.runtime.remember
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.graphics.FilterQuality
import androidx.compose.ui.graphics.ImageBitmap
import androidx.compose.ui.graphics.asImageBitmap
import androidx.compose.ui.unit.Dp
import androidx.compose.ui.unit.dp
import android.graphics.Bitmap
import com.google.zxing.BarcodeFormat
import com.google.zxing.EncodeHintType
import com.google.zxing.qrcode.QRCodeWriter
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel

/**
 * [text] as a QR code, black on white in both themes (scanners need the contrast) with a quiet
 * zone; [description] is what a screen reader says instead of the picture.
 */
@Composable
fun QrCodeImage(text: String, description: String, modifier: Modifier = Modifier, size: Dp = 240.dp) {
    val bitmap = remember(text) { qrBitmap(text) }
    Image(
        bitmap = bitmap,
        contentDescription = description,
        // One module per pixel, scaled up: sharp edges, no blur.
        filterQuality = FilterQuality.None,
        modifier = modifier
            .background(Color.White)
            .padding(16.dp)
            .size(size),
    )
}

/** One pixel per QR module; the code is upper-case base32, which QR stores compactly. */
private fun qrBitmap(text: String): ImageBitmap {
    val hints = mapOf(EncodeHintType.ERROR_CORRECTION to ErrorCorrectionLevel.M, EncodeHintType.MARGIN to 0)
    val matrix = QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0, hints)
    val pixels = IntArray(matrix.width * matrix.height) { index ->
        if (matrix.get(index % matrix.width, index / matrix.width)) android.graphics.Color.BLACK else android.graphics.Color.WHITE
    }
    return Bitmap.createBitmap(pixels, matrix.width, matrix.height, Bitmap.Config.ARGB_8888).asImageBitmap()
}
