package de.marktplatz.app.model

/**
 * How to turn a photo upright from its EXIF orientation tag (1–8, TIFF 6.0): rotate clockwise
 * by [degrees], then mirror left–right if [mirrored]. Cameras store the sensor's pixels and
 * only tag how to show them, so a decoder that ignores the tag (Android before 9) shows
 * portrait photos lying on their side.
 */
data class UprightTurn(val degrees: Int, val mirrored: Boolean) {
    val isIdentity: Boolean get() = degrees == 0 && !mirrored

    companion object {
        private val NONE = UprightTurn(0, false)

        fun forExifOrientation(orientation: Int): UprightTurn = when (orientation) {
            2 -> UprightTurn(0, true) // flipped horizontally
            3 -> UprightTurn(180, false)
            4 -> UprightTurn(180, true) // flipped vertically
            5 -> UprightTurn(90, true) // transposed
            6 -> UprightTurn(90, false)
            7 -> UprightTurn(270, true) // transversed
            8 -> UprightTurn(270, false)
            // 1 is upright; 0 (undefined) and unknown values are shown as stored.
            else -> NONE
        }
    }
}
