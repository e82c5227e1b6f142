//! XLSX and ODS workbooks (read with calamine): the sheet of sessions or exhibitors, read into
//! the same [`Sheet`] a CSV file gives, so both layouts, their headers and their warnings are
//! the CSV importer's (`csv`, `docs/import-csv.md`).
//!
//! Formulas are never evaluated: a formula cell gives the value the spreadsheet program cached
//! when it saved, or else its formula text. Dates and times (date cells, ISO cells, serial
//! numbers in a date or time column) become wall-clock text the CSV reader interprets in the
//! event's zone. The archive's declared sizes and the sheet's rows, columns and cells are
//! bounded before anything large is built.

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Seek};

use calamine::{Data, DataRef, ExcelDateTime, ExcelDateTimeType, Ods, Reader, Xlsx};
use chrono::{NaiveDateTime, NaiveTime};
use marktplatz_model::error::{Error, Result};

use crate::builder::Built;
use crate::csv::{self, CellKind, MAX_ROWS, Sheet};
use crate::warnings::{Text, text};
use crate::{Context, Format};

/// Columns beyond this are refused: a programme has a dozen.
const MAX_COLUMNS: u32 = 256;
/// Non-empty cells read from a sheet at most.
const MAX_CELLS: usize = 2_000_000;
/// What the archive's members may unpack to in all (their declared sizes).
const MAX_UNPACKED: u64 = 256 * 1024 * 1024;

/// Sheet names (folded) preferred when a workbook has several sheets.
const PREFERRED_SHEETS: &[&str] = &[
    "programm",
    "aussteller",
    "sessions",
    "programme",
    "program",
    "schedule",
    "exhibitors",
];

/// An XLSX or ODS workbook by its zip magic and members; `None` for anything else.
pub(crate) fn detect(bytes: &[u8]) -> Option<Format> {
    if !bytes.starts_with(b"PK\x03\x04") {
        return None;
    }
    // An ODS file starts with its uncompressed `mimetype` member (ODF 1.2, 3.3).
    if bytes
        .get(..100)
        .is_some_and(|head| contains(head, b"application/vnd.oasis.opendocument.spreadsheet"))
    {
        return Some(Format::Ods);
    }
    let archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let has = |name: &str| archive.file_names().any(|n| n.is_ok_and(|n| n == name));
    if has("xl/workbook.xml") {
        Some(Format::Xlsx)
    } else if has("content.xml") && has("mimetype") {
        Some(Format::Ods)
    } else {
        None
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Reads the workbook's sheet of sessions or exhibitors.
pub(crate) fn read(bytes: &[u8], format: Format, ctx: &Context) -> Result<Built> {
    let what = describe(format);
    check_archive(bytes, what)?;
    let grid = match format {
        Format::Ods => {
            crate::ods_extent::check(
                bytes,
                what,
                MAX_ROWS as u64,
                u64::from(MAX_COLUMNS),
                MAX_CELLS as u64,
            )?;
            let mut book = Ods::new(Cursor::new(bytes)).map_err(|e| unreadable(what, &e))?;
            read_ranges(&mut book, what)?
        }
        _ => read_xlsx(bytes, what)?,
    };
    let Some((_, header_row)) = grid.rows.first_key_value() else {
        return Err(Error::malformed(
            what,
            format!("the sheet '{}' is empty", grid.sheet),
        ));
    };
    let headers: Vec<String> = header_row
        .iter()
        .map(|c| text_of(c, CellKind::Other, grid.is_1904))
        .collect();
    let layout = csv::sniff_headers(&headers).ok_or_else(|| {
        Error::invalid(
            what,
            "header",
            format!(
                "the first row of the sheet '{}' names no known columns (found: {}); see docs/import-csv.md for the accepted headers",
                grid.sheet,
                headers.join(", ")
            ),
        )
    })?;
    if grid.rows.len() < 2 {
        return Err(Error::invalid(
            what,
            "rows",
            format!(
                "has no rows below the header of the sheet '{}': fill in one row per {}",
                grid.sheet,
                if layout == Format::CsvExhibitors {
                    "exhibitor"
                } else {
                    "session"
                }
            ),
        ));
    }
    let kinds = csv::cell_kinds(&headers, layout);
    let records = grid
        .rows
        .iter()
        .skip(1)
        .map(|(line, cells)| {
            let texts = cells
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    text_of(
                        c,
                        kinds.get(i).copied().unwrap_or(CellKind::Other),
                        grid.is_1904,
                    )
                })
                .collect();
            (*line, texts)
        })
        .collect();
    let mut built = csv::read_sheet(
        Sheet {
            what,
            headers,
            records,
        },
        layout,
        ctx,
    )?;
    if grid.formulas > 0 {
        built.warnings.push(crate::ImportWarning {
            subject: Text::file(),
            field: "formula".into(),
            message: text!(
                "{} formula cells were read as the values the spreadsheet saved (or as their formula text); formulas are never evaluated",
                "{} Formelzellen wurden als die gespeicherten Werte (oder als Formeltext) gelesen; Formeln werden nie ausgewertet",
                grid.formulas
            ),
        });
    }
    Ok(built)
}

