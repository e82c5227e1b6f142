package de.marktplatz.app.model

import org.junit.Assert.assertEquals
import org.junit.Test

class PermissionStepTest {
    @Test
    fun aGrantedPermissionIsNeverAskedFor() {
        for (asked in listOf(false, true)) for (rationale in listOf(false, true)) for (byUser in listOf(false, true)) {
            assertEquals(PermissionStep.NOTHING, permissionStep(granted = true, askedBefore = asked, rationale = rationale, byUser = byUser))
        }
    }

    @Test
    fun theFirstAskShowsTheSystemDialogWhoeverStartsIt() {
        assertEquals(PermissionStep.ASK, permissionStep(granted = false, askedBefore = false, rationale = false, byUser = false))
        assertEquals(PermissionStep.ASK, permissionStep(granted = false, askedBefore = false, rationale = false, byUser = true))
    }

    @Test
    fun afterOneDenialTheSystemStillShowsItsDialog() {
        assertEquals(PermissionStep.ASK, permissionStep(granted = false, askedBefore = true, rationale = true, byUser = true))
        assertEquals(PermissionStep.ASK, permissionStep(granted = false, askedBefore = true, rationale = true, byUser = false))
    }

    @Test
    fun afterAFinalDenialAllowOpensTheSettingsAndTheAppNeverNagsByItself() {
        assertEquals(PermissionStep.OPEN_SETTINGS, permissionStep(granted = false, askedBefore = true, rationale = false, byUser = true))
        assertEquals(PermissionStep.NOTHING, permissionStep(granted = false, askedBefore = true, rationale = false, byUser = false))
    }
}
