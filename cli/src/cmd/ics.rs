//! `marktplatz ics`: iCalendar export (favourites, one session or the whole programme).

use std::io::Write;
use std::path::PathBuf;

use chrono::Utc;
use marktplatz_core::favourites;
use marktplatz_core::favourites::CalendarSelection;

use super::{CmdResult, device};

#[derive(clap::Args)]
pub struct Args {
    /// The device's store folder.
    #[arg(long)]
    device: PathBuf,
    /// The event (needed only when the device holds several).
    #[arg(long)]
    event: Option<String>,
    /// Only my favourites (default: the whole programme).
    #[arg(long, conflicts_with = "session")]
    favourites: bool,
    /// Only this session.
    #[arg(long)]
    session: Option<String>,
    /// Write to this file instead of standard output.
    #[arg(long)]
    out: Option<PathBuf>,
}

pub fn run(args: Args) -> CmdResult {
    let store = device::open(&args.device)?;
    let event_id = device::resolve_event(&store, args.event.as_deref())?;
    let selection = match (args.favourites, args.session) {
        (_, Some(id)) => CalendarSelection::Session(id),
        (true, None) => CalendarSelection::Favourites,
        (false, None) => CalendarSelection::Programme,
    };
    let calendar = favourites::export_calendar(&store, &event_id, &selection, Utc::now())?;
    match args.out {
        Some(path) => std::fs::write(&path, calendar)
            .map_err(|e| format!("writing {}: {e}", path.display()))?,
        None => std::io::stdout().write_all(calendar.as_bytes())?,
    }
    Ok(())
}
