//! CSV spreadsheets of sessions or exhibitors, with English or German headers, as Excel and
//! LibreOffice write them: UTF-8 with or without BOM (Windows-1252 is decoded with a warning),
//! comma, semicolon or tab, German dates (01.02.2027) and times (14:30, 14.30 Uhr).
//! The column layouts are documented in `docs/import-csv.md`.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};

use crate::bundle::Bundle;
use crate::error::{Error, Result};
use crate::model::{Contact, Event, Exhibitor, LocationKind, Session, Venue};
use crate::time::EventClock;

use super::builder::{Builder, Draft, Person, link};
use super::schedule::{session_kind, status_of};
use super::text::{clean_line, clean_text};
use super::warnings::ImportWarning;
use super::{Context, Format, ids, local_time, tz};

const WHAT: &str = "the CSV file";
const MAX_ROWS: usize = 100_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Column {
    Id,
    Title,
    Date,
    Start,
    End,
    Duration,
    Room,
    Speakers,
    Organisation,
    Track,
    Language,
    Abstract,
    Description,
    Kind,
    Status,
    Url,
    // Exhibitors
    Name,
    Topics,
    Contact,
    Email,
    Phone,
}

/// Header spellings (folded, letters and digits only) per column, for sessions.
const SESSION_HEADERS: &[(Column, &[&str])] = &[
    (Column::Id, &["id", "kennung", "uid", "guid", "sessionid"]),
    (
        Column::Title,
        &[
            "titel",
            "title",
            "vortragstitel",
            "vortrag",
            "programmpunkt",
            "veranstaltung",
            "session",
            "bezeichnung",
            "name",
        ],
    ),
    (Column::Date, &["datum", "date", "tag", "day"]),
    (
        Column::Start,
        &[
            "beginn",
            "start",
            "von",
            "uhrzeit",
            "zeit",
            "startzeit",
            "anfang",
            "time",
            "from",
            "starttime",
            "begin",
        ],
    ),
    (
        Column::End,
        &["ende", "end", "bis", "endzeit", "to", "endtime", "until"],
    ),
    (
        Column::Duration,
        &[
            "dauer",
            "duration",
            "dauerinminuten",
            "dauermin",
            "lange",
            "minuten",
            "minutes",
            "length",
        ],
    ),
    (
        Column::Room,
        &[
            "raum", "station", "ort", "room", "location", "stand", "saal", "bereich", "standort",
            "buhne", "stage",
        ],
    ),
    (
        Column::Speakers,
        &[
            "referenten",
            "referent",
            "referentin",
            "referentinnen",
            "referierende",
            "sprecher",
            "sprecherin",
            "sprecherinnen",
            "speaker",
            "speakers",
            "vortragende",
            "vortragender",
            "personen",
            "mitwirkende",
            "moderation",
            "persons",
        ],
    ),
    (
        Column::Organisation,
        &[
            "organisation",
            "organization",
            "behorde",
            "kommune",
            "institution",
            "firma",
            "unternehmen",
            "affiliation",
        ],
    ),
    (
        Column::Track,
        &[
            "thema",
            "track",
            "themenfeld",
            "themenbereich",
            "kategorie",
            "category",
            "schwerpunkt",
            "themen",
        ],
    ),
    (
        Column::Language,
        &["sprache", "language", "lang", "sprachen"],
    ),
    (
        Column::Abstract,
        &[
            "kurzbeschreibung",
            "abstract",
            "teaser",
            "zusammenfassung",
            "kurztext",
        ],
    ),
    (
        Column::Description,
        &[
            "beschreibung",
            "description",
            "text",
            "inhalt",
            "details",
            "langtext",
        ],
    ),
    (
        Column::Kind,
        &[
            "art",
            "typ",
            "type",
            "format",
            "kind",
            "veranstaltungsart",
            "formate",
        ],
    ),
    (Column::Status, &["status"]),
    (
        Column::Url,
        &["url", "link", "webseite", "website", "weblink", "homepage"],
    ),
];

