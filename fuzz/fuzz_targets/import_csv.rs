//! The importer for CSV (sessions and exhibitors): never panics, and a file it accepts gives a valid bundle.
#![no_main]

use libfuzzer_sys::fuzz_target;
use marktplatz_import::{Format, ImportOptions, import};

fuzz_target!(|data: &[u8]| {
    for format in [Format::CsvSessions, Format::CsvExhibitors] {
        let options = ImportOptions {
            format: Some(format),
            timezone: Some("Europe/Berlin".to_string()),
            days: vec![chrono::NaiveDate::from_ymd_opt(2027, 3, 4).expect("a date")],
            ..ImportOptions::default()
        };
        if let Ok(imported) = import(data, &options) {
            imported
                .bundle
                .validate()
                .expect("an imported bundle is valid");
        }
    }
    // Detection reads every format's markers: it must not panic either.
    let _ = marktplatz_import::detect(data);
});
