package de.marktplatz.app.model

import de.marktplatz.core.Announcement
import de.marktplatz.core.ExhibitorEntry
import de.marktplatz.core.GalleryItem
import de.marktplatz.core.InfoPage
import de.marktplatz.core.MapPosition
import de.marktplatz.core.Op
import de.marktplatz.core.Priority
import de.marktplatz.core.SessionDetail
import de.marktplatz.core.StationEntry
import java.time.DateTimeException
import java.time.Instant

/** What an organiser can change on the phone besides announcing and moving sessions. */
enum class EditKind { SESSION, STATION, EXHIBITOR, ANNOUNCEMENT, PHOTO, INFO_PAGE }

/**
 * One field of an edit form; the UI words its label. Most are typed; [STATION] (a station's id),
 * [PRIORITY] (a [Priority] name) and [EXPIRES] (an ISO instant, empty: never) are picked, and
 * [TOPICS] is typed as a comma-separated list.
 */
enum class EditField {
    TITLE, SUBTITLE, NAME, ABSTRACT, BODY, DESCRIPTION, WEBSITE, EMAIL, PHONE, CAPTION, CREDIT,
    STATION, TOPICS, PRIORITY, EXPIRES;

    /** Chosen from a list instead of typed. */
    val picked: Boolean get() = this == STATION || this == PRIORITY || this == EXPIRES
}

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
                EditField.STATION to stationId.orEmpty(),
                EditField.TOPICS to topics.joinToString(", "),
            ),
        )
    }

    fun announcement(announcement: Announcement) = with(announcement) {
        Editable(
            EditKind.ANNOUNCEMENT, id, title,
            linkedMapOf(
                EditField.TITLE to title,
                EditField.BODY to body,
                EditField.PRIORITY to priority.name,
                EditField.EXPIRES to expiresAt?.toString().orEmpty(),
            ),
        )
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
                // A station can be changed, not taken away (the core has no "none").
                stationId = changed[EditField.STATION]?.takeIf { it.isNotEmpty() },
                topics = changed[EditField.TOPICS]?.let(::topicsOf),
                website = changed[EditField.WEBSITE],
                email = changed[EditField.EMAIL],
                phone = changed[EditField.PHONE],
                logo = null,
            )
            EditKind.ANNOUNCEMENT -> Op.AnnouncementEdit(
                id, changed[EditField.TITLE], changed[EditField.BODY],
                changed[EditField.PRIORITY]?.let { name -> Priority.entries.firstOrNull { it.name == name } },
                changed[EditField.EXPIRES]?.let(::instantOrNull),
            )
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

/** Topics as typed: comma-separated, trimmed, blanks and repeats dropped. */
internal fun topicsOf(text: String): List<String> = text.split(',').map { it.trim() }.filter { it.isNotEmpty() }.distinct()

private fun instantOrNull(text: String): Instant? =
    try {
        Instant.parse(text)
    } catch (e: DateTimeException) {
        null
    }

/** Where a tap on the drawn hall plan puts a pin: fractions of the plan, as the core keeps them. */
object PinPlacement {
    /**
     * The position of a tap at ([x], [y]) on a plan drawn [width] x [height] (same units, from
     * its top left corner), clamped onto the plan and rounded to a thousandth (a few pixels on
     * any plan, and stable when the same spot is tapped again); null if the plan has no size.
     */
    fun positionOf(x: Float, y: Float, width: Float, height: Float): MapPosition? {
        if (!(width > 0f && height > 0f) || x.isNaN() || y.isNaN()) return null
        fun fraction(value: Float, size: Float) = Math.round((value / size).coerceIn(0f, 1f) * 1000.0) / 1000.0
        return MapPosition(fraction(x, width), fraction(y, height))
    }
}

/** The order of the info pages, as attendees read them (the core's: sort order, then title). */
object InfoOrder {
    /**
     * The edits that move [pageId] [by] places within [pages] (in the core's order): the two
     * pages swap their sort orders when they differ, else every page is numbered anew (1, 2,
     * 3, ...) and only the pages whose number changes are edited. Empty at either end.
     */
    fun move(pages: List<InfoPage>, pageId: String, by: Int): List<Op.InfoEdit> {
        val from = pages.indexOfFirst { it.id == pageId }
        val to = from + by
        if (from < 0 || by == 0 || to !in pages.indices) return emptyList()
        val (moved, other) = pages[from] to pages[to]
        if (by == 1 || by == -1) {
            if (moved.sortOrder != other.sortOrder) {
                return listOf(
                    Op.InfoEdit(moved.id, null, null, other.sortOrder),
                    Op.InfoEdit(other.id, null, null, moved.sortOrder),
                )
            }
        }
        val reordered = pages.toMutableList().apply { add(to, removeAt(from)) }
        return reordered.mapIndexedNotNull { index, page ->
            (index + 1).takeIf { it != page.sortOrder }?.let { Op.InfoEdit(page.id, null, null, it) }
        }
    }
}

/** The expiry [after] from [now], as an [EditField.EXPIRES] value (whole seconds). */
fun expiryAfter(now: Instant, after: java.time.Duration): String =
    now.plus(after).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString()
