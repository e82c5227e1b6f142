//! The console's words, one table per language: German first, English second. A text missing
//! in one language is a compile error.

use axum::http::HeaderMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    De,
    En,
}

impl Lang {
    pub fn parse(text: &str) -> Option<Lang> {
        match text {
            "de" => Some(Lang::De),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::De => "de",
            Lang::En => "en",
        }
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::De => &DE,
            Lang::En => &EN,
        }
    }

    /// The first of German or English the browser's `Accept-Language` lists (by weight);
    /// German when it lists neither.
    pub fn from_accept_language(headers: &HeaderMap) -> Lang {
        let Some(value) = headers
            .get(axum::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
        else {
            return Lang::De;
        };
        let mut best: Option<(f32, Lang)> = None;
        for item in value.split(',').take(32) {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let weight = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or("");
            if let Some(lang) = Lang::parse(primary)
                && best.is_none_or(|(w, _)| weight > w)
            {
                best = Some((weight, lang));
            }
        }
        best.map_or(Lang::De, |(_, lang)| lang)
    }
}

/// Every text the pages show.
pub struct Texts {
    pub lang: &'static str,
    pub skip: &'static str,
    pub console: &'static str,
    pub nav_label: &'static str,
    pub overview: &'static str,
    pub announce: &'static str,
    pub import: &'static str,
    pub sign_out: &'static str,
    pub other_lang_name: &'static str,
    pub other_lang_code: &'static str,
    pub sign_in_title: &'static str,
    pub sign_in_intro: &'static str,
    pub sign_in_button: &'static str,
    pub link_unknown: &'static str,
    pub link_expired: &'static str,
    pub link_used: &'static str,
    pub need_sign_in: &'static str,
    pub other_event: &'static str,
    pub forged: &'static str,
    pub signed_out: &'static str,
    pub failed: &'static str,
    pub published_now: &'static str,
    pub nothing_published: &'static str,
    pub kind_col: &'static str,
    pub count_col: &'static str,
    pub latest_releases: &'static str,
    pub no_releases: &'static str,
    pub col_number: &'static str,
    pub col_when: &'static str,
    pub col_source: &'static str,
    pub col_by: &'static str,
    pub col_note: &'static str,
    pub col_changes: &'static str,
    pub compose: &'static str,
    pub f_title: &'static str,
    pub f_body: &'static str,
    pub f_priority: &'static str,
    pub p_normal: &'static str,
    pub p_urgent: &'static str,
    pub f_expires: &'static str,
    pub expires_hint: &'static str,
    pub preview: &'static str,
    pub publish: &'static str,
    pub preview_heading: &'static str,
    pub live: &'static str,
    pub none_live: &'static str,
    pub retract: &'static str,
    pub until: &'static str,
    pub announced: &'static str,
    pub retracted: &'static str,
    pub err_title: &'static str,
    pub err_expires: &'static str,
    pub import_title: &'static str,
    pub f_source: &'static str,
    pub source_hint: &'static str,
    pub f_file: &'static str,
    pub file_hint: &'static str,
    pub template_link: &'static str,
    pub show_preview: &'static str,
    pub preview_title: &'static str,
    pub added: &'static str,
    pub updated: &'static str,
    pub removed: &'static str,
    pub unchanged: &'static str,
    pub warnings: &'static str,
    pub kept: &'static str,
    pub overridden: &'static str,
    pub phone_value: &'static str,
    pub file_value: &'static str,
    pub needs_confirmation: &'static str,
    pub confirm_guard: &'static str,
    pub f_note: &'static str,
    pub confirm: &'static str,
    pub cancel: &'static str,
    pub imported: &'static str,
    pub err_source: &'static str,
    pub err_file: &'static str,
    pub err_read: &'static str,
    pub err_stale: &'static str,
    pub err_gone: &'static str,
    /// Around the most characters a release note may have.
    pub err_note_long: &'static str,
    pub err_note_long_unit: &'static str,
    pub access: &'static str,
    pub sessions_heading: &'static str,
    pub tokens_heading: &'static str,
    pub no_tokens: &'static str,
    pub col_since: &'static str,
    pub col_until: &'static str,
    pub col_role: &'static str,
    pub col_state: &'static str,
    pub this_session: &'static str,
    pub revoke: &'static str,
    pub revoked: &'static str,
    pub not_revoked: &'static str,
    pub state_active: &'static str,
    pub state_revoked: &'static str,
    pub state_expired: &'static str,
    pub phone_heading: &'static str,
    pub f_phone_name: &'static str,
    pub phone_name_hint: &'static str,
    pub f_lifetime: &'static str,
    pub lifetimes: [&'static str; 4],
    pub issue_phone: &'static str,
    pub phone_intro: &'static str,
    pub phone_qr_alt: &'static str,
    pub phone_once: &'static str,
    pub back_to_access: &'static str,
    pub err_phone_name: &'static str,
    /// The navigation entry of the programme's edit pages (`edit`).
    pub sessions: &'static str,
}

pub static DE: Texts = Texts {
    lang: "de",
    skip: "Zum Inhalt springen",
    console: "Veranstalterkonsole",
    nav_label: "Hauptnavigation",
    overview: "Übersicht",
    announce: "Durchsagen",
    import: "Programm importieren",
    sign_out: "Abmelden",
    other_lang_name: "English",
    other_lang_code: "en",
    sign_in_title: "Anmelden",
    sign_in_intro: "Mit diesem Link melden Sie sich bei der Veranstalterkonsole an. Er gilt nur einmal und nur kurze Zeit.",
    sign_in_button: "Jetzt anmelden",
    link_unknown: "Dieser Anmeldelink ist ungültig. Bitte lassen Sie sich einen neuen Link geben.",
    link_expired: "Dieser Anmeldelink ist abgelaufen. Bitte lassen Sie sich einen neuen Link geben.",
    link_used: "Dieser Anmeldelink wurde bereits benutzt. Jeder Link gilt nur einmal; bitte lassen Sie sich einen neuen geben.",
    need_sign_in: "Bitte melden Sie sich mit einem Anmeldelink an (marktplatz token --role organiser --link …).",
    other_event: "Ihre Sitzung gilt für eine andere Veranstaltung. Für diese Veranstaltung brauchen Sie einen eigenen Anmeldelink. Es wurde nichts geändert.",
    forged: "Das Formular konnte nicht bestätigt werden (Sicherheitsprüfung fehlgeschlagen). Es wurde nichts geändert. Bitte laden Sie die Seite neu und versuchen Sie es noch einmal.",
    signed_out: "Sie sind abgemeldet.",
    failed: "Das hat nicht geklappt; es wurde nichts geändert:",
    published_now: "Jetzt veröffentlicht",
    nothing_published: "Für diese Veranstaltung ist noch nichts veröffentlicht.",
    kind_col: "Art",
    count_col: "Anzahl",
    latest_releases: "Letzte Veröffentlichungen",
    no_releases: "Noch keine Veröffentlichungen.",
    col_number: "Nr.",
    col_when: "Zeitpunkt (UTC)",
    col_source: "Quelle",
    col_by: "Von",
    col_note: "Notiz",
    col_changes: "Neu / geändert / entfernt",
    compose: "Neue Durchsage",
    f_title: "Titel",
    f_body: "Text",
    f_priority: "Dringlichkeit",
    p_normal: "Normal",
    p_urgent: "Dringend",
    f_expires: "Gültig bis (freiwillig)",
    expires_hint: "Datum und Uhrzeit vor Ort, z. B. 2027-03-04T18:00. Leer lassen: gilt, bis sie zurückgezogen wird.",
    preview: "Vorschau",
    publish: "Veröffentlichen",
    preview_heading: "So sehen Teilnehmende die Durchsage",
    live: "Aktuelle Durchsagen",
    none_live: "Zurzeit gibt es keine Durchsagen.",
    retract: "Zurückziehen",
    until: "gültig bis",
    announced: "Die Durchsage ist veröffentlicht.",
    retracted: "Die Durchsage ist zurückgezogen.",
    err_title: "Bitte geben Sie einen Titel ein (höchstens 200 Zeichen).",
    err_expires: "Bitte geben Sie Datum und Uhrzeit in der Zukunft an, im Format 2027-03-04T18:00.",
    import_title: "Programm importieren",
    f_source: "Quelle",
    source_hint: "Ein Name wie programm oder aussteller (Buchstaben, Ziffern, Punkt, Binde- und Unterstrich). Ein Import ersetzt nur, was dieselbe Quelle zuvor veröffentlicht hat.",
    f_file: "Datei",
    file_hint: "Excel (XLSX), LibreOffice (ODS), CSV, frab-XML, Schedule-JSON (pretalx, c3voc) oder iCalendar.",
    template_link: "Excel-Vorlage herunterladen (mit den Spaltennamen, die der Import versteht)",
    show_preview: "Vorschau anzeigen",
    preview_title: "Vorschau: das würde veröffentlicht",
    added: "Neu",
    updated: "Geändert",
    removed: "Entfernt",
    unchanged: "Unverändert",
    warnings: "Hinweise zur Datei",
    kept: "Änderungen vom Telefon, die bleiben",
    overridden: "Änderungen vom Telefon, die die Datei überschreibt",
    phone_value: "Telefon",
    file_value: "Datei",
    needs_confirmation: "Braucht Ihre Bestätigung",
    confirm_guard: "Ja, ich habe die Vorschau geprüft: trotzdem veröffentlichen",
    f_note: "Notiz zur Veröffentlichung",
    confirm: "Jetzt veröffentlichen",
    cancel: "Abbrechen",
    imported: "Veröffentlicht als Release",
    err_source: "Bitte geben Sie einen Quellennamen an: 1 bis 64 Buchstaben, Ziffern, '.', '_' oder '-'.",
    err_file: "Bitte wählen Sie eine Datei aus.",
    err_read: "Die Datei kann nicht gelesen werden:",
    err_stale: "Seit der Vorschau wurde etwas anderes veröffentlicht. Bitte laden Sie die Datei noch einmal hoch und prüfen Sie die neue Vorschau. Es wurde nichts veröffentlicht.",
    err_gone: "Diese Vorschau gibt es nicht mehr (schon veröffentlicht oder abgelaufen). Bitte laden Sie die Datei noch einmal hoch.",
    err_note_long: "Die Notiz zur Veröffentlichung darf höchstens",
    err_note_long_unit: "Zeichen haben.",
    access: "Zugänge",
    sessions_heading: "Angemeldete Browser",
    tokens_heading: "Tokens dieser Veranstaltung (Telefone, Werkzeuge)",
    no_tokens: "Für diese Veranstaltung gibt es keine Tokens.",
    col_since: "Angemeldet seit (UTC)",
    col_until: "Gültig bis (UTC)",
    col_role: "Rolle",
    col_state: "Status",
    this_session: "diese Sitzung",
    revoke: "Widerrufen",
    revoked: "Widerrufen: dieser Zugang gilt nicht mehr.",
    not_revoked: "Diesen Zugang gibt es nicht (mehr) für diese Veranstaltung; es wurde nichts geändert.",
    state_active: "gültig",
    state_revoked: "widerrufen",
    state_expired: "abgelaufen",
    phone_heading: "Telefon als Veranstalter anmelden",
    f_phone_name: "Name (wer das Telefon benutzt)",
    phone_name_hint: "Erscheint in der Liste oben; 1 bis 100 Zeichen.",
    f_lifetime: "Gültig für",
    lifetimes: ["12 Stunden", "1 Tag", "3 Tage", "7 Tage"],
    issue_phone: "QR-Code erzeugen",
    phone_intro: "Scannen Sie diesen Code mit der Marktplatz-App im Veranstaltermodus. Das Telefon kann dann Durchsagen machen und das Programm ändern, bis der Zugang abläuft oder widerrufen wird.",
    phone_qr_alt: "QR-Code zum Anmelden des Telefons",
    phone_once: "Der Code wird nur jetzt angezeigt. Wer ihn hat, kann als Veranstalter ändern: nicht weitergeben, nach dem Scannen diese Seite schließen.",
    back_to_access: "Zurück zu den Zugängen",
    err_phone_name: "Bitte geben Sie einen Namen für das Telefon an (1 bis 100 Zeichen); es wurde kein Zugang erzeugt.",
    sessions: "Programm bearbeiten",
};

pub static EN: Texts = Texts {
    lang: "en",
    skip: "Skip to content",
    console: "Organiser console",
    nav_label: "Main navigation",
    overview: "Overview",
    announce: "Announcements",
    import: "Import programme",
    sign_out: "Sign out",
    other_lang_name: "Deutsch",
    other_lang_code: "de",
    sign_in_title: "Sign in",
    sign_in_intro: "This link signs you in to the organiser console. It works once and for a short time only.",
    sign_in_button: "Sign in now",
    link_unknown: "This sign-in link is not valid. Please ask for a new link.",
    link_expired: "This sign-in link has expired. Please ask for a new link.",
    link_used: "This sign-in link was used already. Each link works once; please ask for a new one.",
    need_sign_in: "Please sign in with a sign-in link (marktplatz token --role organiser --link …).",
    other_event: "Your session is for another event. This event needs its own sign-in link. Nothing was changed.",
    forged: "The form could not be verified (security check failed). Nothing was changed. Please reload the page and try again.",
    signed_out: "You are signed out.",
    failed: "That did not work; nothing was changed:",
    published_now: "Published now",
    nothing_published: "Nothing is published for this event yet.",
    kind_col: "Kind",
    count_col: "Count",
    latest_releases: "Latest releases",
    no_releases: "No releases yet.",
    col_number: "No.",
    col_when: "When (UTC)",
    col_source: "Source",
    col_by: "By",
    col_note: "Note",
    col_changes: "Added / changed / removed",
    compose: "New announcement",
    f_title: "Title",
    f_body: "Text",
    f_priority: "Priority",
    p_normal: "Normal",
    p_urgent: "Urgent",
    f_expires: "Valid until (optional)",
    expires_hint: "Local date and time at the event, e.g. 2027-03-04T18:00. Leave empty: valid until retracted.",
    preview: "Preview",
    publish: "Publish",
    preview_heading: "How attendees will see the announcement",
    live: "Live announcements",
    none_live: "There are no announcements right now.",
    retract: "Retract",
    until: "valid until",
    announced: "The announcement is published.",
    retracted: "The announcement is retracted.",
    err_title: "Please enter a title (at most 200 characters).",
    err_expires: "Please enter a date and time in the future, as 2027-03-04T18:00.",
    import_title: "Import programme",
    f_source: "Source",
    source_hint: "A name like programme or exhibitors (letters, digits, '.', '_', '-'). An import replaces only what the same source published before.",
    f_file: "File",
    file_hint: "Excel (XLSX), LibreOffice (ODS), CSV, frab XML, schedule JSON (pretalx, c3voc) or iCalendar.",
    template_link: "Download the Excel template (with the column headers the import understands)",
    show_preview: "Show preview",
    preview_title: "Preview: this would be published",
    added: "Added",
    updated: "Changed",
    removed: "Removed",
    unchanged: "Unchanged",
    warnings: "Notes on the file",
    kept: "Phone edits that stay",
    overridden: "Phone edits the file overrides",
    phone_value: "phone",
    file_value: "file",
    needs_confirmation: "Needs your confirmation",
    confirm_guard: "Yes, I have checked the preview: publish anyway",
    f_note: "Release note",
    confirm: "Publish now",
    cancel: "Cancel",
    imported: "Published as release",
    err_source: "Please give a source name: 1 to 64 letters, digits, '.', '_' or '-'.",
    err_file: "Please choose a file.",
    err_read: "The file cannot be read:",
    err_stale: "Something else was published since the preview. Please upload the file again and check the new preview. Nothing was published.",
    err_gone: "This preview no longer exists (published already or expired). Please upload the file again.",
    err_note_long: "The release note may have at most",
    err_note_long_unit: "characters.",
    access: "Access",
    sessions_heading: "Signed-in browsers",
    tokens_heading: "Tokens of this event (phones, tools)",
    no_tokens: "There are no tokens for this event.",
    col_since: "Signed in since (UTC)",
    col_until: "Valid until (UTC)",
    col_role: "Role",
    col_state: "State",
    this_session: "this session",
    revoke: "Revoke",
    revoked: "Revoked: this access no longer works.",
    not_revoked: "There is no such access (any more) for this event; nothing was changed.",
    state_active: "active",
    state_revoked: "revoked",
    state_expired: "expired",
    phone_heading: "Sign in a phone as organiser",
    f_phone_name: "Name (who uses the phone)",
    phone_name_hint: "Shown in the list above; 1 to 100 characters.",
    f_lifetime: "Valid for",
    lifetimes: ["12 hours", "1 day", "3 days", "7 days"],
    issue_phone: "Make QR code",
    phone_intro: "Scan this code with the Marktplatz app in organiser mode. The phone can then announce and change the programme until the access expires or is revoked.",
    phone_qr_alt: "QR code to sign in the phone",
    phone_once: "The code is shown only now. Whoever has it can change things as an organiser: do not pass it on, close this page after scanning.",
    back_to_access: "Back to access",
    err_phone_name: "Please give the phone a name (1 to 100 characters); no access was created.",
    sessions: "Edit programme",
};

#[cfg(test)]
mod tests {
    use super::*;

    fn lang_of(accept: &str) -> Lang {
        let mut headers = HeaderMap::new();
        headers.insert(
            axum::http::header::ACCEPT_LANGUAGE,
            accept.parse().unwrap_or_else(|_| unreachable!()),
        );
        Lang::from_accept_language(&headers)
    }

    #[test]
    fn the_browsers_preferred_language_of_the_two_wins_german_otherwise() {
        assert_eq!(lang_of("en-GB,en;q=0.9,de;q=0.5"), Lang::En);
        assert_eq!(lang_of("fr-FR, de;q=0.8, en;q=0.7"), Lang::De);
        assert_eq!(lang_of("de-AT;q=0.4, en-US;q=0.6"), Lang::En);
        assert_eq!(lang_of("fr, it"), Lang::De);
        assert_eq!(Lang::from_accept_language(&HeaderMap::new()), Lang::De);
    }
}