const EXHIBITOR_HEADERS: &[(Column, &[&str])] = &[
    (Column::Id, &["id", "kennung", "uid", "guid"]),
    (
        Column::Name,
        &[
            "aussteller",
            "ausstellerin",
            "name",
            "firma",
            "organisation",
            "organization",
            "kommune",
            "unternehmen",
            "exhibitor",
            "company",
            "behorde",
            "institution",
            "anbieter",
        ],
    ),
    (
        Column::Room,
        &[
            "station",
            "stand",
            "standort",
            "raum",
            "ort",
            "booth",
            "location",
            "standnummer",
            "bereich",
        ],
    ),
    (
        Column::Topics,
        &[
            "themen",
            "thema",
            "schwerpunkte",
            "schwerpunkt",
            "schlagworte",
            "stichworte",
            "topics",
            "tags",
            "kategorie",
            "kategorien",
        ],
    ),
    (
        Column::Description,
        &["beschreibung", "description", "text", "angebot", "details"],
    ),
    (
        Column::Contact,
        &[
            "ansprechpartner",
            "ansprechpartnerin",
            "ansprechperson",
            "kontakt",
            "contact",
            "kontaktperson",
        ],
    ),
    (Column::Email, &["email", "mail", "emailadresse", "e-mail"]),
    (
        Column::Phone,
        &["telefon", "tel", "phone", "telefonnummer", "fon"],
    ),
    (
        Column::Url,
        &[
            "webseite", "website", "url", "homepage", "internet", "link", "web",
        ],
    ),
    (Column::Date, &["datum", "tag", "tage", "date", "days"]),
];

fn header_key(header: &str) -> String {
    crate::text::fold(header)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// Which column each header is, for one layout. A column is taken by its first header only.
fn map_headers(headers: &[String], table: &[(Column, &[&str])]) -> Vec<Option<Column>> {
    let mut taken: Vec<Column> = Vec::new();
    headers
        .iter()
        .map(|h| {
            let key = header_key(h);
            // "Referent(en)" folds to "referenten"; "E-Mail" to "email"; "Beginn (Uhrzeit)" to
            // "beginnuhrzeit", which matches by its first word.
            let column = table
                .iter()
                .find(|(_, names)| names.iter().any(|n| header_key(n) == key))
                .or_else(|| {
                    table.iter().find(|(_, names)| {
                        names
                            .iter()
                            .any(|n| n.len() >= 4 && key.starts_with(&header_key(n)))
                    })
                })
                .map(|(c, _)| *c)?;
            if taken.contains(&column) {
                return None;
            }
            taken.push(column);
            Some(column)
        })
        .collect()
}

/// The delimiter German and English spreadsheets use: the most frequent of `;`, `,`, tab in the
/// header line (outside quotes).
fn delimiter(text: &str) -> u8 {
    let header = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default();
    let mut counts = [(b';', 0usize), (b',', 0), (b'\t', 0)];
    let mut in_quotes = false;
    for c in header.bytes() {
        if c == b'"' {
            in_quotes = !in_quotes;
        } else if !in_quotes && let Some(entry) = counts.iter_mut().find(|(d, _)| *d == c) {
            entry.1 += 1;
        }
    }
    counts
        .iter()
        .max_by_key(|(d, n)| (*n, *d == b';'))
        .map(|(d, _)| *d)
        .unwrap_or(b',')
}

fn header_row(text: &str) -> Option<Vec<String>> {
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(delimiter(text))
        .flexible(true)
        .has_headers(false)
        .from_reader(text.as_bytes());
    let record = reader.records().next()?.ok()?;
    Some(record.iter().map(|h| h.trim().to_string()).collect())
}

/// Sessions if the header has a title and a date or start column; exhibitors if it has an
/// exhibitor name column and no time.
pub(crate) fn sniff(text: &str) -> Option<Format> {
    let headers = header_row(text)?;
    if headers.len() < 2 {
        return None;
    }
    let sessions = map_headers(&headers, SESSION_HEADERS);
    let has = |cols: &[Option<Column>], c: Column| cols.contains(&Some(c));
    if has(&sessions, Column::Title) && has(&sessions, Column::Start) {
        return Some(Format::CsvSessions);
    }
    let exhibitors = map_headers(&headers, EXHIBITOR_HEADERS);
    if has(&exhibitors, Column::Name) && !has(&sessions, Column::Start) {
        return Some(Format::CsvExhibitors);
    }
    None
}

/// Windows-1252 (a superset of Latin-1's printable range) to UTF-8.
pub(crate) fn decode_windows_1252(bytes: &[u8]) -> String {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9f => HIGH[usize::from(b - 0x80)],
            _ => char::from(b),
        })
        .collect()
}

struct Row {
    /// Spreadsheet row number (header = 1).
    line: usize,
    cells: Vec<(Column, String)>,
}

impl Row {
    fn get(&self, column: Column) -> Option<&str> {
        self.cells
            .iter()
            .find(|(c, _)| *c == column)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }
}

