//! Schedule importers: frab/pentabarf XML, c3voc schedule.json (frab and pretalx flavours and
//! the flat "schedule2" layout), iCalendar, CSV (sessions or exhibitors) and XLSX/ODS workbooks
//! of the same columns -> [`Bundle`].
//!
//! Lenient where real files drift from their schemas (each repair is listed as a warning),
//! strict where the data would be wrong: a file that is not a schedule, or one that is visibly
//! incomplete, is an error and nothing is produced. The same bytes always give the same bundle:
//! ids come from the file's guids or are derived from what identifies an entry (see `ids`), and
//! entities are in a stable order. Decisions: `docs/adr/0005-importers.md`.
//!
//! Organiser tooling only (the CLI, the tests): the phone library never links this crate.
//!
//! - [`import`] and [`detect`]: the entry points (this file): the format by its content, the
//!   text decoded, the right reader, the bundle checked.
//! - `frab_xml`, `c3voc_json`: the two schedule formats, read into `schedule`'s raw model;
//!   `schedule` turns that into a bundle (timezone, day change, sessions, the event).
//! - `ical`: iCalendar with its own VTIMEZONE rules; `csv`: spreadsheets of sessions or
//!   exhibitors; `spreadsheet`: XLSX/ODS workbooks into the CSV reader's table; [`template`]: the
//!   XLSX template with the headers it reads.
//! - [`identity`]: gives sessions whose ids were made up the ids of the source's previous
//!   publication (a fixed typo or a move stays the same session).
//! - `builder`: collects locations, tracks, speakers and sessions with stable, unique ids;
//!   `ids` derives ids; `text` cleans text and HTML; `lang` normalises languages; `tz` resolves
//!   time zones; `dates` reads dates, times and durations; `kinds` a session's kind and
//!   cancellation from free text; `warnings` what was repaired or left out.

mod builder;
mod c3voc_json;
mod csv;
mod dates;
mod frab_xml;
mod ical;
pub mod identity;
mod ids;
mod kinds;
mod lang;
mod local_time;
mod ods_extent;
mod schedule;
mod spreadsheet;
pub mod template;
mod text;
mod tz;
mod warnings;

use chrono::NaiveDate;
use marktplatz_model::zone::Zone;
use serde_json::Value;

use marktplatz_model::bundle::{Bundle, check_id};
use marktplatz_model::error::{Error, Result};
use marktplatz_model::source::PublishedSource;
use warnings::text;

pub use warnings::{ImportWarning, Text};

/// Files larger than this are refused unless the caller sets another limit.
pub const DEFAULT_MAX_BYTES: usize = 64 * 1024 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// frab/pentabarf `schedule.xml`.
    FrabXml,
    /// c3voc `schedule.json` (frab, pretalx and hub exports): days -> rooms -> events.
    ScheduleJson,
    /// The newer c3voc "schedule2" layout: a flat `events` list plus `persons`.
    Schedule2Json,
    /// iCalendar (RFC 5545).
    ICalendar,
    /// A spreadsheet of sessions (`docs/import-csv.md`).
    CsvSessions,
    /// A spreadsheet of exhibitors (`docs/import-csv.md`).
    CsvExhibitors,
    /// An Excel workbook of sessions or exhibitors (the CSV layouts, on its first or
    /// "Programm"/"Aussteller" sheet).
    Xlsx,
    /// An OpenDocument (LibreOffice) workbook, read like [`Format::Xlsx`].
    Ods,
}

