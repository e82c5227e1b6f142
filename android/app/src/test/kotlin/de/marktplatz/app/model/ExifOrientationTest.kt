package de.marktplatz.app.model

import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test

/**
 * Each EXIF orientation stores the picture turned or flipped in its own way (TIFF 6.0: where
 * the stored first row and column are in the picture as seen). Turning the stored pixels as
 * [UprightTurn] says, the way PhotoEncoding's Matrix does (rotate clockwise, then mirror),
 * must give back the picture as seen, for all eight.
 */
class ExifOrientationTest {
    private val upright = listOf("abc", "def").map { it.toList() }

    private fun List<List<Char>>.rotatedClockwise() = List(this[0].size) { row -> List(size) { col -> this[size - 1 - col][row] } }
    private fun List<List<Char>>.mirrored() = map { it.reversed() }
    private fun List<List<Char>>.flippedVertically() = reversed()
    private fun List<List<Char>>.transposed() = List(this[0].size) { row -> List(size) { col -> this[col][row] } }
    private fun List<List<Char>>.rotated(degrees: Int) = (0 until degrees / 90).fold(this) { grid, _ -> grid.rotatedClockwise() }

    /** How a camera stores [upright] under each tag. */
    private val stored = mapOf(
        1 to upright,
        2 to upright.mirrored(),
        3 to upright.rotated(180),
        4 to upright.flippedVertically(),
        5 to upright.transposed(),
        6 to upright.rotated(270), // the top of the picture is the stored right edge
        7 to upright.rotated(180).transposed(),
        8 to upright.rotated(90),
    )

    @Test
    fun everyOrientationComesOutUpright() {
        for ((orientation, pixels) in stored) {
            val turn = UprightTurn.forExifOrientation(orientation)
            val shown = pixels.rotated(turn.degrees).let { if (turn.mirrored) it.mirrored() else it }
            assertEquals("orientation $orientation ($turn)", upright, shown)
        }
    }

    @Test
    fun uprightUndefinedAndUnknownTagsAreLeftAlone() {
        for (orientation in listOf(1, 0, 9, -1)) {
            assertTrue("orientation $orientation", UprightTurn.forExifOrientation(orientation).isIdentity)
        }
    }
}
