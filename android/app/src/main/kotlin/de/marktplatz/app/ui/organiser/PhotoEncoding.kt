package de.marktplatz.app.ui.organiser

import android.content.Context
import android.graphics.Bitmap
import android.graphics.ImageDecoder
import android.graphics.Matrix
import android.net.Uri
import android.os.Build
import android.provider.MediaStore
import androidx.exifinterface.media.ExifInterface
import de.marktplatz.app.model.UprightTurn
import java.io.ByteArrayOutputStream
import kotlin.math.max

/**
 * A picked or taken photo as JPEG bytes the core accepts: decoded (HEIC and WebP included),
 * turned upright, scaled to at most [MAX_EDGE] pixels and re-encoded, so an organiser on a
 * weak signal sends about a megabyte, not twelve. Runs on a background thread.
 */
object PhotoEncoding {
    private const val MAX_EDGE = 2560
    private const val QUALITY = 85

    fun jpeg(context: Context, uri: Uri): ByteArray {
        val bitmap = decode(context, uri)
        val scale = MAX_EDGE.toFloat() / max(bitmap.width, bitmap.height)
        val sized = if (scale < 1f) {
            Bitmap.createScaledBitmap(bitmap, (bitmap.width * scale).toInt(), (bitmap.height * scale).toInt(), true)
        } else {
            bitmap
        }
        return ByteArrayOutputStream().use { out ->
            sized.compress(Bitmap.CompressFormat.JPEG, QUALITY, out)
            out.toByteArray()
        }
    }

    private fun decode(context: Context, uri: Uri): Bitmap =
        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.P) {
            // ImageDecoder applies the EXIF orientation itself.
            ImageDecoder.decodeBitmap(ImageDecoder.createSource(context.contentResolver, uri)) { decoder, info, _ ->
                decoder.allocator = ImageDecoder.ALLOCATOR_SOFTWARE
                val edge = max(info.size.width, info.size.height)
                if (edge > MAX_EDGE * 2) decoder.setTargetSampleSize(edge / (MAX_EDGE * 2) + 1)
            }
        } else {
            // Before Android 9 the platform decoder ignores the EXIF orientation: read the tag
            // and turn the pixels ourselves, or portrait photos arrive lying on their side.
            @Suppress("DEPRECATION")
            val stored = MediaStore.Images.Media.getBitmap(context.contentResolver, uri)
            upright(stored, UprightTurn.forExifOrientation(exifOrientation(context, uri)))
        }

    private fun exifOrientation(context: Context, uri: Uri): Int =
        context.contentResolver.openInputStream(uri)?.use { stream ->
            ExifInterface(stream).getAttributeInt(ExifInterface.TAG_ORIENTATION, ExifInterface.ORIENTATION_NORMAL)
        } ?: ExifInterface.ORIENTATION_NORMAL

    private fun upright(bitmap: Bitmap, turn: UprightTurn): Bitmap {
        if (turn.isIdentity) return bitmap
        val matrix = Matrix().apply {
            setRotate(turn.degrees.toFloat())
            if (turn.mirrored) postScale(-1f, 1f)
        }
        return Bitmap.createBitmap(bitmap, 0, 0, bitmap.width, bitmap.height, matrix, true)
    }
}
