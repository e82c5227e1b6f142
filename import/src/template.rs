//! The XLSX template organisers download from the console: one sheet "Programm" headed with the
//! German session headers this importer reads (`csv::columns::SESSION_TEMPLATE`, so it cannot
//! drift from them), date and time columns formatted so typed entries become date cells.

use marktplatz_model::error::{Error, Result};
use rust_xlsxwriter::{Format as CellFormat, Workbook};

use crate::csv::{CellKind, template_headers};

/// The sheet the template's programme goes on (the importer prefers it by name).
pub const SHEET: &str = "Programm";

/// The template's headers in order.
pub fn headers() -> Vec<&'static str> {
    template_headers().map(|(header, _)| header).collect()
}

/// The template as XLSX bytes.
pub fn xlsx() -> Result<Vec<u8>> {
    let failed = |e: rust_xlsxwriter::XlsxError| {
        Error::malformed("the XLSX template", format!("cannot be written: {e}"))
    };
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name(SHEET).map_err(failed)?;
    let bold = CellFormat::new().set_bold();
    let date = CellFormat::new().set_num_format("dd.mm.yyyy");
    let time = CellFormat::new().set_num_format("hh:mm");
    for (index, (header, kind)) in template_headers().enumerate() {
        let column = u16::try_from(index).map_err(|_| {
            Error::malformed("the XLSX template", "has more columns than a sheet holds")
        })?;
        sheet
            .write_string_with_format(0, column, header, &bold)
            .map_err(failed)?;
        let width = if header.len() > 12 { 28.0 } else { 14.0 };
        sheet.set_column_width(column, width).map_err(failed)?;
        match kind {
            CellKind::Date => sheet.set_column_format(column, &date).map_err(failed)?,
            CellKind::Time => sheet.set_column_format(column, &time).map_err(failed)?,
            CellKind::Other => sheet,
        };
    }
    // The header stays in view while scrolling down the programme.
    sheet.set_freeze_panes(1, 0).map_err(failed)?;
    book.save_to_buffer().map_err(failed)
}
