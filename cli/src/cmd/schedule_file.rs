//! Reading a schedule file for `publish` and `import-check`: the native bundle or any format
//! the importers read (frab XML, schedule JSON, iCalendar, CSV), with a size limit applied
//! before the file is loaded.

use std::io::Read;
use std::path::Path;

use chrono::NaiveDate;
use marktplatz_import::{self as import, Format, Import, ImportOptions};
use marktplatz_model::bundle::{BUNDLE_FORMAT, Bundle};

/// How to read a file that is not a native bundle.
#[derive(clap::Args, Clone, Debug, Default)]
pub struct ImportArgs {
    /// Read the file as this format instead of detecting it (frab-xml, schedule-json,
    /// schedule2-json, ical, csv-sessions, csv-exhibitors).
    #[arg(long, value_parser = parse_format)]
    pub format: Option<Format>,
    /// IANA timezone for files that name none (default Europe/Berlin).
    #[arg(long)]
    pub timezone: Option<String>,
    /// An event day (YYYY-MM-DD) for files without dates, e.g. an exhibitor list; repeatable.
    #[arg(long = "day")]
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
        format!("unknown format '{text}'; use one of {}", names.join(", "))
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
pub fn load(
    path: &Path,
    event_id: Option<&str>,
    args: &ImportArgs,
) -> Result<Loaded, Box<dyn std::error::Error>> {
    let options = args.options(event_id);
    let bytes = read_limited(path, options.max_bytes)?;
    if args.format.is_none() && is_native_bundle(&bytes) {
        let text = std::str::from_utf8(&bytes)
            .map_err(|e| format!("{}: the bundle is not UTF-8 ({e})", path.display()))?;
        let bundle = Bundle::from_json(text).map_err(|e| format!("{}: {e}", path.display()))?;
        return Ok(Loaded::Native(bundle));
    }
    let imported =
        import::import(&bytes, &options).map_err(|e| format!("{}: {e}", path.display()))?;
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
pub fn read_limited(path: &Path, limit: usize) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
    let file =
        std::fs::File::open(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    if size > limit as u64 {
        return Err(format!(
            "{}: {}",
            path.display(),
            import::too_large_message(size, limit)
        )
        .into());
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(bytes)
}
