//! XLSX and ODS workbooks: written here (rust_xlsxwriter; a hand-built zip for ODS), imported
//! like the CSV files they stand for.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers outside #[test] functions

use std::io::Write;

use marktplatz_import::{Format, Import, ImportOptions, detect, import};
use rust_xlsxwriter::{ExcelDateTime, Format as CellFormat, Formula, Workbook};

const HEADERS: [&str; 6] = [
    "Titel",
    "Datum",
    "Beginn",
    "Ende",
    "Station",
    "Referent(en)",
];

fn options() -> ImportOptions {
    ImportOptions {
        event_id: Some("marktplatz-2027".into()),
        timezone: Some("Europe/Berlin".into()),
        ..ImportOptions::default()
    }
}

fn run(bytes: &[u8]) -> Import {
    import(bytes, &options()).unwrap_or_else(|e| panic!("import failed: {e}"))
}

fn error_of(bytes: &[u8], options: &ImportOptions) -> String {
    match import(bytes, options) {
        Ok(result) => panic!("expected an error, got {:?}", result.bundle.sessions),
        Err(e) => e.to_string(),
    }
}

fn warnings(result: &Import) -> String {
    let lines: Vec<String> = result.warnings.iter().map(ToString::to_string).collect();
    lines.join("\n")
}

/// The programme as organisers type it: dates as date cells, times as time cells (and one as a
/// bare serial number), a second sheet before it that is not the programme.
fn programme_xlsx() -> Vec<u8> {
    let mut book = Workbook::new();
    let notes = book.add_worksheet().set_name("Notizen").unwrap();
    notes.write_string(0, 0, "Nicht importieren").unwrap();
    let sheet = book.add_worksheet().set_name("Programm").unwrap();
    let date = CellFormat::new().set_num_format("dd.mm.yyyy");
    let time = CellFormat::new().set_num_format("hh:mm");
    for (column, header) in HEADERS.iter().enumerate() {
        sheet.write_string(0, column as u16, *header).unwrap();
    }
    let day = ExcelDateTime::from_ymd(2027, 3, 4).unwrap();
    sheet.write_string(1, 0, "Begrüßung").unwrap();
    sheet.write_datetime_with_format(1, 1, &day, &date).unwrap();
    let nine = ExcelDateTime::from_hms(9, 0, 0).unwrap();
    sheet
        .write_datetime_with_format(1, 2, &nine, &time)
        .unwrap();
    let quarter_past = ExcelDateTime::from_hms(9, 15, 0).unwrap();
    sheet
        .write_datetime_with_format(1, 3, &quarter_past, &time)
        .unwrap();
    sheet.write_string(1, 4, "Bühne").unwrap();
    sheet
        .write_string(1, 5, "Anna Beispiel (Stadt Delmenhorst)")
        .unwrap();
    // Row 3: the date as a serial number (46451 = 2027-03-05), times as fractions of a day.
    sheet
        .write_string(2, 0, "E-Rechnung in der Praxis")
        .unwrap();
    sheet.write_number(2, 1, 46451.0).unwrap();
    sheet.write_number(2, 2, 14.5 / 24.0).unwrap();
    sheet.write_string(2, 3, "15:15").unwrap();
    sheet.write_string(2, 4, "Station 3").unwrap();
    sheet.write_string(2, 5, "Bert Muster").unwrap();
    book.save_to_buffer().unwrap()
}

const PROGRAMME_CSV: &str = "Titel;Datum;Beginn;Ende;Station;Referent(en)\n\
Begrüßung;04.03.2027;09:00;09:15;Bühne;Anna Beispiel (Stadt Delmenhorst)\n\
E-Rechnung in der Praxis;05.03.2027;14:30;15:15;Station 3;Bert Muster\n";

#[test]
fn xlsx_programme_gives_the_same_bundle_as_the_csv() {
    let bytes = programme_xlsx();
    assert_eq!(detect(&bytes), Some(Format::Xlsx));
    let xlsx = run(&bytes);
    let csv = run(PROGRAMME_CSV.as_bytes());
    assert_eq!(xlsx.format, Format::Xlsx);
    assert_eq!(
        serde_json::to_value(&xlsx.bundle).unwrap(),
        serde_json::to_value(&csv.bundle).unwrap()
    );
    assert_eq!(warnings(&xlsx), warnings(&csv));
    // 09:00 in Berlin in March is 08:00 UTC: the wall clock was read in the event's zone.
    let welcome = &xlsx
        .bundle
        .sessions
        .iter()
        .find(|s| s.title == "Begrüßung")
        .unwrap();
    assert_eq!(welcome.start.to_rfc3339(), "2027-03-04T08:00:00+00:00");
}

