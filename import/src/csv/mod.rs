//! CSV spreadsheets of sessions or exhibitors, with English or German headers, as Excel and
//! LibreOffice write them: UTF-8 with or without BOM (Windows-1252 is decoded with a warning),
//! comma, semicolon or tab, German dates (01.02.2027) and times (14:30, 14.30 Uhr).
//! The column layouts are documented in `docs/import-csv.md`.
//!
//! This file reads the table (delimiter, header, rows); `columns` names the columns by their
//! headers, `sessions` and `exhibitors` turn rows into the bundle.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use marktplatz_model::error::{Error, Result};
use marktplatz_model::model::{Event, Venue};

mod columns;
mod exhibitors;
mod records;
mod sessions;

use super::builder::Built;
use super::{Context, Format};
use columns::{Column, EXHIBITOR_HEADERS, SESSION_HEADERS, map_headers};

/// The template's German session headers, in order (`crate::template`).
pub(crate) fn template_headers() -> impl Iterator<Item = (&'static str, CellKind)> {
    columns::SESSION_TEMPLATE
        .iter()
        .map(|(column, header)| (*header, CellKind::of(*column)))
}

const WHAT: &str = "the CSV file";
pub(crate) const MAX_ROWS: usize = 100_000;

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
    let record = records::with_records(text, delimiter(text), |rows| rows.next())?;
    Some(record.iter().map(|h| h.trim().to_string()).collect())
}

/// Sessions if the header has a title and a date or start column; exhibitors if it has an
/// exhibitor name column and no time.
pub(crate) fn sniff(text: &str) -> Option<Format> {
    sniff_headers(&header_row(text)?)
}

/// [`sniff`] for a header already read (a workbook's first row).
pub(crate) fn sniff_headers(headers: &[String]) -> Option<Format> {
    if headers.len() < 2 {
        return None;
    }
    let sessions = map_headers(headers, SESSION_HEADERS);
    let has = |cols: &[Option<Column>], c: Column| cols.contains(&Some(c));
    if has(&sessions, Column::Title) && has(&sessions, Column::Start) {
        return Some(Format::CsvSessions);
    }
    let exhibitors = map_headers(headers, EXHIBITOR_HEADERS);
    if has(&exhibitors, Column::Name) && !has(&sessions, Column::Start) {
        return Some(Format::CsvExhibitors);
    }
    None
}

/// What a column holds, as far as reading a workbook's typed cells needs to know.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CellKind {
    Date,
    Time,
    Other,
}

impl CellKind {
    fn of(column: Column) -> CellKind {
        match column {
            Column::Date => CellKind::Date,
            Column::Start | Column::End => CellKind::Time,
            _ => CellKind::Other,
        }
    }
}

/// The kind of each header's column in `layout` (sessions or exhibitors).
pub(crate) fn cell_kinds(headers: &[String], layout: Format) -> Vec<CellKind> {
    let table = match layout {
        Format::CsvExhibitors => EXHIBITOR_HEADERS,
        _ => SESSION_HEADERS,
    };
    map_headers(headers, table)
        .into_iter()
        .map(|column| column.map_or(CellKind::Other, CellKind::of))
        .collect()
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
    what: &'static str,
    headers: Vec<String>,
    columns: Vec<Option<Column>>,
    rows: Vec<Row>,
}

/// A spreadsheet as text cells, whatever file it came from: the header and the rows after it,
/// each with the row number the spreadsheet shows (the header is row 1 in a CSV file).
pub(crate) struct Sheet {
    /// How errors name the file ("the CSV file", "the XLSX workbook").
    pub what: &'static str,
    pub headers: Vec<String>,
    pub records: Vec<(usize, Vec<String>)>,
}

fn sheet_of_text(text: &str) -> Result<Sheet> {
    records::with_records(text, delimiter(text), |rows| {
        let headers = rows.next().unwrap_or_default();
        let mut records = Vec::new();
        for (index, record) in rows.enumerate() {
            if records.len() >= MAX_ROWS {
                return Err(Error::malformed(
                    WHAT,
                    format!("has more than {MAX_ROWS} rows"),
                ));
            }
            records.push((index + 2, record));
        }
        Ok(Sheet {
            what: WHAT,
            headers,
            records,
        })
    })
}

fn rows(sheet: Sheet, table: &[(Column, &[&str])]) -> Table {
    let headers: Vec<String> = sheet.headers.iter().map(|h| h.trim().to_string()).collect();
    let columns = map_headers(&headers, table);
    let rows = sheet
        .records
        .into_iter()
        .filter_map(|(line, record)| {
            let cells = record
                .iter()
                .zip(&columns)
                .filter_map(|(value, column)| Some(((*column)?, value.trim().to_string())))
                .collect::<Vec<_>>();
            (!cells.iter().all(|(_, v)| v.is_empty())).then_some(Row { line, cells })
        })
        .collect();
    Table {
        what: sheet.what,
        headers,
        columns,
        rows,
    }
}

pub(crate) fn read(text: &str, format: Format, ctx: &Context) -> Result<Built> {
    read_sheet(sheet_of_text(text)?, format, ctx)
}

/// Sessions or exhibitors (`layout`) from a sheet read from a CSV file or a workbook.
pub(crate) fn read_sheet(sheet: Sheet, layout: Format, ctx: &Context) -> Result<Built> {
    match layout {
        Format::CsvExhibitors => exhibitors::exhibitors(sheet, ctx),
        _ => sessions::sessions(sheet, ctx),
    }
}

fn require(
    what: &str,
    headers: &[String],
    columns: &[Option<Column>],
    needed: &[(Column, &str)],
) -> Result<()> {
    for (column, spelled) in needed {
        if !columns.contains(&Some(*column)) {
            return Err(Error::invalid(
                what,
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

fn with_scheme(url: &str) -> String {
    let url = url.trim();
    if url.contains("://") || url.starts_with("mailto:") {
        url.to_string()
    } else {
        format!("https://{url}")
    }
}

/// The event a spreadsheet describes: it names no more than its days (and `--event-id`).
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252() {
        assert_eq!(
            decode_windows_1252(b"Gr\xfc\xdfe \x80 \x84Hallo\x93"),
            "Grüße € „Hallo“"
        );
    }
}
