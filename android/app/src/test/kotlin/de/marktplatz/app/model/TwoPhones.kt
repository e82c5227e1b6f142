package de.marktplatz.app.model

import org.junit.After

/** Two phones on the same demo server: mine and a friend's who shares a code with me. */
abstract class TwoPhones {
    protected val me = TestWorld()
    protected val friend = TestWorld()

    @After
    fun closePhones() {
        me.close()
        friend.close()
    }
}