struct Table {
    headers: Vec<String>,
    columns: Vec<Option<Column>>,
    rows: Vec<Row>,
}

fn rows(text: &str, table: &[(Column, &[&str])]) -> Result<Table> {
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(delimiter(text))
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| Error::malformed(WHAT, format!("the header line cannot be read: {e}")))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let columns = map_headers(&headers, table);
    let mut out = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let record = record.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            Error::malformed(WHAT, format!("line {line} cannot be read: {e}"))
        })?;
        if out.len() >= MAX_ROWS {
            return Err(Error::malformed(
                WHAT,
                format!("has more than {MAX_ROWS} rows"),
            ));
        }
        // The row number a spreadsheet shows: the header is row 1.
        let line = index + 2;
        let cells = record
            .iter()
            .zip(&columns)
            .filter_map(|(value, column)| Some(((*column)?, value.trim().to_string())))
            .collect::<Vec<_>>();
        if cells.iter().all(|(_, v)| v.is_empty()) {
            continue;
        }
        out.push(Row { line, cells });
    }
    Ok(Table {
        headers,
        columns,
        rows: out,
    })
}

pub(crate) fn read(
    text: &str,
    format: Format,
    ctx: &Context,
) -> Result<(Bundle, Vec<ImportWarning>)> {
    match format {
        Format::CsvExhibitors => exhibitors(text, ctx),
        _ => sessions(text, ctx),
    }
}

fn require(
    headers: &[String],
    columns: &[Option<Column>],
    needed: &[(Column, &str)],
) -> Result<()> {
    for (column, spelled) in needed {
        if !columns.contains(&Some(*column)) {
            return Err(Error::invalid(
                WHAT,
                "header",
                format!(
                    "has no {spelled} column (found: {}); see docs/import-csv.md for the accepted headers",
                    headers.join(", ")
                ),
            ));
        }
    }
    Ok(())
}