impl Format {
    pub const ALL: [Format; 8] = [
        Format::FrabXml,
        Format::ScheduleJson,
        Format::Schedule2Json,
        Format::ICalendar,
        Format::CsvSessions,
        Format::CsvExhibitors,
        Format::Xlsx,
        Format::Ods,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::FrabXml => "frab-xml",
            Format::ScheduleJson => "schedule-json",
            Format::Schedule2Json => "schedule2-json",
            Format::ICalendar => "ical",
            Format::CsvSessions => "csv-sessions",
            Format::CsvExhibitors => "csv-exhibitors",
            Format::Xlsx => "xlsx",
            Format::Ods => "ods",
        }
    }

    /// Parses a `--format` value: the names above plus common aliases (`xml`, `json`, `ics`, `csv`).
    pub fn parse(text: &str) -> Option<Format> {
        let text = text.trim().to_ascii_lowercase();
        Format::ALL
            .into_iter()
            .find(|f| f.as_str() == text)
            .or(match text.as_str() {
                "xml" | "frab" | "pentabarf" | "schedule.xml" => Some(Format::FrabXml),
                "json" | "c3voc" | "schedule.json" | "pretalx" => Some(Format::ScheduleJson),
                "schedule2" => Some(Format::Schedule2Json),
                "ics" | "icalendar" | "ical" => Some(Format::ICalendar),
                "csv" | "sessions" => Some(Format::CsvSessions),
                "exhibitors" | "aussteller" => Some(Format::CsvExhibitors),
                "excel" => Some(Format::Xlsx),
                "libreoffice" | "opendocument" => Some(Format::Ods),
                _ => None,
            })
    }

    /// How the format is named in messages.
    pub fn describe(self) -> &'static str {
        match self {
            Format::FrabXml => "a frab schedule.xml",
            Format::ScheduleJson => "a c3voc schedule.json",
            Format::Schedule2Json => "a c3voc schedule.json in the schedule2 layout",
            Format::ICalendar => "an iCalendar file",
            Format::CsvSessions => "a CSV list of sessions",
            Format::CsvExhibitors => "a CSV list of exhibitors",
            Format::Xlsx => "an Excel workbook (XLSX)",
            Format::Ods => "an OpenDocument workbook (ODS)",
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Debug)]
pub struct ImportOptions {
    /// Skip detection and read the file as this format.
    pub format: Option<Format>,
    /// The bundle's event id; by default the file's acronym or a slug of its title.
    pub event_id: Option<String>,
    /// IANA timezone for files that name none (CSV, floating iCalendar times, 36C3's JSON).
    /// A file's own valid timezone wins.
    pub timezone: Option<String>,
    /// Event days for files that carry no dates (an exhibitor list).
    pub days: Vec<NaiveDate>,
    /// Files larger than this are refused.
    pub max_bytes: usize,
}

impl Default for ImportOptions {
    fn default() -> ImportOptions {
        ImportOptions {
            format: None,
            event_id: None,
            timezone: None,
            days: Vec::new(),
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }
}

/// What a file would import: a valid bundle and the list of repairs and skips.
#[derive(Clone, Debug)]
pub struct Import {
    pub format: Format,
    pub bundle: Bundle,
    pub warnings: Vec<ImportWarning>,
    /// Session and exhibitor ids the file did not give (no ID column, UID or guid, or one the
    /// file repeats): made up from the content, so they should be matched to the previous
    /// publication ([`Import::keep_identity`]) before publishing.
    pub made_up: identity::MadeUpIds,
}

impl Import {
    /// Gives the sessions and exhibitors with made-up ids the ids of those they continue in
    /// `previous` (what the same source published last; `docs/adr/0015-stable-identity.md`).
    /// Answers the id each of them got and by which rule; afterwards `made_up` holds the ones
    /// that matched nothing.
    pub fn keep_identity(&mut self, previous: &PublishedSource) -> Vec<identity::Assigned> {
        let sessions = identity::keep_session_ids(
            &mut self.bundle.sessions,
            &previous.sessions,
            &self.made_up.sessions,
        );
        let exhibitors = identity::keep_exhibitor_ids(
            &mut self.bundle.exhibitors,
            &previous.exhibitors,
            &self.made_up.exhibitors,
        );
        let fresh = |assigned: &[identity::Assigned]| {
            assigned
                .iter()
                .filter(|a| a.rule == identity::Rule::Fresh)
                .map(|a| a.id.clone())
                .collect()
        };
        self.made_up = identity::MadeUpIds {
            sessions: fresh(&sessions),
            exhibitors: fresh(&exhibitors),
        };
        sessions.into_iter().chain(exhibitors).collect()
    }
}

/// Options after checking, shared by the format readers.
pub(crate) struct Context {
    pub event_id: Option<String>,
    pub timezone: Option<Zone>,
    pub days: Vec<NaiveDate>,
}

/// Guesses the format from the content (not the file name).
pub fn detect(bytes: &[u8]) -> Option<Format> {
    if let Some(workbook) = spreadsheet::detect(bytes) {
        return Some(workbook);
    }
    let text = match std::str::from_utf8(strip_bom(bytes)) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => std::borrow::Cow::Owned(csv::decode_windows_1252(strip_bom(bytes))),
    };
    sniff(&text).map(|(format, _)| format)
}