/// A one-session sheet whose title cell is `title`.
fn workbook_with_title_formula(title: Formula) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (column, header) in HEADERS.iter().take(4).enumerate() {
        sheet.write_string(0, column as u16, *header).unwrap();
    }
    sheet.write_formula(1, 0, title).unwrap();
    for (column, value) in [(1, "2027-03-04"), (2, "10:00"), (3, "11:00")] {
        sheet.write_string(1, column, value).unwrap();
    }
    book.save_to_buffer().unwrap()
}

fn titles(result: &Import) -> Vec<&str> {
    result
        .bundle
        .sessions
        .iter()
        .map(|s| s.title.as_str())
        .collect()
}

#[test]
fn a_formula_cell_is_its_saved_value_or_its_text_never_evaluated() {
    let link = Formula::new("=HYPERLINK(\"http://x\",\"Link\")").set_result("Link");
    let result = run(&workbook_with_title_formula(link));
    assert_eq!(titles(&result), ["Link"]);
    let warnings = warnings(&result);
    assert!(
        warnings.contains("file: formula: 1 formula cells were read as the values"),
        "{warnings}"
    );
    let german: Vec<String> = result.warnings.iter().map(|w| w.line(true)).collect();
    assert!(
        german
            .iter()
            .any(|w| w.contains("Formeln werden nie ausgewertet")),
        "{german:?}"
    );
}

#[test]
fn a_truncated_workbook_is_refused_with_a_clear_error() {
    let bytes = programme_xlsx();
    let cut = &bytes[..bytes.len() / 2];
    let error = error_of(cut, &options());
    assert!(error.contains("XLSX workbook"), "{error}");
    assert!(error.contains("cut short"), "{error}");
    // Asked for by name, the same.
    let forced = ImportOptions {
        format: Some(Format::Xlsx),
        ..options()
    };
    assert!(error_of(cut, &forced).contains("cut short"));
}

#[test]
fn an_oversize_workbook_is_refused_before_parsing() {
    let bytes = programme_xlsx();
    let small = ImportOptions {
        max_bytes: bytes.len() - 1,
        ..options()
    };
    let error = error_of(&bytes, &small);
    assert!(error.contains("the import limit is"), "{error}");
}

#[test]
fn a_zip_bomb_is_refused_by_its_declared_size() {
    // One member of 300 MiB of zeros deflates to a few hundred KiB.
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("xl/workbook.xml", stored).unwrap();
    zip.write_all(b"<workbook/>").unwrap();
    // Stored, but declaring a huge size is what matters: write a small member, then patch it.
    zip.start_file("xl/sharedStrings.xml", stored).unwrap();
    zip.write_all(&[b' '; 64]).unwrap();
    zip.finish().unwrap();
    let mut bytes = out.into_inner();
    patch_declared_size(&mut bytes, "xl/sharedStrings.xml", 300 * 1024 * 1024);
    let error = error_of(&bytes, &options());
    assert!(error.contains("would unpack to more than"), "{error}");
}

/// Sets a member's uncompressed size in the central directory (what the check reads).
fn patch_declared_size(bytes: &mut [u8], name: &str, size: u32) {
    let needle = name.as_bytes();
    let at = (0..bytes.len() - 4)
        .rev()
        .find(|&i| bytes[i..].starts_with(b"PK\x01\x02") && bytes[i + 46..].starts_with(needle))
        .expect("central directory entry");
    bytes[at + 24..at + 28].copy_from_slice(&size.to_le_bytes());
}

/// A minimal ODS: the mimetype first and stored, then content.xml with one table.
fn ods(rows: &[&[&str]]) -> Vec<u8> {
    let mut table = String::new();
    for row in rows {
        table.push_str("<table:table-row>");
        for cell in *row {
            if let Some(date) = cell.strip_prefix("date:") {
                table.push_str(&format!(
                    "<table:table-cell office:value-type=\"date\" office:date-value=\"{date}\"><text:p>{date}</text:p></table:table-cell>"
                ));
            } else if let Some(time) = cell.strip_prefix("time:") {
                table.push_str(&format!(
                    "<table:table-cell office:value-type=\"time\" office:time-value=\"{time}\"><text:p>{time}</text:p></table:table-cell>"
                ));
            } else {
                table.push_str(&format!(
                    "<table:table-cell office:value-type=\"string\"><text:p>{cell}</text:p></table:table-cell>"
                ));
            }
        }
        table.push_str("</table:table-row>");
    }
    ods_with_table(&table)
}

