//! Reading a schedule file for `publish` and `import-check`: the native bundle or any format
//! the importers read (frab XML, schedule JSON, iCalendar, CSV, XLSX, ODS), with a size limit applied
//! before the file is loaded.

use std::io::Read;
use std::path::Path;

use chrono::NaiveDate;
use marktplatz_import::{self as import, Format, Import, ImportOptions};
use marktplatz_model::bundle::{BUNDLE_FORMAT, Bundle};

use crate::error::{CliError, CmdResult};
use crate::i18n::{errors, messages as msg};
use crate::parse;

// How to read a file that is not a native bundle (flattened into publish and import-check).
#[derive(clap::Args, Clone, Debug, Default)]
pub struct ImportArgs {
    /// Read the file as this format instead of detecting it (frab-xml, schedule-json,
    /// schedule2-json, ical, csv-sessions, csv-exhibitors, xlsx, ods).
    #[arg(long, value_name = "FORMAT", value_parser = parse_format)]
    pub format: Option<Format>,
    /// IANA timezone for files that name none (default Europe/Berlin).
    #[arg(long, value_name = "ZONE")]
    pub timezone: Option<String>,
    /// An event day (01.02.2027 or 2027-02-01) for files without dates, e.g. an exhibitor
    /// list; repeatable.
    #[arg(long = "day", value_name = "DATE", value_parser = parse::date)]
    pub days: Vec<NaiveDate>,
}

impl ImportArgs {
    pub fn options(&self, event_id: Option<&str>) -> ImportOptions {
        ImportOptions {
            format: self.format,
            event_id: event_id.map(str::to_string),
            timezone: self.timezone.clone(),
            days: self.days.clone(),
            ..ImportOptions::default()
        }
    }
}

pub fn parse_format(text: &str) -> Result<Format, String> {
    Format::parse(text).ok_or_else(|| {
        let names: Vec<&str> = Format::ALL.iter().map(|f| f.as_str()).collect();
        msg::bad_format(text, &names)
    })
}

/// What a schedule file held.
pub enum Loaded {
    Native(Bundle),
    Imported(Import),
}

impl Loaded {
    pub fn into_bundle(self) -> Bundle {
        match self {
            Loaded::Native(bundle) => bundle,
            Loaded::Imported(import) => import.bundle,
        }
    }
}

/// Loads a native bundle, or imports any other schedule format for event `event_id`.
pub fn load(path: &Path, event_id: Option<&str>, args: &ImportArgs) -> CmdResult<Loaded> {
    let options = args.options(event_id);
    let bytes = read_limited(path, options.max_bytes)?;
    let in_file = |error: marktplatz_model::Error| {
        let error = CliError::from(error);
        CliError::new(error.exit, format!("{}: {}", path.display(), error.message))
    };
    if args.format.is_none() && is_native_bundle(&bytes) {
        let text =
            std::str::from_utf8(&bytes).map_err(|_| CliError::invalid(msg::not_utf8(path)))?;
        let bundle = Bundle::from_json(text).map_err(in_file)?;
        return Ok(Loaded::Native(bundle));
    }
    let imported = import::import(&bytes, &options).map_err(in_file)?;
    Ok(Loaded::Imported(imported))
}

fn is_native_bundle(bytes: &[u8]) -> bool {
    #[derive(serde::Deserialize)]
    struct Marker {
        format: Option<String>,
    }
    serde_json::from_slice::<Marker>(bytes)
        .ok()
        .and_then(|m| m.format)
        .is_some_and(|f| f == BUNDLE_FORMAT)
}

/// Reads at most `limit` bytes, so a huge file is refused without loading it.
pub fn read_limited(path: &Path, limit: usize) -> CmdResult<Vec<u8>> {
    let file = std::fs::File::open(path)
        .map_err(|e| CliError::invalid(errors::io(&msg::reading(path), &e)))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    if size > limit as u64 {
        return Err(CliError::invalid(msg::file_too_large(path, size, limit)));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| CliError::invalid(errors::io(&msg::reading(path), &e)))?;
    Ok(bytes)
}
