package de.marktplatz.app.model

import de.marktplatz.core.Announcement
import de.marktplatz.core.ExhibitorEntry
import de.marktplatz.core.GalleryItem
import de.marktplatz.core.InfoPage
import de.marktplatz.core.Op
import de.marktplatz.core.SessionDetail
import de.marktplatz.core.StationEntry

/** What an organiser can change on the phone besides announcing and moving sessions. */
enum class EditKind { SESSION, STATION, EXHIBITOR, ANNOUNCEMENT, PHOTO, INFO_PAGE }

/** One text field of an edit form; the UI words its label. */
enum class EditField { TITLE, SUBTITLE, NAME, ABSTRACT, BODY, DESCRIPTION, WEBSITE, EMAIL, PHONE, CAPTION, CREDIT }

/** One thing of [kind] in a list to pick from: what it is called and a line about it. */
data class EditEntry(val kind: EditKind, val id: String, val label: String, val detail: String)

/** The form for one thing: its fields in order, with the values it has now. */
data class Editable(val kind: EditKind, val id: String, val label: String, val values: Map<EditField, String>) {
    val fields: List<EditField> get() = values.keys.toList()

    /** Announcements can be retracted, photos and info pages removed; the rest only edited. */
    val removable: Boolean get() = kind in setOf(EditKind.ANNOUNCEMENT, EditKind.PHOTO, EditKind.INFO_PAGE)
}

/** The forms for what the phone holds, built from the core's own records. */
internal object EditForms {
    fun session(detail: SessionDetail) = with(detail.session) {
        Editable(
            EditKind.SESSION, id, title,
            linkedMapOf(
                EditField.TITLE to title,
                EditField.SUBTITLE to subtitle.orEmpty(),
                EditField.ABSTRACT to abstractText,
                EditField.DESCRIPTION to description,
            ),
        )
    }

    fun station(entry: StationEntry) = with(entry.location) {
        Editable(EditKind.STATION, id, name, linkedMapOf(EditField.NAME to name, EditField.DESCRIPTION to description))
    }

    fun exhibitor(entry: ExhibitorEntry) = with(entry.exhibitor) {
        Editable(
            EditKind.EXHIBITOR, id, name,
            linkedMapOf(
                EditField.NAME to name,
                EditField.DESCRIPTION to description,
                EditField.WEBSITE to website.orEmpty(),
                EditField.EMAIL to contact?.email.orEmpty(),
                EditField.PHONE to contact?.phone.orEmpty(),
            ),
        )
    }

    fun announcement(announcement: Announcement) = with(announcement) {
        Editable(EditKind.ANNOUNCEMENT, id, title, linkedMapOf(EditField.TITLE to title, EditField.BODY to body))
    }

    fun photo(item: GalleryItem) = with(item) {
        Editable(EditKind.PHOTO, id, caption.ifBlank { id }, linkedMapOf(EditField.CAPTION to caption, EditField.CREDIT to credit))
    }

    fun infoPage(page: InfoPage) = with(page) {
        Editable(EditKind.INFO_PAGE, id, title, linkedMapOf(EditField.TITLE to title, EditField.BODY to body))
    }

    /**
     * The edit operation for what changed in the form (trimmed; an unchanged field stays
     * `null`, so it does not overwrite someone else's change), or `null` if nothing changed.
     */
    fun editOp(form: Editable, entered: Map<EditField, String>): Op? {
        val changed = form.values.mapNotNull { (field, old) ->
            val new = entered[field]?.trim() ?: return@mapNotNull null
            if (new == old.trim()) null else field to new
        }.toMap()
        if (changed.isEmpty()) return null
        val id = form.id
        return when (form.kind) {
            EditKind.SESSION -> Op.SessionEdit(
                id, changed[EditField.TITLE], changed[EditField.SUBTITLE], changed[EditField.ABSTRACT], changed[EditField.DESCRIPTION],
            )
            EditKind.STATION -> Op.StationEdit(id, changed[EditField.NAME], changed[EditField.DESCRIPTION], null)
            EditKind.EXHIBITOR -> Op.ExhibitorEdit(
                id = id,
                name = changed[EditField.NAME],
                description = changed[EditField.DESCRIPTION],
                stationId = null,
                topics = null,
                website = changed[EditField.WEBSITE],
                email = changed[EditField.EMAIL],
                phone = changed[EditField.PHONE],
                logo = null,
            )
            EditKind.ANNOUNCEMENT -> Op.AnnouncementEdit(id, changed[EditField.TITLE], changed[EditField.BODY], null, null)
            EditKind.PHOTO -> Op.PhotoEdit(id, changed[EditField.CAPTION], changed[EditField.CREDIT])
            EditKind.INFO_PAGE -> Op.InfoEdit(id, changed[EditField.TITLE], changed[EditField.BODY], null)
        }
    }

    /** Retracting an announcement, removing a photo or an info page; others are not removed here. */
    fun removeOp(kind: EditKind, id: String): Op? = when (kind) {
        EditKind.ANNOUNCEMENT -> Op.AnnouncementRetract(id)
        EditKind.PHOTO -> Op.PhotoRemove(id)
        EditKind.INFO_PAGE -> Op.InfoRemove(id)
        EditKind.SESSION, EditKind.STATION, EditKind.EXHIBITOR -> null
    }
}