/// Reads a schedule file into a bundle. Errors name what was wrong; warnings list what was
/// repaired or skipped. The returned bundle always passes [`Bundle::validate`].
pub fn import(bytes: &[u8], options: &ImportOptions) -> Result<Import> {
    if bytes.len() > options.max_bytes {
        return Err(too_large(bytes.len() as u64, options.max_bytes));
    }
    let context = check_options(options)?;
    if let Some(built) = import_workbook(bytes, options.format, &context)? {
        return finish(built.0, built.1, Vec::new());
    }
    let mut notes: Vec<ImportWarning> = Vec::new();
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return Err(Error::malformed(
            "the file",
            "is UTF-16 encoded; save it as UTF-8 (in Excel: \"CSV UTF-8\")",
        ));
    }
    let body = strip_bom(bytes);
    let text: std::borrow::Cow<'_, str> = match std::str::from_utf8(body) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(utf8_error) => {
            let decoded = csv::decode_windows_1252(body);
            let csv_wanted = match options.format {
                Some(f) => matches!(f, Format::CsvSessions | Format::CsvExhibitors),
                None => matches!(
                    sniff(&decoded),
                    Some((Format::CsvSessions | Format::CsvExhibitors, _))
                ),
            };
            if !csv_wanted {
                return Err(not_utf8(body, utf8_error.valid_up_to()));
            }
            notes.push(ImportWarning {
                subject: Text::file(),
                field: "encoding".into(),
                message: text!(
                    "is not UTF-8 (first bad byte at offset {}); read as Windows-1252, the encoding Excel uses for \"CSV\" in Germany",
                    "ist kein UTF-8 (erstes falsches Byte an Stelle {}); als Windows-1252 gelesen, die Kodierung, die Excel in Deutschland für „CSV“ verwendet",
                    utf8_error.valid_up_to()
                ),
            });
            std::borrow::Cow::Owned(decoded)
        }
    };
    let sniffed = sniff(&text);
    let (format, json) = match (options.format, sniffed) {
        (Some(forced), Some((found, json))) => {
            if !compatible(forced, found) {
                return Err(Error::malformed(
                    format!("the file (read as {forced})"),
                    format!(
                        "--format {forced} was given, but the file is {} ({found})",
                        found.describe()
                    ),
                ));
            }
            (forced, json)
        }
        (Some(forced), None) => (forced, None),
        (None, Some((found, json))) => (found, json),
        (None, None) => return Err(not_a_schedule(&text)),
    };
    let built = match format {
        Format::FrabXml => schedule::build(frab_xml::read(&text)?, &context)?,
        Format::ScheduleJson | Format::Schedule2Json => {
            let value = match json {
                Some(value) => value,
                None => serde_json::from_str(&text).map_err(|e| {
                    Error::malformed("the schedule.json", format!("invalid JSON: {e}"))
                })?,
            };
            schedule::build(c3voc_json::read(&value, format)?, &context)?
        }
        Format::ICalendar => ical::read(&text, &context)?,
        Format::CsvSessions | Format::CsvExhibitors => csv::read(&text, format, &context)?,
        Format::Xlsx | Format::Ods => {
            return Err(Error::malformed(
                format!("the file (read as {format})"),
                format!("--format {format} was given, but the file is not a zip archive"),
            ));
        }
    };
    finish(format, built, notes)
}

/// Reads an XLSX or ODS workbook (found by its content, or asked for); `None` for other files.
fn import_workbook(
    bytes: &[u8],
    forced: Option<Format>,
    context: &Context,
) -> Result<Option<(Format, builder::Built)>> {
    let Some(found) = spreadsheet::detect(bytes) else {
        return match forced {
            // A damaged workbook (a zip that cannot be opened): the reader says what is wrong.
            Some(format @ (Format::Xlsx | Format::Ods)) if bytes.starts_with(b"PK") => {
                spreadsheet::read(bytes, format, context).map(|built| Some((format, built)))
            }
            None if bytes.starts_with(b"PK\x03\x04") => {
                spreadsheet::read(bytes, Format::Xlsx, context)
                    .map(|built| Some((Format::Xlsx, built)))
            }
            _ => Ok(None),
        };
    };
    if let Some(forced) = forced
        && !matches!(forced, Format::Xlsx | Format::Ods)
    {
        return Err(Error::malformed(
            format!("the file (read as {forced})"),
            format!(
                "--format {forced} was given, but the file is {}",
                found.describe()
            ),
        ));
    }
    spreadsheet::read(bytes, found, context).map(|built| Some((found, built)))
}

/// Checks what a reader built and adds the notes made while decoding.
fn finish(format: Format, built: builder::Built, mut notes: Vec<ImportWarning>) -> Result<Import> {
    let builder::Built {
        bundle,
        mut warnings,
        made_up,
    } = built;
    notes.append(&mut warnings);
    bundle.validate().map_err(|e| {
        Error::malformed(
            "the import",
            format!(
                "produced a bundle that does not validate ({e}); this is a bug in the importer"
            ),
        )
    })?;
    Ok(Import {
        format,
        bundle,
        warnings: notes,
        made_up,
    })
}