fn sessions(text: &str, ctx: &Context) -> Result<(Bundle, Vec<ImportWarning>)> {
    let Table {
        headers,
        columns,
        rows,
    } = rows(text, SESSION_HEADERS)?;
    require(
        &headers,
        &columns,
        &[
            (Column::Title, "title (Titel)"),
            (Column::Start, "start time (Beginn)"),
        ],
    )?;
    let mut builder = Builder::new();
    let zone = match ctx.timezone {
        Some(zone) => zone,
        None => {
            builder.warnings.push(
                "file",
                "timezone",
                format!(
                    "a CSV file names no timezone; assumed {}; pass --timezone to choose another",
                    tz::default_zone()
                ),
            );
            tz::default_zone()
        }
    };
    let clock = EventClock::new(zone.name(), 0)?;
    // The header says whether the place is a room or a station of the fair.
    let room_kind = headers
        .iter()
        .zip(&columns)
        .find(|(_, c)| **c == Some(Column::Room))
        .map(|(h, _)| match header_key(h).as_str() {
            "station" | "stand" | "standort" => LocationKind::Station,
            _ => LocationKind::Room,
        })
        .unwrap_or_default();

    let mut previous_date: Option<NaiveDate> = None;
    let mut filled_down = 0usize;
    let mut no_end = 0usize;
    for row in &rows {
        let title = clean_line(row.get(Column::Title).unwrap_or_default());
        let subject = format!(
            "row {} '{}'",
            row.line,
            title.chars().take(60).collect::<String>()
        );
        if title.is_empty() {
            builder.warnings.push(
                format!("row {}", row.line),
                "title",
                "is empty; the row was skipped",
            );
            continue;
        }
        let start_text = row.get(Column::Start).unwrap_or_default();
        // "01.02.2027 14:30" in the start column carries its own date.
        let (start_date, start_time, range_end) = match split_start(start_text) {
            Some(parts) => parts,
            None => {
                builder.warnings.push(
                    subject,
                    "start",
                    format!("'{start_text}' is not a time (like 14:30); the row was skipped"),
                );
                continue;
            }
        };
        let date = match (start_date, row.get(Column::Date)) {
            (Some(date), _) => date,
            (None, Some(text)) => match parse_german_date(text) {
                Some(date) => date,
                None => {
                    builder.warnings.push(subject, "date", format!("'{text}' is not a date (like 01.02.2027 or 2027-02-01); the row was skipped"));
                    continue;
                }
            },
            (None, None) => {
                match previous_date.or_else(|| (ctx.days.len() == 1).then(|| ctx.days[0])) {
                    Some(date) => {
                        filled_down += 1;
                        date
                    }
                    None => {
                        builder.warnings.push(
                            subject,
                            "date",
                            "is empty and no earlier row has one; the row was skipped",
                        );
                        continue;
                    }
                }
            }
        };
        previous_date = Some(date);
        local_time::check(
            zone,
            date.and_time(start_time),
            &mut builder.warnings,
            &subject,
            "start",
        );
        let start = clock.instant_of_local(date.and_time(start_time));
        let end = match end_of(row, date, start, range_end, &clock) {
            Ok(Some((end, Some(wall)))) => {
                local_time::check(zone, wall, &mut builder.warnings, &subject, "end");
                Ok(Some(end))
            }
            other => other.map(|end| end.map(|(end, _)| end)),
        };
        let end = match end {
            Ok(Some(end)) => end,
            Ok(None) => {
                no_end += 1;
                start
            }
            Err(message) => {
                builder
                    .warnings
                    .push(subject, "end", format!("{message}; the row was skipped"));
                continue;
            }
        };

        let location_id = row
            .get(Column::Room)
            .and_then(|r| builder.location(r, None, room_kind, ""));
        let track_id = row.get(Column::Track).and_then(|t| builder.track(t, None));
        let organisation = row.get(Column::Organisation);
        let mut speaker_ids = Vec::new();
        for person in split_people(row.get(Column::Speakers).unwrap_or_default()) {
            let (name, org) = name_and_organisation(&person);
            let person = Person {
                name,
                organisation: org.or(organisation.map(str::to_string)),
                ..Person::default()
            };
            if let Some(id) = builder.speaker(&person)
                && !speaker_ids.contains(&id)
            {
                speaker_ids.push(id);
            }
        }
        let languages = row
            .get(Column::Language)
            .map(|raw| builder.languages(raw, &subject))
            .unwrap_or_default();
        let kind_text = row.get(Column::Kind).map(clean_line).unwrap_or_default();
        let cancelled = row
            .get(Column::Status)
            .map(crate::text::fold)
            .is_some_and(|s| {
                [
                    "abgesagt",
                    "entfallt",
                    "entfaellt",
                    "cancelled",
                    "canceled",
                    "ausgefallen",
                    "fallt aus",
                ]
                .iter()
                .any(|w| s.contains(w))
            });
        let mut status = status_of(&title);
        if cancelled {
            status = crate::model::SessionStatus::Cancelled;
        }
        let base_id = row
            .get(Column::Id)
            .and_then(ids::usable)
            .unwrap_or_else(|| ids::derived("session", &format!("csv:{}", ids::name_key(&title))));
        builder.push_draft(Draft {
            base_id,
            subject,
            session: Session {
                id: String::new(),
                kind: session_kind(&kind_text, &title),
                title,
                subtitle: None,
                abstract_text: row
                    .get(Column::Abstract)
                    .map(clean_text)
                    .unwrap_or_default(),
                description: row
                    .get(Column::Description)
                    .map(clean_text)
                    .unwrap_or_default(),
                start,
                end,
                location_id,
                track_id,
                languages,
                speaker_ids,
                status,
                tags: if kind_text.is_empty() {
                    Vec::new()
                } else {
                    vec![kind_text]
                },
                links: row
                    .get(Column::Url)
                    .and_then(|u| link("", &with_scheme(u)))
                    .into_iter()
                    .collect(),
            },
        });
    }
    if filled_down > 0 {
        builder.warnings.push("file", "date", format!("{filled_down} rows have no date; each took the date of the row above (as spreadsheets with merged date cells export)"));
    }
    if no_end > 0 {
        builder.warnings.push("file", "end", format!("{no_end} rows have neither an end time nor a duration; they were kept with no length"));
    }
    if !builder.has_sessions() {
        return Err(Error::malformed(
            WHAT,
            "has no row with a title, a date and a start time; nothing to import",
        ));
    }
    let mut days: BTreeSet<NaiveDate> = builder.session_days(&clock);
    days.extend(ctx.days.iter().copied());
    Ok(builder.finish(csv_event(ctx, zone.name(), days)))
}

fn csv_event(ctx: &Context, timezone: &str, days: BTreeSet<NaiveDate>) -> Event {
    let id = ctx
        .event_id
        .clone()
        .unwrap_or_else(|| "csv-import".to_string());
    Event {
        id: id.clone(),
        title: id,
        subtitle: None,
        description: String::new(),
        venue: Venue::default(),
        timezone: timezone.to_string(),
        days: days.into_iter().collect(),
        day_change_hour: 0,
        languages: Vec::new(),
        url: None,
        logo: None,
    }
}

