//! The words of the releases page, the access-code form and the device counts, German first
//! and English second; kept apart from `text` so the pages can grow without one shared table.

use super::text::Texts;

pub struct AdminTexts {
    pub releases: &'static str,
    pub all_releases: &'static str,
    pub revert_link: &'static str,
    pub revert_title: &'static str,
    pub revert_intro: &'static str,
    pub revert_button: &'static str,
    pub revert_confirm_guard: &'static str,
    pub reverted: &'static str,
    pub revert_needs_confirmation: &'static str,
    pub no_such_release: &'static str,
    pub code_heading: &'static str,
    pub code_is_set: &'static str,
    pub code_is_unset: &'static str,
    pub f_code: &'static str,
    pub code_hint: &'static str,
    pub set_code: &'static str,
    pub remove_code: &'static str,
    pub code_set: &'static str,
    pub code_removed: &'static str,
    pub code_was_unset: &'static str,
    pub err_code: &'static str,
    pub devices_heading: &'static str,
    pub devices_hint: &'static str,
    pub devices_hour: &'static str,
    pub devices_day: &'static str,
}

impl Texts {
    /// The words of this module in the language of `self`.
    pub fn admin(&self) -> &'static AdminTexts {
        if self.lang == "de" { &DE } else { &EN }
    }
}

static DE: AdminTexts = AdminTexts {
    releases: "Veröffentlichungen",
    all_releases: "Alle Veröffentlichungen",
    revert_link: "Auf diesen Stand zurücksetzen",
    revert_title: "Zurücksetzen auf Veröffentlichung",
    revert_intro: "Der Inhalt dieser Veröffentlichung wird als neue Veröffentlichung ihrer Quelle erneut veröffentlicht; die Geräte übernehmen die Änderungen bei der nächsten Synchronisierung. Dasselbe wie „marktplatz revert“.",
    revert_button: "Zurücksetzen",
    revert_confirm_guard: "Ich habe die Bedenken gelesen und will trotzdem zurücksetzen.",
    reverted: "Zurückgesetzt: eine neue Veröffentlichung ist erschienen.",
    revert_needs_confirmation: "Nicht zurückgesetzt: das Zurücksetzen braucht eine Bestätigung (siehe Bedenken).",
    no_such_release: "Diese Veröffentlichung gibt es nicht oder ihr Inhalt ist nicht gespeichert; sie kann nicht wiederhergestellt werden.",
    code_heading: "Zugangscode",
    code_is_set: "Die Veranstaltung ist mit einem Zugangscode geschützt: Geräte lesen sie nur mit dem Code.",
    code_is_unset: "Die Veranstaltung ist öffentlich: jedes Gerät kann sie lesen.",
    f_code: "Neuer Zugangscode",
    code_hint: "8 bis 64 Zeichen, z. B. auf dem Namensschild gedruckt. Gespeichert wird nur ein Hash.",
    set_code: "Zugangscode setzen",
    remove_code: "Zugangscode entfernen",
    code_set: "Der Zugangscode ist gesetzt.",
    code_removed: "Der Zugangscode ist entfernt; die Veranstaltung ist öffentlich.",
    code_was_unset: "Es war kein Zugangscode gesetzt.",
    err_code: "Ein Zugangscode hat 8 bis 64 druckbare Zeichen.",
    devices_heading: "Geräte",
    devices_hint: "Verschiedene Geräte, die Aktualisierungen abgefragt haben. Nur eine Zahl: keine Kennung eines Geräts wird gespeichert.",
    devices_hour: "in der laufenden Stunde (UTC)",
    devices_day: "in den letzten 24 Stunden",
};

static EN: AdminTexts = AdminTexts {
    releases: "Releases",
    all_releases: "All releases",
    revert_link: "Revert to this release",
    revert_title: "Revert to release",
    revert_intro: "What this release published is published again as a new release of its source; devices take the changes at their next sync. The same as “marktplatz revert”.",
    revert_button: "Revert",
    revert_confirm_guard: "I have read the concerns and want to revert anyway.",
    reverted: "Reverted: a new release is out.",
    revert_needs_confirmation: "Not reverted: the revert needs confirming (see the concerns).",
    no_such_release: "This release does not exist or its content was not kept; it cannot be restored.",
    code_heading: "Access code",
    code_is_set: "The event is protected by an access code: devices read it only with the code.",
    code_is_unset: "The event is public: any device can read it.",
    f_code: "New access code",
    code_hint: "8 to 64 characters, e.g. printed on the badge. Only a hash is stored.",
    set_code: "Set access code",
    remove_code: "Remove access code",
    code_set: "The access code is set.",
    code_removed: "The access code is removed; the event is public.",
    code_was_unset: "No access code was set.",
    err_code: "An access code has 8 to 64 printable characters.",
    devices_heading: "Devices",
    devices_hint: "Distinct devices that polled for updates. A count only: no device identifier is stored.",
    devices_hour: "in this hour (UTC)",
    devices_day: "in the last 24 hours",
};