fn describe(format: Format) -> &'static str {
    match format {
        Format::Ods => "the ODS workbook",
        _ => "the XLSX workbook",
    }
}

fn unreadable(what: &str, error: &dyn std::fmt::Display) -> Error {
    Error::malformed(
        what,
        format!(
            "cannot be read ({error}); is it damaged or cut short? Save it again from the spreadsheet program"
        ),
    )
}

/// Refuses archives that are not zip files or whose members declare more than
/// [`MAX_UNPACKED`] (a zip bomb), before calamine unpacks anything.
fn check_archive(bytes: &[u8], what: &str) -> Result<()> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| unreadable(what, &e))?;
    let mut unpacked = 0u64;
    for index in 0..archive.len() {
        // The central directory's sizes (also for members written with a data descriptor).
        let member = archive
            .by_index_raw(index)
            .map_err(|e| unreadable(what, &e))?;
        unpacked = unpacked.saturating_add(member.size());
    }
    if unpacked > MAX_UNPACKED {
        return Err(Error::invalid(
            what,
            "size",
            format!(
                "would unpack to more than {} MiB; a programme is far smaller (is it a zip bomb?)",
                MAX_UNPACKED / (1024 * 1024)
            ),
        ));
    }
    Ok(())
}

/// A workbook cell before the header says what its column holds.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Cell {
    Text(String),
    Number(f64),
    When(NaiveDateTime),
    /// A time of day only (an ODS time, an ISO duration below a day).
    Time(NaiveTime),
    Empty,
}

/// The sheet's rows (row number as the spreadsheet shows it, cells from column A).
struct Grid {
    sheet: String,
    rows: BTreeMap<usize, Vec<Cell>>,
    /// Serial numbers count from 1904-01-01 (old Mac workbooks), not 1899-12-30.
    is_1904: bool,
    formulas: usize,
}

impl Grid {
    fn put(&mut self, what: &str, (row, column): (u32, u32), cell: Cell) -> Result<()> {
        if cell == Cell::Empty {
            return Ok(());
        }
        if row as usize > MAX_ROWS {
            return Err(Error::invalid(
                what,
                "size",
                format!("the sheet '{}' has more than {MAX_ROWS} rows", self.sheet),
            ));
        }
        if column >= MAX_COLUMNS {
            return Err(Error::invalid(
                what,
                "size",
                format!(
                    "the sheet '{}' has a cell beyond column {MAX_COLUMNS} (row {})",
                    self.sheet,
                    row + 1
                ),
            ));
        }
        let line = row as usize + 1;
        let cells = self.rows.entry(line).or_default();
        let column = column as usize;
        if cells.len() <= column {
            cells.resize(column + 1, Cell::Empty);
        }
        cells[column] = cell;
        Ok(())
    }

    fn count(&self, what: &str, cells: usize) -> Result<()> {
        if cells > MAX_CELLS {
            return Err(Error::invalid(
                what,
                "size",
                format!(
                    "the sheet '{}' has more than {MAX_CELLS} filled cells",
                    self.sheet
                ),
            ));
        }
        Ok(())
    }
}