/// The start column: a time, a date and time, or a range "14:30 - 15:15".
fn split_start(text: &str) -> Option<(Option<NaiveDate>, NaiveTime, Option<NaiveTime>)> {
    let text = text.trim();
    let (first, range_end) = match split_range(text) {
        Some((a, b)) => (a, Some(parse_german_time(b)?)),
        None => (text, None),
    };
    if let Some(time) = parse_german_time(first) {
        return Some((None, time, range_end));
    }
    // "01.02.2027 14:30" or "2027-02-01 14:30" or "2027-02-01T14:30"
    let (date, time) = first.rsplit_once([' ', 'T'])?;
    Some((
        Some(parse_german_date(date)?),
        parse_german_time(time)?,
        range_end,
    ))
}

fn split_range(text: &str) -> Option<(&str, &str)> {
    for separator in [" - ", " – ", "–", " bis ", "-"] {
        if let Some((a, b)) = text.split_once(separator)
            && parse_german_time(b).is_some()
            && (parse_german_time(a).is_some() || a.contains(' '))
        {
            return Some((a.trim(), b.trim()));
        }
    }
    None
}

/// An end, and the wall-clock time it was written as (none for a duration).
type End = (DateTime<Utc>, Option<NaiveDateTime>);

/// The end, if the row has one.
fn end_of(
    row: &Row,
    date: NaiveDate,
    start: DateTime<Utc>,
    range_end: Option<NaiveTime>,
    clock: &EventClock,
) -> std::result::Result<Option<End>, String> {
    let end_time = match (range_end, row.get(Column::End)) {
        (Some(t), _) => Some(t),
        (None, Some(text)) => match split_start(text) {
            Some((Some(end_date), time, _)) => {
                let wall = end_date.and_time(time);
                let end = clock.instant_of_local(wall);
                return if end < start {
                    Err(format!("'{text}' is before the start"))
                } else {
                    Ok(Some((end, Some(wall))))
                };
            }
            Some((None, time, _)) => Some(time),
            None => return Err(format!("'{text}' is not a time (like 15:15)")),
        },
        (None, None) => None,
    };
    if let Some(time) = end_time {
        let wall = date.and_time(time);
        let end = clock.instant_of_local(wall);
        if end < start {
            return Err(format!("{} is before the start", time.format("%H:%M")));
        }
        return Ok(Some((end, Some(wall))));
    }
    if let Some(text) = row.get(Column::Duration) {
        return match parse_minutes(text) {
            Some(minutes) => Ok(start
                .checked_add_signed(Duration::minutes(minutes))
                .map(|end| (end, None))),
            None => Err(format!(
                "duration '{text}' is not minutes (45) or hours and minutes (0:45)"
            )),
        };
    }
    Ok(None)
}

/// `45`, `45 min`, `45 Minuten`, `0:45`, `1:30 h`, `1,5 h`.
fn parse_minutes(text: &str) -> Option<i64> {
    let folded = crate::text::fold(text);
    let t = folded.trim();
    let number_part =
        t.trim_end_matches(|c: char| c.is_alphabetic() || c == '.' || c.is_whitespace());
    let hours_unit = t.ends_with('h') || t.contains("std");
    if let Some((h, m)) = number_part.split_once(':') {
        let h: i64 = h.trim().parse().ok()?;
        let m: i64 = m.trim().parse().ok()?;
        return (m < 60 && h >= 0).then_some(h * 60 + m);
    }
    let value: f64 = number_part.trim().replace(',', ".").parse().ok()?;
    if !(0.0..=10_000.0).contains(&value) {
        return None;
    }
    let minutes = if hours_unit { value * 60.0 } else { value };
    Some(minutes.round() as i64)
}