/// An ODS whose sheet "Programm" holds `table` (rows as content.xml writes them).
fn ods_with_table(table: &str) -> Vec<u8> {
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">\
<office:body><office:spreadsheet><table:table table:name=\"Programm\">{table}</table:table>\
</office:spreadsheet></office:body></office:document-content>"
    );
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    zip.start_file("content.xml", stored).unwrap();
    zip.write_all(content.as_bytes()).unwrap();
    zip.start_file("META-INF/manifest.xml", stored).unwrap();
    zip.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\"><manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/><manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/></manifest:manifest>").unwrap();
    zip.finish().unwrap();
    out.into_inner()
}

#[test]
fn ods_programme_gives_the_same_bundle_as_the_csv() {
    let bytes = ods(&[
        &HEADERS,
        &[
            "Begrüßung",
            "date:2027-03-04",
            "time:PT09H00M00S",
            "time:PT09H15M00S",
            "Bühne",
            "Anna Beispiel (Stadt Delmenhorst)",
        ],
        &[
            "E-Rechnung in der Praxis",
            "05.03.2027",
            "time:PT14H30M00S",
            "15:15",
            "Station 3",
            "Bert Muster",
        ],
    ]);
    assert_eq!(detect(&bytes), Some(Format::Ods));
    let result = run(&bytes);
    assert_eq!(result.format, Format::Ods);
    let csv = run(PROGRAMME_CSV.as_bytes());
    assert_eq!(
        serde_json::to_value(&result.bundle).unwrap(),
        serde_json::to_value(&csv.bundle).unwrap()
    );
}

#[test]
fn an_exhibitor_workbook_is_read_as_exhibitors() {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("Aussteller").unwrap();
    for (column, header) in ["Aussteller", "Station", "Datum"].iter().enumerate() {
        sheet.write_string(0, column as u16, *header).unwrap();
    }
    sheet.write_string(1, 0, "Stadt Delmenhorst").unwrap();
    sheet.write_number(1, 1, 12.0).unwrap();
    let date = CellFormat::new().set_num_format("dd.mm.yyyy");
    let day = ExcelDateTime::from_ymd(2027, 3, 4).unwrap();
    sheet.write_datetime_with_format(1, 2, &day, &date).unwrap();
    let result = run(&book.save_to_buffer().unwrap());
    assert_eq!(result.bundle.exhibitors.len(), 1);
    assert_eq!(result.bundle.exhibitors[0].name, "Stadt Delmenhorst");
    assert_eq!(
        result.bundle.event.days,
        [chrono::NaiveDate::from_ymd_opt(2027, 3, 4).unwrap()]
    );
}

#[test]
fn a_workbook_without_known_headers_names_what_it_found() {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "Foo").unwrap();
    sheet.write_string(0, 1, "Bar").unwrap();
    let error = error_of(&book.save_to_buffer().unwrap(), &options());
    assert!(
        error.contains("names no known columns (found: Foo, Bar)"),
        "{error}"
    );
}

#[test]
fn the_template_has_the_importers_headers_and_imports_back_as_no_rows() {
    let bytes = marktplatz_import::template::xlsx().unwrap();
    assert_eq!(detect(&bytes), Some(Format::Xlsx));
    let error = error_of(&bytes, &options());
    assert!(
        error.contains("the XLSX workbook")
            && error.contains("has no rows below the header of the sheet 'Programm'"),
        "{error}"
    );
    // Filled in, the same template imports.
    let headers = marktplatz_import::template::headers();
    assert_eq!(&headers[..4], ["Titel", "Datum", "Beginn", "Ende"]);
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("Programm").unwrap();
    for (column, header) in headers.iter().enumerate() {
        sheet.write_string(0, column as u16, *header).unwrap();
    }
    for (column, value) in ["Eröffnung", "04.03.2027", "09:00", "09:20"]
        .iter()
        .enumerate()
    {
        sheet.write_string(1, column as u16, *value).unwrap();
    }
    let result = run(&book.save_to_buffer().unwrap());
    assert_eq!(result.bundle.sessions.len(), 1);
}

#[test]
fn a_sheet_too_wide_or_too_long_is_refused_naming_the_limit() {
    let sheet_with = |row: u32, column: u16| {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        for (index, header) in HEADERS.iter().enumerate() {
            sheet.write_string(0, index as u16, *header).unwrap();
        }
        // A stray cell far away: refused before any billion-cell range is built.
        sheet.write_string(row, column, "x").unwrap();
        book.save_to_buffer().unwrap()
    };
    let wide = error_of(&sheet_with(1, 300), &options());
    assert!(
        wide.contains("has a cell beyond column 256 (row 2)"),
        "{wide}"
    );
    let long = error_of(&sheet_with(1_048_575, 16_383), &options());
    assert!(long.contains("has more than 100000 rows"), "{long}");
}