fn compatible(forced: Format, found: Format) -> bool {
    forced == found
        || matches!(
            (forced, found),
            (Format::CsvSessions, Format::CsvExhibitors)
                | (Format::CsvExhibitors, Format::CsvSessions)
        )
}

fn too_large(size: u64, limit: usize) -> Error {
    Error::invalid("the file", "size", too_large_message(size, limit))
}

/// "is 70.0 MiB (...); the import limit is 64.0 MiB (...)": for callers that check the size
/// before reading a file.
pub fn too_large_message(size: u64, limit: usize) -> String {
    format!(
        "is {} ({size} bytes); the import limit is {} ({limit} bytes). Split the file or raise the limit",
        human_bytes(size),
        human_bytes(limit as u64)
    )
}

fn human_bytes(bytes: u64) -> String {
    const MIB: f64 = 1024.0 * 1024.0;
    if bytes >= 1024 * 1024 {
        format!("{:.1} MiB", bytes as f64 / MIB)
    } else {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    }
}

fn check_options(options: &ImportOptions) -> Result<Context> {
    let timezone = match options.timezone.as_deref() {
        Some(name) => Some(tz::resolve(name).ok_or_else(|| {
            Error::invalid(
                "options",
                "timezone",
                format!("'{name}' is not an IANA timezone (for example Europe/Berlin)"),
            )
        })?),
        None => None,
    };
    if let Some(id) = &options.event_id {
        check_id("options: event id", id)?;
    }
    let mut days = options.days.clone();
    days.sort();
    days.dedup();
    Ok(Context {
        event_id: options.event_id.clone(),
        timezone,
        days,
    })
}

fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(&[0xef, 0xbb, 0xbf]).unwrap_or(bytes)
}

fn not_utf8(bytes: &[u8], offset: usize) -> Error {
    let line = bytes[..offset].iter().filter(|b| **b == b'\n').count() + 1;
    let byte = bytes.get(offset).copied().unwrap_or(0);
    Error::malformed(
        "the file",
        format!(
            "is not UTF-8: byte 0x{byte:02X} at offset {offset} (line {line}) is not valid UTF-8; convert the file to UTF-8"
        ),
    )
}

fn not_a_schedule(text: &str) -> Error {
    let start: String = text.trim_start().chars().take(40).collect();
    let start = start.escape_debug().to_string();
    let trimmed = text.trim_start();
    let what = if trimmed.is_empty() {
        "is empty".to_string()
    } else if trimmed.starts_with('<') {
        format!(
            "is XML but not a frab schedule (the root element is <{}>, not <schedule>)",
            xml_root_name(trimmed).unwrap_or_else(|| "?".into())
        )
    } else if trimmed.starts_with('{') || trimmed.starts_with('[') {
        match serde_json::from_str::<Value>(trimmed) {
            Err(e) => format!("is not valid JSON: {e}"),
            Ok(_) => "is JSON but not a c3voc schedule.json (there is no \"schedule\" object with \"conference\" days or \"events\")".to_string(),
        }
    } else {
        format!(
            "is not a schedule this importer knows (frab XML, c3voc JSON, iCalendar, CSV with a known header); it starts with \"{start}\""
        )
    };
    Error::malformed("the file", what)
}

/// Recognises the format; a JSON file is parsed once here and handed on.
fn sniff(text: &str) -> Option<(Format, Option<Value>)> {
    let trimmed = text.trim_start();
    if trimmed.starts_with('<') {
        return (xml_root_name(trimmed).as_deref() == Some("schedule"))
            .then_some((Format::FrabXml, None));
    }
    if trimmed.starts_with('{') {
        let value: Value = serde_json::from_str(trimmed).ok()?;
        let format = c3voc_json::sniff(&value)?;
        return Some((format, Some(value)));
    }
    let first_line = trimmed.lines().next().unwrap_or_default();
    if first_line.trim().eq_ignore_ascii_case("BEGIN:VCALENDAR") {
        return Some((Format::ICalendar, None));
    }
    csv::sniff(text).map(|format| (format, None))
}

/// The name of the first element, skipping the declaration, comments and a doctype.
fn xml_root_name(text: &str) -> Option<String> {
    let mut rest = text;
    loop {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix("<?") {
            rest = after.split_once("?>")?.1;
        } else if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.split_once("-->")?.1;
        } else if let Some(after) = rest.strip_prefix("<!") {
            rest = after.split_once('>')?.1;
        } else if let Some(after) = rest.strip_prefix('<') {
            let name: String = after
                .chars()
                .take_while(|c| !c.is_whitespace() && *c != '>' && *c != '/')
                .collect();
            return Some(name.rsplit(':').next().unwrap_or_default().to_string());
        } else {
            return None;
        }
    }
}

#[cfg(test)]
mod tests;