/// `14:30`, `14.30`, `14:30 Uhr`, `9 Uhr`, `14:30:00`, `2:30 PM`.
pub(crate) fn parse_german_time(text: &str) -> Option<NaiveTime> {
    let lower = text.trim().to_ascii_lowercase();
    let (lower, pm, am) = match (lower.strip_suffix("pm"), lower.strip_suffix("am")) {
        (Some(rest), _) => (rest.trim().to_string(), true, false),
        (_, Some(rest)) => (rest.trim().to_string(), false, true),
        _ => (lower, false, false),
    };
    let t = lower.trim_end_matches("uhr").trim_end_matches('h').trim();
    if t.is_empty()
        || !t
            .chars()
            .all(|c| c.is_ascii_digit() || c == ':' || c == '.')
    {
        return None;
    }
    let parts: Vec<&str> = t.split([':', '.']).collect();
    if parts.len() > 3 || parts.iter().any(|p| p.is_empty() || p.len() > 2) {
        return None;
    }
    if parts.len() >= 2 && parts[1].len() != 2 {
        return None;
    }
    let mut hour: u32 = parts[0].parse().ok()?;
    let minute: u32 = parts
        .get(1)
        .map(|m| m.parse())
        .transpose()
        .ok()?
        .unwrap_or(0);
    let second: u32 = parts
        .get(2)
        .map(|s| s.parse())
        .transpose()
        .ok()?
        .unwrap_or(0);
    if pm && hour < 12 {
        hour += 12;
    }
    if am && hour == 12 {
        hour = 0;
    }
    NaiveTime::from_hms_opt(hour, minute, second)
}

