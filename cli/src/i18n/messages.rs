//! The catalogue: every sentence the CLI prints, in English and German side by side. Each
//! message is a function; `messages!` makes the simple ones (one format string per language),
//! the rest are written out (plurals, lists). The compiler checks that no message lacks a
//! language: each is one `match` over [`Lang`].

use std::path::Path;

use chrono::{Datelike, NaiveDate, Weekday};
use marktplatz_core::favourites::FavouriteKind;
use marktplatz_core::sync::OpState;
use marktplatz_import::Format;
use marktplatz_model::model::{LocationKind, Priority};
use marktplatz_model::preview::{Preview, REFUSAL_CHANGES_DAYS, REFUSAL_REMOVES_MOST_SESSIONS};
use marktplatz_model::wire::PublishOutcome;

use super::{Lang, current};
use crate::candidate::{Candidate, Wanted};

macro_rules! messages {
    ($( $(#[$meta:meta])* $name:ident ( $($arg:ident : $ty:ty),* ) { en: $en:literal, de: $de:literal } )*) => {
        $(
            $(#[$meta])*
            pub fn $name($($arg: $ty),*) -> String {
                match current() {
                    Lang::En => format!($en),
                    Lang::De => format!($de),
                }
            }
        )*
    };
}

fn pick(en: String, de: String) -> String {
    match current() {
        Lang::En => en,
        Lang::De => de,
    }
}

/// A title in the run's quotation marks.
pub fn quote(text: &str) -> String {
    pick(format!("\"{text}\""), format!("„{text}“"))
}

/// `n thing`/`n things` (and German forms).
fn count(n: usize, en: (&str, &str), de: (&str, &str)) -> String {
    let word = match (current(), n == 1) {
        (Lang::En, true) => en.0,
        (Lang::En, false) => en.1,
        (Lang::De, true) => de.0,
        (Lang::De, false) => de.1,
    };
    format!("{n} {word}")
}

pub fn sessions_count(n: usize) -> String {
    count(
        n,
        ("session", "sessions"),
        ("Programmpunkt", "Programmpunkte"),
    )
}

// ---- dates and times ----

fn weekday_de(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Mo",
        Weekday::Tue => "Di",
        Weekday::Wed => "Mi",
        Weekday::Thu => "Do",
        Weekday::Fri => "Fr",
        Weekday::Sat => "Sa",
        Weekday::Sun => "So",
    }
}

/// `2027-02-01` / `01.02.2027`.
pub fn date(day: NaiveDate) -> String {
    pick(
        day.format("%Y-%m-%d").to_string(),
        day.format("%d.%m.%Y").to_string(),
    )
}

/// `2027-02-01 Mon` / `Mo 01.02.2027`.
pub fn date_with_weekday(day: NaiveDate) -> String {
    pick(
        day.format("%Y-%m-%d %a").to_string(),
        format!("{} {}", weekday_de(day.weekday()), day.format("%d.%m.%Y")),
    )
}

/// A session's day and start, to tell sessions apart in lists.
pub fn when(day: NaiveDate, start: &str) -> String {
    format!("{} {start}", date_with_weekday(day))
}

/// A day and local start and end.
pub fn span(day: NaiveDate, start: &str, end: &str) -> String {
    pick(
        format!("{} {start}–{end}", date_with_weekday(day)),
        format!("{} {start}–{end} Uhr", date_with_weekday(day)),
    )
}

messages! {
    bad_date(text: &str) {
        en: "'{text}' is not a date (use 01.02.2027 or 2027-02-01)",
        de: "'{text}' ist kein Datum (01.02.2027 oder 2027-02-01)"
    }
    bad_time(text: &str) {
        en: "'{text}' is not a time of day (use 14:30, 14.30 or 14:30 Uhr)",
        de: "'{text}' ist keine Uhrzeit (14:30, 14.30 oder 14:30 Uhr)"
    }
    bad_duration(text: &str) {
        en: "'{text}' is not a duration (like 90m, 12h, 3d)",
        de: "'{text}' ist keine Dauer (etwa 90m, 12h, 3d)"
    }
}

// ---- words ----

/// A content kind (`session`, `location`, ...) as a word.
pub fn entity_kind(kind: &str) -> String {
    let de = match kind {
        "event" => "Veranstaltung",
        "session" => "Programmpunkt",
        "speaker" => "Person",
        "exhibitor" => "Aussteller",
        "location" => "Ort",
        "track" => "Themenreihe",
        "announcement" => "Ankündigung",
        "info_page" => "Infoseite",
        "gallery_item" => "Galeriebild",
        "outbox entry" => "Auftrag",
        "token" => "Token",
        other => other,
    };
    pick(kind.replace('_', " "), de.to_string())
}

pub fn kind_name(kind: FavouriteKind) -> String {
    entity_kind(kind.as_str())
}

pub fn location_kind(kind: LocationKind) -> String {
    let (en, de) = match kind {
        LocationKind::Hall => ("hall", "Halle"),
        LocationKind::Room => ("room", "Raum"),
        LocationKind::Station => ("station", "Station"),
        LocationKind::Booth => ("booth", "Stand"),
        LocationKind::Outdoor => ("outdoors", "im Freien"),
        LocationKind::Other => ("place", "Ort"),
    };
    pick(en.into(), de.into())
}

pub fn format_name(format: Format) -> String {
    let de = match format {
        Format::FrabXml => "eine frab-schedule.xml",
        Format::ScheduleJson => "eine c3voc-schedule.json",
        Format::Schedule2Json => "eine c3voc-schedule.json im schedule2-Aufbau",
        Format::ICalendar => "eine iCalendar-Datei",
        Format::CsvSessions => "eine CSV-Liste von Programmpunkten",
        Format::CsvExhibitors => "eine CSV-Liste von Ausstellern",
        Format::Xlsx => "eine Excel-Arbeitsmappe (XLSX)",
        Format::Ods => "eine OpenDocument-Arbeitsmappe (ODS)",
    };
    pick(format.describe().into(), de.into())
}

pub fn priority_marker(priority: Priority) -> String {
    let (en, de) = match priority {
        Priority::Urgent => ("URGENT", "DRINGEND"),
        Priority::Important => ("Important", "Wichtig"),
        Priority::Normal => ("Note", "Hinweis"),
    };
    pick(en.into(), de.into())
}

pub fn alert_change(change: &str) -> String {
    let de = match change {
        "moved" => "verschoben",
        "relocated" => "anderer Ort",
        "renamed" => "umbenannt",
        "cancelled" => "abgesagt",
        "reinstated" => "findet wieder statt",
        "removed" => "entfallen",
        other => other,
    };
    pick(change.to_string(), de.to_string())
}

pub fn favourite_state(state: &str) -> String {
    let de = match state {
        "removed" => "entfallen",
        "cancelled" => "abgesagt",
        other => other,
    };
    pick(state.to_string(), de.to_string())
}

messages! {
    cancelled() { en: "cancelled", de: "abgesagt" }
    removed() { en: "removed", de: "entfallen" }
    seen() { en: "seen", de: "gesehen" }
    not_seen_yet() { en: "(not seen yet)", de: "(noch nicht gesehen)" }
    note_line(note: &str) { en: "note: {note}", de: "Notiz: {note}" }
}

// ---- device and event ----

pub fn no_device(dir: &Path) -> String {
    let dir = dir.display();
    pick(
        format!(
            "there is no device in {dir}: make one with marktplatz sync --device {dir} --server URL --event ID"
        ),
        format!(
            "in {dir} ist kein Gerät: anlegen mit marktplatz sync --device {dir} --server URL --event ID"
        ),
    )
}

pub fn event_not_on_device(event: &str, held: &[&str]) -> String {
    let held = held.join(", ");
    match (current(), held.is_empty()) {
        (Lang::En, true) => {
            format!("event '{event}' is not on this device: sync it first (marktplatz sync)")
        }
        (Lang::En, false) => format!("event '{event}' is not on this device (it holds: {held})"),
        (Lang::De, true) => format!(
            "die Veranstaltung '{event}' ist nicht auf diesem Gerät: erst synchronisieren (marktplatz sync)"
        ),
        (Lang::De, false) => {
            format!("die Veranstaltung '{event}' ist nicht auf diesem Gerät (vorhanden: {held})")
        }
    }
}

pub fn device_has_several_events(ids: &[&str]) -> String {
    let ids = ids.join(", ");
    pick(
        format!("this device holds several events ({ids}); choose one with --event"),
        format!("auf diesem Gerät sind mehrere Veranstaltungen ({ids}); eine mit --event wählen"),
    )
}

messages! {
    device_has_no_event() {
        en: "this device holds no event yet: sync one first (marktplatz sync)",
        de: "auf diesem Gerät ist noch keine Veranstaltung: erst eine synchronisieren (marktplatz sync)"
    }
    event_has_no_days(event: &str) {
        en: "event '{event}' has no days; pass --day",
        de: "die Veranstaltung '{event}' hat keine Tage; --day angeben"
    }
    store_notice(notice: &str) {
        en: "note: {notice}",
        de: "Hinweis: „{notice}“"
    }
}

// ---- names ----

fn wanted_word(wanted: Wanted) -> String {
    match wanted {
        Wanted::Place => pick("station or room".into(), "Station oder Raum".into()),
        Wanted::Session => pick("session".into(), "Programmpunkt".into()),
    }
}

fn candidate_list(candidates: &[&Candidate]) -> String {
    const SHOWN: usize = 12;
    let mut lines: Vec<String> = candidates
        .iter()
        .take(SHOWN)
        .map(|c| format!("  {}  (id {}, {})", quote(&c.name), c.id, c.detail))
        .collect();
    if candidates.len() > SHOWN {
        lines.push(pick(
            format!("  ... and {} more", candidates.len() - SHOWN),
            format!("  ... und {} weitere", candidates.len() - SHOWN),
        ));
    }
    lines.join("\n")
}

pub fn no_such(wanted: Wanted, typed: &str, candidates: &[Candidate]) -> String {
    let all: Vec<&Candidate> = candidates.iter().collect();
    let what = wanted_word(wanted);
    match wanted {
        Wanted::Place => pick(
            format!(
                "there is no {what} '{typed}'; there are:\n{}",
                candidate_list(&all)
            ),
            format!(
                "{what} '{typed}' gibt es nicht; vorhanden sind:\n{}",
                candidate_list(&all)
            ),
        ),
        Wanted::Session => pick(
            format!(
                "there is no {what} '{typed}' (by id or title); `marktplatz agenda --ids` lists them"
            ),
            format!(
                "den {what} '{typed}' gibt es nicht (weder als id noch als Titel); `marktplatz agenda --ids` zeigt sie"
            ),
        ),
    }
}

pub fn ambiguous(wanted: Wanted, typed: &str, several: &[&Candidate]) -> String {
    let what = wanted_word(wanted);
    pick(
        format!(
            "'{typed}' fits several: which {what}? Give its id or more of its name:\n{}",
            candidate_list(several)
        ),
        format!(
            "'{typed}' passt auf mehrere: welche(r) {what}? Die id oder mehr vom Namen angeben:\n{}",
            candidate_list(several)
        ),
    )
}

// ---- agenda, favourites, alerts ----

pub fn agenda_header(event: &str, day: NaiveDate, n: usize) -> String {
    format!("{event}, {}: {}", date_with_weekday(day), sessions_count(n))
}

pub fn personal_header(event: &str, day: NaiveDate, n: usize, conflicts: usize) -> String {
    pick(
        format!(
            "{event}, {}: {}, {conflicts} in conflict",
            date_with_weekday(day),
            count(n, ("favourite", "favourites"), ("", ""))
        ),
        format!(
            "{event}, {}: {} Favorit{}, {conflicts} im Konflikt",
            date_with_weekday(day),
            n,
            if n == 1 { "" } else { "en" }
        ),
    )
}

pub fn walk(place: &str, gap_minutes: u32, overlap_minutes: u32, tight: bool) -> String {
    let span = match (current(), overlap_minutes) {
        (Lang::En, 0) => format!("{gap_minutes} min"),
        (Lang::En, overlap) => format!("overlaps by {overlap} min"),
        (Lang::De, 0) => format!("{gap_minutes} Min."),
        (Lang::De, overlap) => format!("überschneidet sich um {overlap} Min."),
    };
    match (current(), tight) {
        (_, false) => format!("{place}, {span}"),
        (Lang::En, true) => format!("{place}, {span}, TIGHT"),
        (Lang::De, true) => format!("{place}, {span}, KNAPP"),
    }
}

messages! {
    free_gap(start: &str, end: &str, minutes: i64) {
        en: "free {start}-{end} ({minutes} min)",
        de: "frei {start}-{end} ({minutes} Min.)"
    }
    walk_stay() { en: "stay", de: "bleiben" }
    walk_within_hall() { en: "walk within the hall", de: "in der Halle wechseln" }
    walk_elsewhere() { en: "go elsewhere", de: "woanders hin" }
    walk_unknown() { en: "place unknown", de: "Ort unbekannt" }
    conflict_with(titles: &str) { en: "CONFLICT with {titles}", de: "KONFLIKT mit {titles}" }
    clashes_with(titles: &str) { en: "CLASHES with my {titles}", de: "KOLLIDIERT mit meinem {titles}" }
}

pub fn fav_added(added: bool, kind: FavouriteKind, title: &str) -> String {
    let kind = kind_name(kind);
    match (current(), added) {
        (Lang::En, true) => format!("added {kind} {title}"),
        (Lang::En, false) => format!("already a favourite: {kind} {title}"),
        (Lang::De, true) => format!("{kind} {title} ist jetzt ein Favorit"),
        (Lang::De, false) => format!("{kind} {title} ist schon ein Favorit"),
    }
}

pub fn fav_removed(kind: FavouriteKind, title: &str) -> String {
    let kind = kind_name(kind);
    pick(
        format!("removed {kind} {title}"),
        format!("{kind} {title} ist kein Favorit mehr"),
    )
}

pub fn fav_note(saved: bool, kind: FavouriteKind, title: &str) -> String {
    let kind = kind_name(kind);
    match (current(), saved) {
        (Lang::En, true) => format!("note saved for {kind} {title}"),
        (Lang::En, false) => format!("note cleared for {kind} {title}"),
        (Lang::De, true) => format!("Notiz zu {kind} {title} gespeichert"),
        (Lang::De, false) => format!("Notiz zu {kind} {title} gelöscht"),
    }
}

pub fn favourites_header(event: &str, n: usize) -> String {
    pick(
        format!(
            "{event}: {}",
            count(n, ("favourite", "favourites"), ("", ""))
        ),
        format!("{event}: {n} Favorit{}", if n == 1 { "" } else { "en" }),
    )
}

pub fn several_kinds(id: &str, kinds: &[&str]) -> String {
    let kinds: Vec<String> = kinds.iter().map(|k| entity_kind(k)).collect();
    pick(
        format!(
            "'{id}' names a {}; choose one with --kind",
            kinds.join(" and a ")
        ),
        format!(
            "'{id}' bezeichnet mehreres ({}); eines mit --kind wählen",
            kinds.join(", ")
        ),
    )
}

pub fn shared_header(event: &str, n: usize) -> String {
    pick(
        format!("{event}: {} shared", sessions_count(n)),
        format!("{event}: {} geteilt", sessions_count(n)),
    )
}

pub fn shared_footer(speakers: usize, exhibitors: usize, unresolved: usize) -> String {
    pick(
        format!(
            "{}, {}; {unresolved} not found on this device",
            count(speakers, ("speaker", "speakers"), ("", "")),
            count(exhibitors, ("exhibitor", "exhibitors"), ("", ""))
        ),
        format!(
            "{speakers} Personen, {exhibitors} Aussteller; {unresolved} nicht auf diesem Gerät gefunden"
        ),
    )
}

pub fn added_favourites(n: usize) -> String {
    pick(
        format!("added {}", count(n, ("favourite", "favourites"), ("", ""))),
        format!("{n} Favorit{} hinzugefügt", if n == 1 { "" } else { "en" }),
    )
}

messages! {
    not_a_favourite(id: &str, event: &str) {
        en: "'{id}' is not a favourite in event '{event}'",
        de: "'{id}' ist in der Veranstaltung '{event}' kein Favorit"
    }
    nothing_to_favourite(id: &str, event: &str) {
        en: "there is no session, speaker or exhibitor '{id}' in event '{event}' (`marktplatz agenda --ids` lists session ids)",
        de: "in der Veranstaltung '{event}' gibt es keinen Programmpunkt, keine Person und keinen Aussteller '{id}' (`marktplatz agenda --ids` zeigt die ids)"
    }
    bad_kind(text: &str) {
        en: "--kind {text}: use session, speaker or exhibitor",
        de: "--kind {text}: session, speaker oder exhibitor angeben"
    }
    code_for_other_event(code_event: &str, event: &str) {
        en: "this code is for event '{code_event}', not '{event}'",
        de: "dieser Code gehört zur Veranstaltung '{code_event}', nicht zu '{event}'"
    }
    share_code_unreadable(reason: &str) {
        en: "{reason}",
        de: "der Code ist nicht lesbar (vertippt oder unvollständig?)"
    }
    share_code_other_event() {
        en: "this share code is for an event this device does not hold: sync that event first",
        de: "dieser Code gehört zu einer Veranstaltung, die nicht auf diesem Gerät ist: diese erst synchronisieren"
    }
}

pub fn alerts_header(event: &str, n: usize) -> String {
    format!(
        "{event}: {}",
        count(n, ("alert", "alerts"), ("Änderung", "Änderungen"))
    )
}

pub fn marked_seen(n: usize) -> String {
    pick(
        format!("marked {n} seen"),
        format!(
            "{} als gesehen markiert",
            count(n, ("", ""), ("Änderung", "Änderungen"))
        ),
    )
}

messages! {
    was(text: &str) { en: "was: {text}", de: "vorher: {text}" }
    now_is(text: &str) { en: "now: {text}", de: "jetzt:  {text}" }
    removed_from_programme() { en: "removed from the programme", de: "aus dem Programm genommen" }
}

// ---- search ----

messages! {
    no_hits() { en: "no hits", de: "keine Treffer" }
}

pub fn bad_search_kind(name: &str, kinds: &[&str]) -> String {
    let kinds = kinds.join(", ");
    pick(
        format!("--kind {name}: not a searched kind (use one of: {kinds})"),
        format!("--kind {name}: danach wird nicht gesucht (eines von: {kinds})"),
    )
}

// ---- sync ----

pub fn sync_progress(percent: f64, entities: u64, kib: u64) -> String {
    pick(
        format!("content {percent:>3.0}%  {entities} entities  {kib} KiB"),
        format!("Inhalte {percent:>3.0}%  {entities} Einträge  {kib} KiB"),
    )
}

pub fn synced(event: &str, seq: u64, epoch: &str, pages: u32, bytes: u64, rebuilt: bool) -> String {
    let (en_rebuilt, de_rebuilt) = if rebuilt {
        ("; content re-bootstrapped", "; Inhalte neu geladen")
    } else {
        ("", "")
    };
    pick(
        format!(
            "{event}: now at seq {seq} of epoch {epoch}; {pages} page(s), {bytes} bytes{en_rebuilt}"
        ),
        format!(
            "{event}: jetzt bei Stand {seq} (Epoche {epoch}); {pages} Seite(n), {bytes} Bytes{de_rebuilt}"
        ),
    )
}

messages! {
    up_to_date(event: &str, seq: u64) {
        en: "{event}: up to date (seq {seq})",
        de: "{event}: aktuell (Stand {seq})"
    }
    kind_changes(kind: &str, added: u32, updated: u32, removed: u32) {
        en: "{kind}: {added} added, {updated} updated, {removed} removed",
        de: "{kind}: {added} neu, {updated} geändert, {removed} entfernt"
    }
    assets_fetched(done: u32, wanted: u32) {
        en: "assets: {done} of {wanted} fetched",
        de: "Bilder: {done} von {wanted} geladen"
    }
    asset_failed(sha: &str, error: &str) {
        en: "asset {sha} not fetched: {error}",
        de: "Bild {sha} nicht geladen: „{error}“"
    }
    sync_budget_spent(pages: u32, bytes: u64) {
        en: "stopped at this sync's budget ({pages} page(s), {bytes} bytes); the next sync goes on from here",
        de: "beim Budget dieser Synchronisierung angehalten ({pages} Seite(n), {bytes} Bytes); die nächste macht hier weiter"
    }
    page_stepped_past(since: u64, next: u64) {
        en: "a page too large to take was stepped past: the changes after seq {since} up to {next} are missing on this device",
        de: "eine zu große Seite wurde übersprungen: die Änderungen nach Stand {since} bis {next} fehlen auf diesem Gerät"
    }
    push_before_pull_failed(error: &str) {
        en: "queued operations were not sent: {error}",
        de: "Aufträge im Postausgang wurden nicht gesendet: „{error}“"
    }
    following(event: &str, server: &str) {
        en: "following {event} on {server}; Ctrl-C ends",
        de: "{event} auf {server} wird verfolgt; Strg-C beendet"
    }
    follow_paused(seconds: u64, error: &str) {
        en: "following paused for {seconds} s: {error}",
        de: "Verfolgen für {seconds} s unterbrochen: „{error}“"
    }
}

// ---- organiser ----

messages! {
    logged_in(event: &str, server: &str) {
        en: "organiser mode for {event} on {server} (token checked with the server)",
        de: "Veranstalter-Modus für {event} auf {server} (Token vom Server bestätigt)"
    }
    logged_out(event: &str) {
        en: "left organiser mode for {event}",
        de: "Veranstalter-Modus für {event} beendet"
    }
    organiser_status(event: &str, server: &str, token_id: &str) {
        en: "organiser of {event} on {server} (token {token_id})",
        de: "Veranstalter von {event} auf {server} (Token {token_id})"
    }
    not_organiser(event: &str) {
        en: "not an organiser of {event} on this device",
        de: "auf diesem Gerät kein Veranstalter von {event}"
    }
    token_missing() {
        en: "give the token with MARKTPLATZ_TOKEN, --token-file FILE or --token TOKEN",
        de: "das Token mit MARKTPLATZ_TOKEN, --token-file DATEI oder --token TOKEN angeben"
    }
    token_refused(event: &str, code: &str) {
        en: "the server refused the token for {event} ({code}): it is unknown, revoked, expired or not an organiser token of this event; nothing was stored",
        de: "der Server lehnt das Token für {event} ab ({code}): unbekannt, widerrufen, abgelaufen oder kein Veranstalter-Token dieser Veranstaltung; nichts wurde gespeichert"
    }
    token_check_offline(reason: &str) {
        en: "the token could not be checked: {reason}. Nothing was stored; try again when the server is reachable, or pass --unchecked to keep it unchecked",
        de: "das Token konnte nicht geprüft werden: {reason}. Nichts wurde gespeichert; erneut versuchen, wenn der Server erreichbar ist, oder mit --unchecked ungeprüft speichern"
    }
    token_not_checked(reason: &str) {
        en: "note: the token was not checked ({reason}); it is kept and checked on the first push",
        de: "Hinweis: das Token wurde nicht geprüft ({reason}); es wird gespeichert und beim ersten Senden geprüft"
    }
    token_check_unexpected() {
        en: "the server answered the token check in a way this version does not know",
        de: "der Server beantwortet die Token-Prüfung auf eine Weise, die diese Version nicht kennt"
    }
    not_logged_in(event: &str) {
        en: "queued, but this device is not in organiser mode for {event}: log in (marktplatz organiser login), then marktplatz push",
        de: "gespeichert, aber dieses Gerät ist nicht im Veranstalter-Modus für {event}: anmelden (marktplatz organiser login), dann marktplatz push"
    }
}

// ---- operations ----

pub fn op_state(state: OpState) -> String {
    let (en, de) = match state {
        OpState::Pending => ("pending", "wartet"),
        OpState::InFlight => ("in flight", "unterwegs"),
        OpState::Accepted => ("accepted", "angenommen"),
        OpState::Rejected => ("rejected", "abgelehnt"),
        OpState::Done => ("done", "erledigt"),
        OpState::Overridden => ("overridden", "überschrieben"),
    };
    pick(en.into(), de.into())
}

/// After an overridden operation's state: the release that undid it.
pub fn op_overridden_by(release: u64) -> String {
    pick(
        format!(" by release {release} (a later publish changed it back)"),
        format!(
            " durch Veröffentlichung {release} (eine spätere Veröffentlichung hat es zurückgeändert)"
        ),
    )
}

pub fn pushed(accepted: u32, replayed: u32, rejected: u32, waiting: u32) -> String {
    pick(
        format!(
            "sent: {accepted} accepted ({replayed} already applied before), {rejected} rejected, {waiting} waiting"
        ),
        format!(
            "gesendet: {accepted} angenommen ({replayed} davon schon vorher), {rejected} abgelehnt, {waiting} warten"
        ),
    )
}

pub fn op_move(session: &str, place: &str) -> String {
    pick(
        format!("move {session} to {place}"),
        format!("{session} nach {place} verlegen"),
    )
}

pub fn op_retime(session: &str, span: &str) -> String {
    pick(
        format!("retime {session} to {span}"),
        format!("{session} auf {span} verschieben"),
    )
}

messages! {
    queued(id: i64, what: &str) { en: "queued #{id}: {what}", de: "gespeichert als #{id}: {what}" }
    op_announce(title: &str) { en: "announce \"{title}\"", de: "„{title}“ ankündigen" }
    op_announcement_edit(title: &str) { en: "edit the announcement {title}", de: "Ankündigung {title} ändern" }
    op_announcement_retract(title: &str) { en: "retract the announcement {title}", de: "Ankündigung {title} zurückziehen" }
    op_session_edit(title: &str) { en: "edit {title}", de: "{title} bearbeiten" }
    op_cancel(title: &str) { en: "cancel {title}", de: "{title} absagen" }
    op_reinstate(title: &str) { en: "reinstate {title}", de: "{title} wieder ansetzen" }
    op_exhibitor_edit(title: &str) { en: "edit the exhibitor {title}", de: "Aussteller {title} ändern" }
    op_station_edit(title: &str) { en: "edit the station {title}", de: "Station {title} ändern" }
    op_photo_add(caption: &str) { en: "add the photo \"{caption}\"", de: "Foto „{caption}“ hinzufügen" }
    op_info_add(title: &str) { en: "add the info page \"{title}\"", de: "Infoseite „{title}“ hinzufügen" }
    op_info_edit(title: &str) { en: "edit the info page {title}", de: "Infoseite {title} ändern" }
    op_info_remove(title: &str) { en: "remove the info page {title}", de: "Infoseite {title} entfernen" }
    op_venue_map() { en: "set the hall plan", de: "Hallenplan festlegen" }
    op_photo_edit(title: &str) { en: "edit the photo {title}", de: "Foto {title} ändern" }
    op_photo_remove(title: &str) { en: "remove the photo {title}", de: "Foto {title} entfernen" }
    op_version(seq: u64) { en: " (version {seq})", de: " (Version {seq})" }
    op_last_try(error: &str) { en: " (last try: {error})", de: " (letzter Versuch: „{error}“)" }
    server_has_version(seq: u64) { en: "; the server has version {seq}", de: "; der Server hat Version {seq}" }
    op_rejected(id: i64, reason: &str) {
        en: "#{id} was rejected: {reason} (marktplatz outbox --retry {id} sends it again, --dismiss {id} drops it)",
        de: "#{id} wurde abgelehnt: {reason} (marktplatz outbox --retry {id} sendet erneut, --dismiss {id} verwirft)"
    }
    op_waiting_offline(id: i64, reason: &str) {
        en: "#{id} is queued but not sent: the server could not be reached ({reason}); marktplatz push sends it later",
        de: "#{id} ist gespeichert, aber nicht gesendet: der Server war nicht erreichbar ({reason}); marktplatz push sendet später"
    }
    op_waiting_token(id: i64, reason: &str) {
        en: "#{id} is queued but not sent: the server refused the token ({reason}); log in with a new token, nothing is lost",
        de: "#{id} ist gespeichert, aber nicht gesendet: der Server lehnt das Token ab ({reason}); mit neuem Token anmelden, nichts geht verloren"
    }
    push_stopped_offline(reason: &str) {
        en: "stopped: server not reachable ({reason}); nothing is lost, marktplatz push tries again",
        de: "angehalten: Server nicht erreichbar ({reason}); nichts geht verloren, marktplatz push versucht es erneut"
    }
    push_stopped_token(reason: &str) {
        en: "stopped: the server refused the token ({reason}); nothing is lost: log in with a new token",
        de: "angehalten: der Server lehnt das Token ab ({reason}); nichts geht verloren: mit neuem Token anmelden"
    }
    some_rejected(n: u32) {
        en: "{n} operation(s) rejected by the server (marktplatz outbox shows why)",
        de: "{n} Auftrag/Aufträge vom Server abgelehnt (marktplatz outbox zeigt den Grund)"
    }
    dismissed(id: i64) { en: "removed #{id}", de: "#{id} entfernt" }
    queued_again(id: i64) { en: "queued again as #{id}", de: "erneut gespeichert als #{id}" }
    outbox_empty(event: &str) { en: "the outbox of {event} is empty", de: "der Postausgang von {event} ist leer" }
    ends_before_start(title: &str, start: &str, end: &str) {
        en: "\"{title}\" would end at {end}, before it starts at {start} (local time)",
        de: "„{title}“ würde um {end} Uhr enden, vor dem Beginn um {start} Uhr (Ortszeit)"
    }
    bad_priority(text: &str) {
        en: "unknown priority '{text}' (normal, important, urgent)",
        de: "unbekannte Priorität '{text}' (normal, important, urgent)"
    }
}

// ---- server side: tokens, access codes, serve, publish ----

pub fn revoked(was_active: bool) -> String {
    match (current(), was_active) {
        (Lang::En, true) => "revoked".into(),
        (Lang::En, false) => "was already revoked".into(),
        (Lang::De, true) => "widerrufen".into(),
        (Lang::De, false) => "war schon widerrufen".into(),
    }
}

pub fn access_code_set(event: &str, has_code: bool, had_code: bool) -> String {
    match (current(), has_code, had_code) {
        (Lang::En, true, false) => format!("event '{event}' is now read only with its access code"),
        (Lang::En, true, true) => {
            format!("event '{event}' has a new access code; the old one no longer works")
        }
        (Lang::En, false, true) => format!("event '{event}' is public again"),
        (Lang::En, false, false) => format!("event '{event}' was public already"),
        (Lang::De, true, false) => {
            format!("die Veranstaltung '{event}' ist jetzt nur mit Zugangscode lesbar")
        }
        (Lang::De, true, true) => format!(
            "die Veranstaltung '{event}' hat einen neuen Zugangscode; der alte gilt nicht mehr"
        ),
        (Lang::De, false, true) => format!("die Veranstaltung '{event}' ist wieder öffentlich"),
        (Lang::De, false, false) => format!("die Veranstaltung '{event}' war schon öffentlich"),
    }
}

pub fn published(event: &str, o: &PublishOutcome) -> String {
    let thumbs = match (current(), o.thumbnails_made) {
        (_, 0) => String::new(),
        (Lang::En, n) => format!("; {n} thumbnails made"),
        (Lang::De, n) => format!("; {n} Vorschaubilder erzeugt"),
    };
    pick(
        format!(
            "published {event}: {} added, {} updated, {} removed, {} unchanged; head {} (epoch {}){thumbs}",
            o.added, o.updated, o.removed, o.unchanged, o.seq, o.epoch
        ),
        format!(
            "{event} veröffentlicht: {} neu, {} geändert, {} entfernt, {} unverändert; Stand {} (Epoche {}){thumbs}",
            o.added, o.updated, o.removed, o.unchanged, o.seq, o.epoch
        ),
    )
}

/// After matching a file without ids to the source's previous publication (ADR 0015).
pub fn kept_identity(
    source: &str,
    made_up: usize,
    same: usize,
    typos: usize,
    moves: usize,
) -> String {
    pick(
        format!(
            "{made_up} sessions and exhibitors without ids in the file, matched to what source {source} published last: {same} by name, {typos} with a fixed typo, {moves} moved; the rest are new"
        ),
        format!(
            "{made_up} Programmpunkte und Aussteller ohne ID in der Datei, zugeordnet zu dem, was die Quelle {source} zuletzt veröffentlicht hat: {same} nach Namen, {typos} mit korrigiertem Tippfehler, {moves} verschoben; die übrigen sind neu"
        ),
    )
}

pub fn imported(file: &Path, format: &str, sessions: usize, warnings: usize) -> String {
    let file = file.display();
    pick(
        format!(
            "imported {file} as {format}: {}, {warnings} warnings (marktplatz import-check lists them)",
            sessions_count(sessions)
        ),
        format!(
            "{file} als {format} gelesen: {}, {warnings} Warnungen (marktplatz import-check zeigt sie)",
            sessions_count(sessions)
        ),
    )
}

/// A dry run: the counts, then what it would do entity by entity and field by field.
pub fn previewed(event: &str, source: &str, p: &Preview) -> String {
    let o = &p.outcome;
    let mut text = pick(
        format!(
            "dry run, nothing stored: publishing {source} to {event} would add {}, update {}, remove {}, leave {} unchanged",
            o.added, o.updated, o.removed, o.unchanged
        ),
        format!(
            "Probelauf, nichts gespeichert: {source} auf {event} veröffentlichen fügte {} hinzu, änderte {}, entfernte {}, ließe {} unverändert",
            o.added, o.updated, o.removed, o.unchanged
        ),
    );
    text.push_str(&preview_details(p));
    text
}

/// A preview's lines after its summary: one per entity (`+ session a`, `~ session b`, then
/// `    title: "Alt" → "Neu"` per field, `- session c`), the phone edits it keeps and
/// overrides, warnings and what needs `--yes`.
fn preview_details(p: &Preview) -> String {
    let mut text = String::new();
    let mut line = |s: String| {
        text.push('\n');
        text.push_str(&s);
    };
    for entity in &p.added {
        line(format!("+ {} {}", entity_kind(&entity.kind), entity.id));
    }
    for change in &p.updated {
        line(format!("~ {} {}", entity_kind(&change.kind), change.id));
        for field in &change.fields {
            line(format!(
                "    {}: {} → {}",
                field.field,
                json_value(field.old.as_ref()),
                json_value(field.new.as_ref())
            ));
        }
    }
    for entity in &p.removed {
        line(format!("- {} {}", entity_kind(&entity.kind), entity.id));
    }
    for edit in &p.kept {
        line(pick(
            format!(
                "kept: {} {} {} stays {} (changed since the last publish; the file did not change it)",
                entity_kind(&edit.kind),
                edit.id,
                edit.field,
                json_value(edit.edit.as_ref())
            ),
            format!(
                "behalten: {} {} {} bleibt {} (seit der letzten Veröffentlichung geändert; die Datei hat es nicht geändert)",
                entity_kind(&edit.kind),
                edit.id,
                edit.field,
                json_value(edit.edit.as_ref())
            ),
        ));
    }
    for edit in &p.overridden {
        line(pick(
            format!(
                "overrides: {} {} {} was changed to {} since the last publish; the file sets {}",
                entity_kind(&edit.kind),
                edit.id,
                edit.field,
                json_value(edit.edit.as_ref()),
                json_value(edit.file.as_ref())
            ),
            format!(
                "überschreibt: {} {} {} wurde seit der letzten Veröffentlichung auf {} geändert; die Datei setzt {}",
                entity_kind(&edit.kind),
                edit.id,
                edit.field,
                json_value(edit.edit.as_ref()),
                json_value(edit.file.as_ref())
            ),
        ));
    }
    for warning in &p.warnings {
        line(pick(
            format!(
                "warning: {} {} is no longer in this file, but another source names it: it stays",
                entity_kind(&warning.kind),
                warning.id
            ),
            format!(
                "Hinweis: {} {} steht nicht mehr in dieser Datei, aber eine andere Quelle nennt es: es bleibt",
                entity_kind(&warning.kind),
                warning.id
            ),
        ));
    }
    for refusal in &p.refusals {
        line(match refusal.code.as_str() {
            REFUSAL_REMOVES_MOST_SESSIONS => pick(
                format!(
                    "needs --yes: it would remove {} of the {} sessions this source published last (the wrong file?)",
                    refusal.removed, refusal.of
                ),
                format!(
                    "braucht --yes: entfernte {} der {} Programmpunkte, die diese Quelle zuletzt veröffentlicht hat (die falsche Datei?)",
                    refusal.removed, refusal.of
                ),
            ),
            REFUSAL_CHANGES_DAYS => pick(
                "needs --yes: it would change the event's days".into(),
                "braucht --yes: änderte die Tage der Veranstaltung".into(),
            ),
            _ => pick(
                format!("needs --yes: {}", refusal.message),
                format!("braucht --yes: „{}“", refusal.message),
            ),
        });
    }
    text
}

/// A field's JSON value on one line, at most 80 characters (`—` when absent).
fn json_value(value: Option<&serde_json::Value>) -> String {
    let Some(value) = value else {
        return "—".into();
    };
    let text = value.to_string();
    if text.chars().count() <= 80 {
        return text;
    }
    let mut short: String = text.chars().take(79).collect();
    short.push('…');
    short
}

/// A publish the server refused for want of `--yes`: what it would do, and how to confirm.
pub fn needs_confirmation(event: &str, source: &str, p: &Preview) -> String {
    let mut text = pick(
        format!(
            "not published: publishing {source} to {event} needs --yes (nothing stored); it would add {}, update {}, remove {}",
            p.outcome.added, p.outcome.updated, p.outcome.removed
        ),
        format!(
            "nicht veröffentlicht: {source} auf {event} veröffentlichen braucht --yes (nichts gespeichert); es fügte {} hinzu, änderte {}, entfernte {}",
            p.outcome.added, p.outcome.updated, p.outcome.removed
        ),
    );
    text.push_str(&preview_details(p));
    text
}

pub fn revert_previewed(event: &str, release: u64, p: &Preview) -> String {
    let o = &p.outcome;
    let mut text = pick(
        format!(
            "dry run, nothing stored: reverting {event} to release {release} would add {}, update {}, remove {}, leave {} unchanged",
            o.added, o.updated, o.removed, o.unchanged
        ),
        format!(
            "Probelauf, nichts gespeichert: {event} auf Veröffentlichung {release} zurücksetzen fügte {} hinzu, änderte {}, entfernte {}, ließe {} unverändert",
            o.added, o.updated, o.removed, o.unchanged
        ),
    );
    text.push_str(&preview_details(p));
    text
}

pub fn revert_needs_confirmation(event: &str, release: u64, p: &Preview) -> String {
    let mut text = pick(
        format!(
            "not reverted: reverting {event} to release {release} needs --yes (nothing stored)"
        ),
        format!(
            "nicht zurückgesetzt: {event} auf Veröffentlichung {release} zurücksetzen braucht --yes (nichts gespeichert)"
        ),
    );
    text.push_str(&preview_details(p));
    text
}

pub fn reverted(event: &str, release: u64, o: &PublishOutcome) -> String {
    pick(
        format!(
            "reverted {event} to release {release}: {} added, {} updated, {} removed, {} unchanged; head {} (epoch {})",
            o.added, o.updated, o.removed, o.unchanged, o.seq, o.epoch
        ),
        format!(
            "{event} auf Veröffentlichung {release} zurückgesetzt: {} neu, {} geändert, {} entfernt, {} unverändert; Stand {} (Epoche {})",
            o.added, o.updated, o.removed, o.unchanged, o.seq, o.epoch
        ),
    )
}

pub fn no_releases(event: &str) -> String {
    pick(
        format!("{event} has no releases yet"),
        format!("{event} hat noch keine Veröffentlichungen"),
    )
}

/// One release: `#3 2027-05-04 09:12 UTC anna programme: 2 added, 1 updated, 0 removed — note`.
pub fn release_line(r: &marktplatz_model::source::Release) -> String {
    let when = chrono::DateTime::from_timestamp(r.published_at, 0)
        .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_else(|| r.published_at.to_string());
    let note = if r.note.is_empty() {
        String::new()
    } else {
        format!(" — {}", r.note)
    };
    pick(
        format!(
            "#{} {when} {} {}: {} added, {} updated, {} removed, {} unchanged{note}",
            r.number, r.subject, r.source, r.added, r.updated, r.removed, r.unchanged
        ),
        format!(
            "#{} {when} {} {}: {} neu, {} geändert, {} entfernt, {} unverändert{note}",
            r.number, r.subject, r.source, r.added, r.updated, r.removed, r.unchanged
        ),
    )
}

pub fn bad_source(name: &str) -> String {
    pick(
        format!("'{name}' is not a source name (1 to 64 letters, digits, '.', '_' or '-')"),
        format!("'{name}' ist kein Quellenname (1 bis 64 Buchstaben, Ziffern, '.', '_' oder '-')"),
    )
}

pub fn bundle_of_other_event(file: &Path, found: &str, wanted: &str) -> String {
    let file = file.display();
    pick(
        format!("{file} is a bundle of event '{found}', not '{wanted}'"),
        format!("{file} gehört zur Veranstaltung '{found}', nicht zu '{wanted}'"),
    )
}

pub fn data_dir_in_use(data: &Path) -> String {
    let data = data.display();
    pick(
        format!(
            "another marktplatz serve is using {data} (it holds {data}/serve.lock); stop it first or choose another --data"
        ),
        format!(
            "ein anderes marktplatz serve benutzt {data} (es hält {data}/serve.lock); erst beenden oder ein anderes --data wählen"
        ),
    )
}

pub fn token_issued(id: &str, role: &str, revoke: &str) -> String {
    pick(
        format!("token id {id} ({role}); revoke with: {revoke}"),
        format!("Token-id {id} ({role}); widerrufen mit: {revoke}"),
    )
}

messages! {
    console_link_issued(event: &str, minutes: i64) {
        en: "one-time sign-in link to the organiser console of '{event}' (valid {minutes} minutes, works once):",
        de: "Einmal-Anmeldelink zur Veranstalterkonsole von „{event}“ ({minutes} Minuten gültig, nur einmal benutzbar):"
    }
    console_link_needs_organiser() {
        en: "--link signs an organiser in to the console: use it with --role organiser and --event",
        de: "--link meldet Veranstalter in der Konsole an: nur mit --role organiser und --event"
    }
    console_link_bad_base(base: &str) {
        en: "'{base}' is not a base URL (like https://marktplatz.example.org)",
        de: "„{base}“ ist keine Basisadresse (etwa https://marktplatz.example.org)"
    }
    qr_bad_event(event: &str) {
        en: "'{event}' is not an event id (letters, digits, '-', '_', '.')",
        de: "„{event}“ ist keine Veranstaltungs-id (Buchstaben, Ziffern, '-', '_', '.')"
    }
    qr_written(path: &str) {
        en: "QR code written to {path}",
        de: "QR-Code gespeichert in {path}"
    }
    token_needs_event(role: &str) {
        en: "a {role} token needs --event",
        de: "ein {role}-Token braucht --event"
    }
    data_required() {
        en: "--data DIR is required (the server's data directory)",
        de: "--data ORDNER fehlt (der Datenordner des Servers)"
    }
    token_revoked() { en: "revoked", de: "widerrufen" }
    token_expired() { en: "expired", de: "abgelaufen" }
    token_active() { en: "active", de: "gültig" }
    token_until(at: &str) { en: "until {at}", de: "bis {at}" }
    demo_published(seq: u64, added: u64, updated: u64, removed: u64) {
        en: "demo event egov-marktplatz-nordwest-2027 published: head {seq} ({added} added, {updated} updated, {removed} removed)",
        de: "Demo-Veranstaltung egov-marktplatz-nordwest-2027 veröffentlicht: Stand {seq} ({added} neu, {updated} geändert, {removed} entfernt)"
    }
    serve_hint() {
        en: "(Ctrl-C or SIGTERM stops it, finishing requests in flight)",
        de: "(Strg-C oder SIGTERM beendet ihn; laufende Anfragen werden fertig bearbeitet)"
    }
    serve_stopping() {
        en: "stopping: finishing requests in flight",
        de: "wird beendet: laufende Anfragen werden fertig bearbeitet"
    }
    epoch_rotated(event: &str, epoch: &str) {
        en: "event '{event}': new epoch {epoch} (devices start over at their next sync)",
        de: "Veranstaltung „{event}“: neue Epoche {epoch} (Geräte beginnen bei der nächsten Synchronisierung neu)"
    }
    no_events_to_rotate() {
        en: "no events on this server: nothing to rotate",
        de: "keine Veranstaltungen auf diesem Server: nichts zu tun"
    }
    backup_failed(reason: &str) {
        en: "backup failed: {reason}",
        de: "die Sicherung ist fehlgeschlagen: „{reason}“"
    }
    server_start_failed(reason: &str) {
        en: "the server failed: {reason}",
        de: "der Server ist ausgefallen: „{reason}“"
    }
    unusable_answer(reason: &str) {
        en: "the server's answer could not be read: {reason}",
        de: "die Antwort des Servers ist nicht lesbar: „{reason}“"
    }
    bad_shell(text: &str) {
        en: "'{text}' is not a shell this can complete for (bash, zsh, fish)",
        de: "für '{text}' gibt es keine Vervollständigung (bash, zsh, fish)"
    }
    man_failed(reason: &str) {
        en: "the manual page could not be made: {reason}",
        de: "die Handbuchseite konnte nicht erzeugt werden: „{reason}“"
    }
    man_no_such_command(path: &str) {
        en: "'{path}' is not a marktplatz command (marktplatz --help lists them)",
        de: "„{path}“ ist kein marktplatz-Befehl (marktplatz --help zeigt sie)"
    }
}

// ---- import-check ----

pub fn import_counts(
    sessions: usize,
    locations: usize,
    tracks: usize,
    speakers: usize,
    exhibitors: usize,
) -> String {
    pick(
        format!(
            "{}, {}, {}, {}, {}\n",
            sessions_count(sessions),
            count(locations, ("location", "locations"), ("", "")),
            count(tracks, ("track", "tracks"), ("", "")),
            count(speakers, ("speaker", "speakers"), ("", "")),
            count(exhibitors, ("exhibitor", "exhibitors"), ("", "")),
        ),
        format!(
            "{}, {locations} Orte, {tracks} Themenreihen, {speakers} Personen, {exhibitors} Aussteller\n",
            sessions_count(sessions)
        ),
    )
}

pub fn import_days(n: usize) -> String {
    format!("{}:\n", count(n, ("day", "days"), ("Tag", "Tage")))
}

pub fn warnings_header(n: usize) -> String {
    pick(
        format!("{}:\n", count(n, ("warning", "warnings"), ("", ""))),
        format!("{n} Warnung{}:\n", if n == 1 { "" } else { "en" }),
    )
}

messages! {
    import_zone(zone: &str, hour: u8) {
        en: "timezone {zone}, day change at {hour:02}:00\n",
        de: "Zeitzone {zone}, Tageswechsel um {hour:02}:00 Uhr\n"
    }
    no_warnings() { en: "no warnings\n", de: "keine Warnungen\n" }
    more_warnings(n: usize) {
        en: "  ... and {n} more (--json lists all)\n",
        de: "  ... und {n} weitere (--json zeigt alle)\n"
    }
    nothing_published() {
        en: "nothing was published (import-check only reads)\n",
        de: "nichts wurde veröffentlicht (import-check liest nur)\n"
    }
}

pub fn bad_format(text: &str, names: &[&str]) -> String {
    let names = names.join(", ");
    pick(
        format!("unknown format '{text}'; use one of {names}"),
        format!("unbekanntes Format '{text}'; eines von {names}"),
    )
}

// ---- files ----

pub fn reading(path: &Path) -> String {
    pick(
        format!("cannot read {}", path.display()),
        format!("{} ist nicht lesbar", path.display()),
    )
}

pub fn writing(path: &Path) -> String {
    pick(
        format!("cannot write {}", path.display()),
        format!("{} kann nicht geschrieben werden", path.display()),
    )
}

pub fn creating(path: &Path) -> String {
    pick(
        format!("cannot create {}", path.display()),
        format!("{} kann nicht angelegt werden", path.display()),
    )
}

pub fn not_a_data_dir(path: &Path) -> String {
    pick(
        format!(
            "{} is not a marktplatz data directory: it has no {} (or give --database)",
            path.display(),
            marktplatz_server::store::DB_FILE
        ),
        format!(
            "{} ist kein Datenordner von marktplatz: {} fehlt (oder --database angeben)",
            path.display(),
            marktplatz_server::store::DB_FILE
        ),
    )
}

pub fn locking(path: &Path) -> String {
    pick(
        format!("cannot lock {}", path.display()),
        format!("{} kann nicht gesperrt werden", path.display()),
    )
}

pub fn not_utf8(path: &Path) -> String {
    pick(
        format!("{}: the bundle is not UTF-8", path.display()),
        format!("{}: das Bundle ist kein UTF-8", path.display()),
    )
}

/// What `marktplatz backup` copied (sizes in MiB with one decimal, a comma in German).
pub fn backed_up(dest: &Path, db_bytes: u64, steps: u64, assets: u64, asset_bytes: u64) -> String {
    let mib = |bytes: u64| format!("{:.1}", bytes as f64 / (1024.0 * 1024.0));
    let (db, files) = (mib(db_bytes), mib(asset_bytes));
    let dest = dest.display();
    pick(
        format!(
            "backed up to {dest}: the database ({db} MiB, backup steps: {steps}, integrity ok) and {assets} assets ({files} MiB, each checked against its hash)"
        ),
        format!(
            "gesichert nach {dest}: die Datenbank ({} MiB, Sicherungsschritte: {steps}, Integrität in Ordnung) und {assets} Dateien ({} MiB, jede gegen ihren Hash geprüft)",
            db.replace('.', ","),
            files.replace('.', ",")
        ),
    )
}

pub fn file_too_large(path: &Path, size: u64, limit: usize) -> String {
    let (mib, limit_mib) = (size / (1024 * 1024), limit / (1024 * 1024));
    pick(
        format!(
            "{}: the file is {mib} MiB; at most {limit_mib} MiB are read",
            path.display()
        ),
        format!(
            "{}: die Datei hat {mib} MiB; gelesen werden höchstens {limit_mib} MiB",
            path.display()
        ),
    )
}

messages! {
    io_context() { en: "input/output", de: "Ein-/Ausgabe" }
    json_failed(reason: &str) { en: "JSON output failed: {reason}", de: "JSON-Ausgabe fehlgeschlagen: „{reason}“" }
}

// ---- the demo ----

messages! {
    demo_server(url: &str, title: &str, entities: u64, images: usize, ms: u128) {
        en: "Server: {url} publishes \"{title}\" ({entities} entities, {images} images, {ms} ms to generate and publish)",
        de: "Server: {url} veröffentlicht „{title}“ ({entities} Einträge, {images} Bilder, {ms} ms für Erzeugen und Veröffentlichen)"
    }
    demo_first_sync(what: &str) { en: "Attendee's phone: first sync {what}", de: "Telefon der Besucherin: erste Synchronisation {what}" }
    demo_next_sync(what: &str) { en: "Attendee's phone: next sync {what}", de: "Telefon der Besucherin: nächste Synchronisation {what}" }
    demo_poll(what: &str) { en: "Attendee's phone: polling again {what}", de: "Telefon der Besucherin: erneute Abfrage {what}" }
    demo_nothing_new(ms: u64) {
        en: "— nothing new (one conditional request), {ms} ms",
        de: "— nichts Neues (eine bedingte Anfrage), {ms} ms"
    }
    demo_delta(bytes: u64, images: u32, ms: u64, changed: &str) {
        en: "— {bytes} bytes of content, {images} images, {ms} ms: {changed}",
        de: "— {bytes} Bytes Inhalt, {images} Bilder, {ms} ms: {changed}"
    }
    demo_my_programme(n: usize, conflicts: usize) {
        en: "My programme ({n} favourites, {conflicts} in conflict):",
        de: "Mein Programm ({n} Favoriten, {conflicts} im Konflikt):"
    }
    demo_organiser_move(title: &str, place: &str, accepted: u32) {
        en: "Organiser: \"{title}\" moves to {place} ({accepted} operation accepted by the server)",
        de: "Veranstalterin: „{title}“ zieht nach {place} um ({accepted} Auftrag vom Server angenommen)"
    }
    demo_alert(changes: &str, title: &str, from: &str, to: &str) {
        en: "Change to a favourite ({changes}): \"{title}\" {from} → {to}",
        de: "Änderung an einem Favoriten ({changes}): „{title}“ {from} → {to}"
    }
    demo_reminder(title: &str, text: &str, n: usize) {
        en: "Reminder: \"{title}\", {text} ({n} reminders planned)",
        de: "Erinnerung: „{title}“, {text} ({n} Erinnerungen geplant)"
    }
    demo_now(time: &str) { en: "Now ({time}):", de: "Jetzt ({time} Uhr):" }
    demo_next() { en: "Next:", de: "Als Nächstes:" }
    demo_stations(n: usize) { en: "{n} stations:", de: "{n} Stationen:" }
    demo_search() { en: "Search (offline, as typed):", de: "Suche (offline, wie getippt):" }
}

pub fn demo_programme(day: NaiveDate, sessions: usize) -> String {
    pick(
        format!("Programme {} ({}):", date(day), sessions_count(sessions)),
        format!("Programm {} ({}):", date(day), sessions_count(sessions)),
    )
}
