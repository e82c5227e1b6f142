//! `marktplatz ics`: iCalendar export (favourites, one session or the whole programme).

use std::path::PathBuf;

use chrono::Utc;
use marktplatz_core::favourites;
use marktplatz_core::favourites::CalendarSelection;

use super::device::Target;
use crate::error::{CliError, CmdResult};
use crate::i18n::{errors, messages as msg};
use crate::resolve;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    target: Target,
    /// Only my favourites (default: the whole programme).
    #[arg(long, conflicts_with = "session")]
    favourites: bool,
    /// Only this session: its id (`marktplatz agenda --ids`) or its title.
    #[arg(long, value_name = "SESSION")]
    session: Option<String>,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

pub fn run(args: Args) -> CmdResult {
    let (store, event_id) = args.target.open()?;
    let selection = match (args.favourites, args.session) {
        (_, Some(typed)) => {
            CalendarSelection::Session(resolve::session(&store, &event_id, &typed)?.id)
        }
        (true, None) => CalendarSelection::Favourites,
        (false, None) => CalendarSelection::Programme,
    };
    let calendar = favourites::export_calendar(&store, &event_id, &selection, Utc::now())?;
    match args.out {
        Some(path) => std::fs::write(&path, calendar)
            .map_err(|e| CliError::failure(errors::io(&msg::writing(&path), &e))),
        None => crate::out::bytes(calendar.as_bytes()),
    }
}