/// The sheet to read: the only one, the one named like a programme or exhibitor list, or the
/// first.
fn pick_sheet(names: &[String], what: &str) -> Result<String> {
    let folded = |n: &str| -> String {
        marktplatz_model::text::fold(n)
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect()
    };
    names
        .iter()
        .find(|n| PREFERRED_SHEETS.iter().any(|p| folded(n).starts_with(p)))
        .or(names.first())
        .cloned()
        .ok_or_else(|| Error::malformed(what, "has no sheets"))
}

/// XLSX cell by cell (calamine's streaming reader), so a stray cell at XFD1048576 never
/// becomes a billion-cell range.
fn read_xlsx(bytes: &[u8], what: &str) -> Result<Grid> {
    let mut book = Xlsx::new(Cursor::new(bytes)).map_err(|e| unreadable(what, &e))?;
    let sheet = pick_sheet(&book.sheet_names(), what)?;
    let is_1904 = book.has_1904_epoch();
    let mut grid = Grid {
        sheet: sheet.clone(),
        rows: BTreeMap::new(),
        is_1904,
        formulas: 0,
    };
    let mut reader = book
        .worksheet_cells_reader(&sheet)
        .map_err(|e| unreadable(what, &e))?;
    let mut seen = 0usize;
    while let Some(record) = reader
        .next_cell_with_formula()
        .map_err(|e| unreadable(what, &e))?
    {
        seen += 1;
        grid.count(what, seen)?;
        let value = cell_of_ref(record.value);
        let cell = match record.formula {
            Some(formula) => {
                grid.formulas += 1;
                formula_cell(value, &formula)
            }
            None => value,
        };
        grid.put(what, record.pos, cell)?;
    }
    Ok(grid)
}

/// ODS through calamine's ranges (its reader builds them whole, so `ods_extent` has measured
/// them first).
fn read_ranges<RS: Read + Seek, R: Reader<RS>>(book: &mut R, what: &str) -> Result<Grid>
where
    R::Error: std::fmt::Display,
{
    let sheet = pick_sheet(&book.sheet_names(), what)?;
    let values = book
        .worksheet_range(&sheet)
        .map_err(|e| unreadable(what, &e))?;
    let formulas = book
        .worksheet_formula(&sheet)
        .map_err(|e| unreadable(what, &e))?;
    let mut grid = Grid {
        sheet,
        rows: BTreeMap::new(),
        is_1904: false,
        formulas: 0,
    };
    grid.count(what, values.used_cells().count())?;
    let (row0, col0) = values.start().unwrap_or((0, 0));
    for (row, column, data) in values.used_cells() {
        let pos = (row0 + row as u32, col0 + column as u32);
        let value = cell_of(data);
        let cell = match formulas.get_value(pos).filter(|f| !f.is_empty()) {
            Some(formula) => {
                grid.formulas += 1;
                formula_cell(value, formula)
            }
            None => value,
        };
        grid.put(what, pos, cell)?;
    }
    Ok(grid)
}

/// A formula cell: its cached value, else its formula as text (never evaluated).
fn formula_cell(cached: Cell, formula: &str) -> Cell {
    match cached {
        Cell::Empty => Cell::Text(format!("={}", formula.trim_start_matches('='))),
        value => value,
    }
}

fn cell_of_ref(data: DataRef<'_>) -> Cell {
    match data {
        DataRef::SharedString(s) => Cell::Text(s.to_string()),
        DataRef::String(s) => Cell::Text(s),
        DataRef::Int(n) => Cell::Number(n as f64),
        DataRef::Float(f) => Cell::Number(f),
        DataRef::Bool(b) => Cell::Text(b.to_string()),
        DataRef::DateTime(dt) => when(dt),
        DataRef::DateTimeIso(s) => iso(&s),
        DataRef::DurationIso(s) => duration(&s),
        // An error value (#REF!, #NAME?): what the sheet showed, as text.
        DataRef::Error(e) => Cell::Text(e.to_string()),
        DataRef::Empty => Cell::Empty,
    }
}

