//! The importer for FrabXml: never panics, and a file it accepts gives a valid bundle.
#![no_main]

use libfuzzer_sys::fuzz_target;
use marktplatz_import::{Format, ImportOptions, import};

fuzz_target!(|data: &[u8]| {
    let options = ImportOptions {
        format: Some(Format::FrabXml),
        timezone: Some("Europe/Berlin".to_string()),
        ..ImportOptions::default()
    };
    if let Ok(imported) = import(data, &options) {
        imported
            .bundle
            .validate()
            .expect("an imported bundle is valid");
    }
    // Detection reads every format's markers: it must not panic either.
    let _ = marktplatz_import::detect(data);
});