const MONTHS: &[(&str, u32)] = &[
    ("januar", 1),
    ("jan", 1),
    ("january", 1),
    ("janner", 1),
    ("februar", 2),
    ("feb", 2),
    ("february", 2),
    ("marz", 3),
    ("mar", 3),
    ("mrz", 3),
    ("march", 3),
    ("april", 4),
    ("apr", 4),
    ("mai", 5),
    ("may", 5),
    ("juni", 6),
    ("jun", 6),
    ("june", 6),
    ("juli", 7),
    ("jul", 7),
    ("july", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sep", 9),
    ("sept", 9),
    ("oktober", 10),
    ("okt", 10),
    ("october", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("dezember", 12),
    ("dez", 12),
    ("december", 12),
    ("dec", 12),
];

/// `01.02.2027`, `1.2.2027`, `01.02.27`, `2027-02-01`, `Mo, 01.02.2027`, `1. Februar 2027`.
pub(crate) fn parse_german_date(text: &str) -> Option<NaiveDate> {
    parse_german_date_any_year(text).filter(|d| (1900..=2200).contains(&d.year()))
}

fn parse_german_date_any_year(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    // A leading weekday: "Mo, 01.02.2027", "Montag, 1. Februar 2027"
    let text = match text.split_once(',') {
        Some((weekday, rest)) if weekday.chars().all(char::is_alphabetic) => rest.trim(),
        _ => text,
    };
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Some(date);
    }
    let parts: Vec<&str> = text.split('.').map(str::trim).collect();
    if parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    {
        let day: u32 = parts[0].parse().ok()?;
        let month: u32 = parts[1].parse().ok()?;
        let mut year: i32 = parts[2].parse().ok()?;
        if parts[2].len() == 2 {
            year += 2000;
        } else if parts[2].len() != 4 {
            return None;
        }
        return NaiveDate::from_ymd_opt(year, month, day);
    }
    // "1. Februar 2027"
    let words: Vec<String> = crate::text::fold(text)
        .split([' ', '.'])
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    if words.len() == 3 {
        let day: u32 = words[0].parse().ok()?;
        let month = MONTHS.iter().find(|(name, _)| *name == words[1])?.1;
        let year: i32 = words[2].parse().ok()?;
        return NaiveDate::from_ymd_opt(year, month, day);
    }
    None
}

/// People in one cell: separated by `;`, `,`, newlines, " und ", " and ", " & ".
fn split_people(cell: &str) -> Vec<String> {
    let mut text = cell.replace(['\n', '|'], ";");
    for separator in [" und ", " and ", " & ", ","] {
        // A comma inside parentheses belongs to an organisation: "Anna (Stadt, Amt 10)".
        if separator == "," {
            let mut depth = 0i32;
            text = text
                .chars()
                .map(|c| {
                    match c {
                        '(' => depth += 1,
                        ')' => depth -= 1,
                        ',' if depth <= 0 => return ';',
                        _ => {}
                    }
                    c
                })
                .collect();
        } else {
            text = text.replace(separator, ";");
        }
    }
    text.split(';')
        .map(clean_line)
        .filter(|p| !p.is_empty())
        .collect()
}

/// "Anna Beispiel (Stadt Delmenhorst)" -> ("Anna Beispiel", Some("Stadt Delmenhorst")).
fn name_and_organisation(person: &str) -> (String, Option<String>) {
    if let Some((name, rest)) = person.split_once('(')
        && let Some(org) = rest.strip_suffix(')')
        && !name.trim().is_empty()
    {
        return (
            clean_line(name),
            Some(clean_line(org)).filter(|o| !o.is_empty()),
        );
    }
    (clean_line(person), None)
}

fn with_scheme(url: &str) -> String {
    let url = url.trim();
    if url.contains("://") || url.starts_with("mailto:") {
        url.to_string()
    } else {
        format!("https://{url}")
    }
}

fn exhibitors(text: &str, ctx: &Context) -> Result<(Bundle, Vec<ImportWarning>)> {
    let Table {
        headers,
        columns,
        rows,
    } = rows(text, EXHIBITOR_HEADERS)?;
    require(&headers, &columns, &[(Column::Name, "name (Aussteller)")])?;
    let mut builder = Builder::new();
    let zone = ctx.timezone.unwrap_or(tz::default_zone());
    let mut days: BTreeSet<NaiveDate> = ctx.days.iter().copied().collect();
    let mut seen: Vec<(String, Exhibitor)> = Vec::new();
    for row in &rows {
        let name = clean_line(row.get(Column::Name).unwrap_or_default());
        let subject = format!(
            "row {} '{}'",
            row.line,
            name.chars().take(60).collect::<String>()
        );
        if name.is_empty() {
            builder.warnings.push(
                format!("row {}", row.line),
                "name",
                "is empty; the row was skipped",
            );
            continue;
        }
        if let Some(text) = row.get(Column::Date) {
            for part in text
                .split([';', ',', '\n'])
                .map(str::trim)
                .filter(|p| !p.is_empty())
            {
                match parse_german_date(part) {
                    Some(day) => {
                        days.insert(day);
                    }
                    None => builder.warnings.push(
                        subject.clone(),
                        "date",
                        format!("'{part}' is not a date; left out"),
                    ),
                }
            }
        }
        let station_id = row
            .get(Column::Room)
            .and_then(|s| builder.location(s, None, LocationKind::Station, ""));
        let topics: Vec<String> = row
            .get(Column::Topics)
            .map(|t| {
                t.split([';', ',', '|', '\n'])
                    .map(clean_line)
                    .filter(|t| !t.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        let email = match row.get(Column::Email).map(str::trim) {
            Some(e) if e.contains('@') && !e.contains(' ') => {
                Some(e.trim_start_matches("mailto:").to_string())
            }
            Some(e) => {
                builder.warnings.push(
                    subject.clone(),
                    "email",
                    format!("'{e}' is not an e-mail address; left out"),
                );
                None
            }
            None => None,
        };
        let contact_name = row.get(Column::Contact).map(clean_line);
        let phone = row.get(Column::Phone).map(clean_line);
        let contact =
            (contact_name.is_some() || email.is_some() || phone.is_some()).then_some(Contact {
                name: contact_name,
                email,
                phone,
            });
        let website = match row.get(Column::Url) {
            Some(url) => match link("", &with_scheme(url)) {
                Some(l) => Some(l.url),
                None => {
                    builder.warnings.push(
                        subject.clone(),
                        "website",
                        format!("'{url}' is not a web address; left out"),
                    );
                    None
                }
            },
            None => None,
        };
        let key = row
            .get(Column::Id)
            .and_then(ids::usable)
            .unwrap_or_else(|| ids::derived("exhibitor", &format!("csv:{}", ids::name_key(&name))));
        let exhibitor = Exhibitor {
            id: key.clone(),
            name,
            station_id,
            topics,
            description: row
                .get(Column::Description)
                .map(clean_text)
                .unwrap_or_default(),
            contact,
            website,
            logo: None,
        };
        match seen.iter().find(|(k, _)| *k == key) {
            Some((_, earlier)) if *earlier == exhibitor => {
                builder.warnings.push(
                    subject,
                    "name",
                    "is listed twice with the same details; the second row was skipped",
                );
            }
            Some(_) => {
                let n = seen.iter().filter(|(k, _)| k.starts_with(&key)).count() + 1;
                let mut exhibitor = exhibitor;
                exhibitor.id = format!("{key}-{n}");
                builder.warnings.push(
                    subject,
                    "name",
                    format!(
                        "is listed again with other details; kept as its own exhibitor with id {}",
                        exhibitor.id
                    ),
                );
                seen.push((exhibitor.id.clone(), exhibitor.clone()));
                builder.push_exhibitor(exhibitor);
            }
            None => {
                seen.push((key, exhibitor.clone()));
                builder.push_exhibitor(exhibitor);
            }
        }
    }
    if builder.exhibitor_count() == 0 {
        return Err(Error::malformed(
            WHAT,
            "has no row with an exhibitor name; nothing to import",
        ));
    }
    if days.is_empty() {
        return Err(Error::invalid(
            WHAT,
            "date",
            "an exhibitor list carries no event days: add a 'Datum' column or pass the fair's day(s) (--day 2027-03-04)",
        ));
    }
    Ok(builder.finish(csv_event(ctx, zone.name(), days)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_dates() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        assert_eq!(parse_german_date("01.02.2027"), d(2027, 2, 1));
        assert_eq!(parse_german_date("1.2.2027"), d(2027, 2, 1));
        assert_eq!(parse_german_date("01.02.27"), d(2027, 2, 1));
        assert_eq!(parse_german_date("2027-02-01"), d(2027, 2, 1));
        assert_eq!(parse_german_date("Mo, 01.02.2027"), d(2027, 2, 1));
        assert_eq!(parse_german_date("1. Februar 2027"), d(2027, 2, 1));
        assert_eq!(parse_german_date("3. März 2027"), d(2027, 3, 3));
        assert_eq!(parse_german_date("31.02.2027"), None);
        assert_eq!(parse_german_date("02/01/2027"), None);
    }

    #[test]
    fn german_times() {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0);
        assert_eq!(parse_german_time("14:30"), t(14, 30));
        assert_eq!(parse_german_time("14.30"), t(14, 30));
        assert_eq!(parse_german_time("14:30 Uhr"), t(14, 30));
        assert_eq!(parse_german_time("9 Uhr"), t(9, 0));
        assert_eq!(parse_german_time("09:00:00"), t(9, 0));
        assert_eq!(parse_german_time("2:30 PM"), t(14, 30));
        assert_eq!(parse_german_time("24:00"), None);
        assert_eq!(parse_german_time("14:3"), None);
        assert_eq!(parse_german_time("abc"), None);
    }

    #[test]
    fn ranges_and_minutes() {
        let (date, start, end) = split_start("10:00 - 10:45").unwrap();
        assert_eq!(
            (date, start, end),
            (
                None,
                NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
                NaiveTime::from_hms_opt(10, 45, 0)
            )
        );
        let (date, start, _) = split_start("04.03.2027 09:30").unwrap();
        assert_eq!(date, NaiveDate::from_ymd_opt(2027, 3, 4));
        assert_eq!(start, NaiveTime::from_hms_opt(9, 30, 0).unwrap());
        assert_eq!(parse_minutes("45"), Some(45));
        assert_eq!(parse_minutes("45 min"), Some(45));
        assert_eq!(parse_minutes("0:45"), Some(45));
        assert_eq!(parse_minutes("1,5 h"), Some(90));
        assert_eq!(parse_minutes("lang"), None);
    }

    #[test]
    fn people_and_organisations() {
        assert_eq!(
            split_people("Anna Beispiel; Bert Muster"),
            ["Anna Beispiel", "Bert Muster"]
        );
        assert_eq!(
            split_people("Anna und Bert, Carla"),
            ["Anna", "Bert", "Carla"]
        );
        assert_eq!(
            split_people("Anna (Stadt Delmenhorst, Amt 10)"),
            ["Anna (Stadt Delmenhorst, Amt 10)"]
        );
        assert_eq!(
            name_and_organisation("Anna Beispiel (Stadt Delmenhorst)"),
            (
                "Anna Beispiel".to_string(),
                Some("Stadt Delmenhorst".to_string())
            )
        );
    }

    #[test]
    fn delimiters_and_headers() {
        assert_eq!(delimiter("Titel;Datum;Beginn\n"), b';');
        assert_eq!(delimiter("title,date,start\n"), b',');
        assert_eq!(delimiter("\"a;b\",c,d\n"), b',');
        let headers: Vec<String> = ["Referent(en)", "E-Mail", "Beginn (Uhrzeit)", "Thema/Track"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            map_headers(&headers, SESSION_HEADERS),
            [
                Some(Column::Speakers),
                None,
                Some(Column::Start),
                Some(Column::Track)
            ]
        );
    }

    #[test]
    fn windows_1252() {
        assert_eq!(
            decode_windows_1252(b"Gr\xfc\xdfe \x80 \x84Hallo\x93"),
            "Grüße € „Hallo“"
        );
    }
}