fn cell_of(data: &Data) -> Cell {
    match data {
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(n) => Cell::Number(*n as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Text(b.to_string()),
        Data::DateTime(dt) => when(*dt),
        Data::DateTimeIso(s) => iso(s),
        Data::DurationIso(s) => duration(s),
        Data::Error(e) => Cell::Text(e.to_string()),
        Data::Empty => Cell::Empty,
    }
}

fn when(dt: ExcelDateTime) -> Cell {
    match dt.as_datetime() {
        // Serial numbers below 1 are times of day (Excel's 1899-12-30 + fraction).
        Some(at) if dt.as_f64() < 1.0 && !dt.is_duration() => Cell::Time(at.time()),
        Some(at) => Cell::When(at),
        None => Cell::Number(dt.as_f64()),
    }
}

/// An ODS date or date-time (`2027-02-01`, `2027-02-01T14:30:00`).
fn iso(text: &str) -> Cell {
    crate::dates::parse_naive_datetime(text)
        .map(Cell::When)
        .or_else(|| {
            crate::dates::parse_date(text)
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(Cell::When)
        })
        .unwrap_or_else(|| Cell::Text(text.to_string()))
}

/// An ODS time cell (`PT14H30M00S`): a time of day.
fn duration(text: &str) -> Cell {
    let parse = || -> Option<NaiveTime> {
        let rest = text.strip_prefix("PT")?;
        let (hours, rest) = rest.split_once('H')?;
        let (minutes, rest) = rest.split_once('M')?;
        let seconds: f64 = rest.strip_suffix('S').unwrap_or("0").parse().ok()?;
        NaiveTime::from_hms_opt(hours.parse().ok()?, minutes.parse().ok()?, seconds as u32)
    };
    parse()
        .map(Cell::Time)
        .unwrap_or_else(|| Cell::Text(text.to_string()))
}

/// The text the CSV reader gets for a cell in a column of `kind`: dates as `YYYY-MM-DD`, times
/// as `HH:MM`, serial numbers in date and time columns as dates and times, whole numbers
/// without a fraction.
pub(crate) fn text_of(cell: &Cell, kind: CellKind, is_1904: bool) -> String {
    let at = match (cell, kind) {
        (Cell::Text(s), _) => return s.clone(),
        (Cell::Empty, _) => return String::new(),
        (Cell::Time(t), _) => return t.format("%H:%M").to_string(),
        (Cell::When(at), _) => *at,
        (Cell::Number(n), CellKind::Date | CellKind::Time) => {
            match ExcelDateTime::new(*n, ExcelDateTimeType::DateTime, is_1904).as_datetime() {
                Some(at) if *n < 1.0 => return at.time().format("%H:%M").to_string(),
                Some(at) => at,
                None => return number(*n),
            }
        }
        (Cell::Number(n), CellKind::Other) => return number(*n),
    };
    match kind {
        CellKind::Date => at.date().format("%Y-%m-%d").to_string(),
        _ if at.time() == NaiveTime::MIN => at.date().format("%Y-%m-%d").to_string(),
        _ => at.format("%Y-%m-%d %H:%M").to_string(),
    }
}

fn number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_formula_without_a_saved_value_is_its_text() {
        let formula = "HYPERLINK(\"http://x\",\"Link\")";
        assert_eq!(
            formula_cell(Cell::Empty, formula),
            Cell::Text("=HYPERLINK(\"http://x\",\"Link\")".into())
        );
        assert_eq!(
            formula_cell(Cell::Text("Link".into()), formula),
            Cell::Text("Link".into())
        );
    }

    #[test]
    fn serial_numbers_in_date_and_time_columns() {
        let text = |n: f64, kind| text_of(&Cell::Number(n), kind, false);
        assert_eq!(text(46451.0, CellKind::Date), "2027-03-05");
        assert_eq!(text(0.604_166_666_7, CellKind::Time), "14:30");
        assert_eq!(text(46451.375, CellKind::Time), "2027-03-05 09:00");
        assert_eq!(text(46451.0, CellKind::Other), "46451");
        assert_eq!(text(1.5, CellKind::Other), "1.5");
        // Old Mac workbooks count from 1904.
        assert_eq!(
            text_of(&Cell::Number(44989.0), CellKind::Date, true),
            "2027-03-05"
        );
        assert_eq!(
            duration("PT14H30M00S"),
            Cell::Time(NaiveTime::from_hms_opt(14, 30, 0).unwrap())
        );
    }
}