#[test]
fn an_ods_whose_repeats_would_expand_to_millions_of_cells_is_refused_before_expanding() {
    let header: String = HEADERS
        .iter()
        .map(|h| format!("<table:table-cell office:value-type=\"string\"><text:p>{h}</text:p></table:table-cell>"))
        .collect();
    let filled =
        "<table:table-cell office:value-type=\"string\"><text:p>x</text:p></table:table-cell>";
    // A hundred bytes asking for 50 000 rows × 1 000 columns.
    let bomb = format!(
        "<table:table-row>{header}</table:table-row>\
<table:table-row table:number-rows-repeated=\"50000\">{filled}<table:table-cell table:number-columns-repeated=\"998\"/>{filled}</table:table-row>"
    );
    let error = error_of(&ods_with_table(&bomb), &options());
    assert!(
        error.contains("the ODS workbook") && error.contains("filled cells beyond column 256"),
        "{error}"
    );
    let tall = format!(
        "<table:table-row>{header}</table:table-row>\
<table:table-row table:number-rows-repeated=\"900000\">{filled}{filled}</table:table-row>"
    );
    let error = error_of(&ods_with_table(&tall), &options());
    assert!(
        error.contains("has a sheet with more than 100000 rows"),
        "{error}"
    );
    // LibreOffice's trailing empty rows and columns cost nothing.
    let trailing = format!(
        "<table:table-row>{header}<table:table-cell table:number-columns-repeated=\"16378\"/></table:table-row>\
<table:table-row><table:table-cell office:value-type=\"string\"><text:p>Eins</text:p></table:table-cell>\
<table:table-cell office:value-type=\"string\"><text:p>2027-03-04</text:p></table:table-cell>\
<table:table-cell office:value-type=\"string\"><text:p>10:00</text:p></table:table-cell>\
<table:table-cell table:number-columns-repeated=\"16381\"/></table:table-row>\
<table:table-row table:number-rows-repeated=\"1048574\"><table:table-cell table:number-columns-repeated=\"16384\"/></table:table-row>"
    );
    assert_eq!(run(&ods_with_table(&trailing)).bundle.sessions.len(), 1);
}

#[test]
fn a_formula_without_a_saved_value_comes_out_as_its_text() {
    let link = Formula::new("=HYPERLINK(\"http://x\",\"Link\")");
    // No saved result, as a program that never calculates writes it: the writer's `<v>0</v>`
    // taken out of the sheet.
    let bytes = rewrite_member(
        &workbook_with_title_formula(link),
        "xl/worksheets/sheet1.xml",
        |xml| xml.replace("</f><v>0</v>", "</f>"),
    );
    let result = run(&bytes);
    assert_eq!(titles(&result), ["=HYPERLINK(\"http://x\",\"Link\")"]);
    assert!(warnings(&result).contains("formulas are never evaluated"));
}

/// The workbook with one member's text changed by `edit`.
fn rewrite_member(bytes: &[u8], name: &str, edit: impl Fn(&str) -> String) -> Vec<u8> {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = std::io::Cursor::new(Vec::new());
    let mut writer = zip::ZipWriter::new(&mut out);
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for index in 0..archive.len() {
        let mut member = archive.by_index(index).unwrap();
        let member_name = member.name().unwrap().to_string();
        let mut text = String::new();
        member.read_to_string(&mut text).unwrap();
        let text = if member_name == name {
            edit(&text)
        } else {
            text
        };
        writer.start_file(member_name, stored).unwrap();
        writer.write_all(text.as_bytes()).unwrap();
    }
    writer.finish().unwrap();
    out.into_inner()
}

#[test]
fn a_workbook_whose_rows_are_all_skipped_is_named_in_the_error() {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (column, header) in HEADERS.iter().take(3).enumerate() {
        sheet.write_string(0, column as u16, *header).unwrap();
    }
    for (column, value) in ["Eins", "2027-03-04", "kaputt"].iter().enumerate() {
        sheet.write_string(1, column as u16, *value).unwrap();
    }
    let error = error_of(&book.save_to_buffer().unwrap(), &options());
    assert!(
        error.starts_with("the XLSX workbook") && error.contains("nothing to import"),
        "{error}"
    );
}
