package de.marktplatz.app.model

import de.marktplatz.bridge.MarktplatzRepository
import de.marktplatz.core.InfoPage
import java.time.LocalDate
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update

/** How far the app meets BITV 2.0 / EN 301 549 (WCAG 2.1 AA), as the statement declares it. */
enum class ComplianceStatus { PARTIALLY_COMPLIANT }

/** What is known not to be checked or not accessible; the screen words each in both languages. */
enum class KnownGap {
    /** The apps were never built or run on a phone here: TalkBack and VoiceOver untried. */
    NOT_TESTED_ON_DEVICE,
    /** Text at 200 % was designed for but not looked at on a device. */
    FONT_SCALING_UNVERIFIED,
    /**
     * Contrast was measured from the colour definitions of both themes ([ContrastMeasured]), not
     * on a screen; the wallpaper's colours (Android 12+) and the programme's track colours not.
     */
    CONTRAST_NOT_MEASURED_ON_SCREEN,
    /** The hall plan is a picture; its list of places is the accessible alternative. */
    MAP_IS_AN_IMAGE,
    /** Photos and pages come from the organisers; their texts are not checked by the app. */
    ORGANISER_CONTENT,
}

/** Where to report a barrier: the organiser's address from the event's pages, or its website. */
data class FeedbackContact(
    val email: String? = null,
    val website: String? = null,
    /** The info page the address was found on (for the screen to name it). */
    val foundOn: String? = null,
)

/**
 * The lowest contrast ratios (to 1) measured from the app's colour definitions, light and dark
 * theme: of text, and of anything drawn (borders and icons included). WCAG 2.1 AA asks 4.5 for
 * text (1.4.3) and 3 for borders and icons (1.4.11).
 */
data class ContrastMeasured(val minText: Double, val minNonText: Double)

/**
 * What scripts/check_contrast.py measures from Theme.kt and the hard-coded colours (rounded
 * down); it fails when these differ, so the statement never claims more than was measured.
 */
const val MEASURED_MIN_TEXT_CONTRAST = 4.7
const val MEASURED_MIN_NON_TEXT_CONTRAST = 3.4

data class AccessibilityStatement(
    val status: ComplianceStatus,
    val date: LocalDate,
    val gaps: List<KnownGap>,
    /** Null: the event names no contact; the screen says so and where else to turn. */
    val contact: FeedbackContact?,
    val eventTitle: String?,
    val conciliationUrl: String = CONCILIATION_URL,
    val contrast: ContrastMeasured = ContrastMeasured(MEASURED_MIN_TEXT_CONTRAST, MEASURED_MIN_NON_TEXT_CONTRAST),
)

data class AccessibilityStatementState(
    val statement: AccessibilityStatement? = null,
    val loading: Boolean = true,
    val problem: Problem? = null,
)

/**
 * The "Erklärung zur Barrierefreiheit" (BITV 2.0 § 7): status, known gaps, a feedback contact
 * from the event's info (§ 7 feedback mechanism), and the Schlichtungsstelle (§ 16 BGG).
 */
class AccessibilityStatementModel(
    private val repo: MarktplatzRepository,
    scope: CoroutineScope,
    private val event: EventContext,
) {
    private val mutableState = MutableStateFlow(AccessibilityStatementState())
    val state: StateFlow<AccessibilityStatementState> = mutableState.asStateFlow()

    init {
        scope.reloadOnChange(event) { load() }
    }

    private suspend fun load() {
        // Without content (not synced yet) the statement still stands, without a contact; any
        // other failure is shown beside it (the contact may be missing because of it).
        var problem: Problem? = null
        val report = unlessNotSynced { problem = it }
        val overview = attempt(report) { repo.overview(event.eventId) }
        val pages = attempt(report) { repo.infoPages(event.eventId) }.orEmpty()
        val statement = AccessibilityStatement(
            status = ComplianceStatus.PARTIALLY_COMPLIANT,
            date = STATEMENT_DATE,
            gaps = KnownGap.entries,
            contact = feedbackContact(pages, overview?.event?.url),
            eventTitle = overview?.event?.title,
        )
        mutableState.update { it.copy(statement = statement, loading = false, problem = problem) }
    }
}

/** When the statement was last reviewed (with the apps' accessibility work of issue 21). */
val STATEMENT_DATE: LocalDate = LocalDate.of(2026, 12, 6)

/** The conciliation body for barriers in federal public bodies' offers (§ 16 BGG). */
const val CONCILIATION_URL = "https://www.schlichtungsstelle-bgg.de"

private val EMAIL = Regex("""[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}""")

/** Titles of pages where organisers name themselves or their contact, in any case. */
private val ORGANISER_PAGE = Regex("veranstalter|organi[sz]er|kontakt|contact|impressum|about us|über uns", RegexOption.IGNORE_CASE)

/**
 * The first e-mail address on an organiser or contact page (by title), else on any page in the
 * organisers' order; with none, the event's website; null when there is neither.
 */
internal fun feedbackContact(pages: List<InfoPage>, eventUrl: String?): FeedbackContact? {
    val ordered = pages.sortedBy { it.sortOrder }
    val candidates = ordered.filter { ORGANISER_PAGE.containsMatchIn(it.title) } + ordered
    for (page in candidates) {
        val email = EMAIL.find(page.body)?.value?.trimEnd('.')
        if (email != null) return FeedbackContact(email = email, website = eventUrl, foundOn = page.title)
    }
    return eventUrl?.let { FeedbackContact(website = it) }
}
