//! The area an ODS sheet would fill once its repeated rows and columns are expanded, measured on
//! the XML before calamine expands it: a few bytes of `table:number-rows-repeated` can ask for
//! a hundred million cells, and calamine only stops there. Empty cells at the end of a row and
//! empty rows after the last filled one (LibreOffice writes thousands) cost nothing and are not
//! counted, as calamine drops them too.

use std::io::{BufReader, Cursor};

use marktplatz_model::error::{Error, Result};
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// The filled area of one table: from its first to its last filled row, as wide as its widest
/// filled row.
#[derive(Default)]
struct Extent {
    /// Rows read so far (repeats counted).
    rows: u64,
    first_filled: Option<u64>,
    end_filled: u64,
    width: u64,
}

impl Extent {
    fn cells(&self) -> u64 {
        let height = self.end_filled - self.first_filled.unwrap_or(self.end_filled);
        height.saturating_mul(self.width)
    }
}

fn repeated(start: &BytesStart<'_>, attribute: &str) -> u64 {
    start
        .attributes()
        .flatten()
        .find(|a| a.key.as_ref() == attribute)
        .and_then(|a| a.value.trim().parse().ok())
        .unwrap_or(1)
}

fn has_value(start: &BytesStart<'_>) -> bool {
    start
        .attributes()
        .flatten()
        .any(|a| a.key.as_ref() == "office:value-type")
}

/// Refuses a workbook whose tables would expand to more than `max_rows` rows, `max_columns`
/// filled columns or `max_cells` cells.
pub(crate) fn check(
    bytes: &[u8],
    what: &str,
    max_rows: u64,
    max_columns: u64,
    max_cells: u64,
) -> Result<()> {
    let unreadable = |e: &dyn std::fmt::Display| {
        Error::malformed(
            what,
            format!("cannot be read ({e}); is it damaged or cut short?"),
        )
    };
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
    let content = archive.by_name("content.xml").map_err(|e| unreadable(&e))?;
    let mut reader = Reader::from_reader(BufReader::new(content));
    let mut buf = Vec::new();
    let mut table = Extent::default();
    // The row being read: its repeats, the next column, the end of its last filled cell.
    let mut row = (1u64, 0u64, 0u64);
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| unreadable(&e))?;
        let (start, has_children) = match &event {
            Event::Start(start) => (start, true),
            Event::Empty(start) => (start, false),
            Event::End(end) if end.name().as_ref() == "table:table-row" => {
                let (repeats, _, filled_to) = row;
                if filled_to > 0 {
                    table.first_filled.get_or_insert(table.rows);
                    table.end_filled = table.rows.saturating_add(repeats);
                    table.width = table.width.max(filled_to);
                }
                table.rows = table.rows.saturating_add(repeats);
                let too_much = if table.end_filled > max_rows {
                    Some(format!("more than {max_rows} rows"))
                } else if table.width > max_columns {
                    Some(format!("filled cells beyond column {max_columns}"))
                } else if table.cells() > max_cells {
                    Some(format!(
                        "more than {max_cells} cells once its repeated rows and columns are expanded"
                    ))
                } else {
                    None
                };
                if let Some(too_much) = too_much {
                    return Err(Error::invalid(
                        what,
                        "size",
                        format!("has a sheet with {too_much}"),
                    ));
                }
                buf.clear();
                continue;
            }
            Event::Eof => return Ok(()),
            _ => {
                buf.clear();
                continue;
            }
        };
        match start.name().as_ref() {
            "table:table" => table = Extent::default(),
            "table:table-row" => {
                row = (repeated(start, "table:number-rows-repeated"), 0, 0);
                if !has_children {
                    table.rows = table.rows.saturating_add(row.0);
                }
            }
            "table:table-cell" | "table:covered-table-cell" => {
                let columns = repeated(start, "table:number-columns-repeated");
                let next = row.1.saturating_add(columns);
                if has_children || has_value(start) {
                    row.2 = next;
                }
                row.1 = next;
            }
            _ => {}
        }
        buf.clear();
    }
}
