//! `marktplatz push`: send the organiser's queued operations now.

use std::path::PathBuf;

use marktplatz_core::sync::PushStop;

use super::organiser::{print_push, push_now};
use super::{CmdResult, device};

#[derive(clap::Args)]
pub struct Args {
    #[arg(long)]
    device: PathBuf,
    #[arg(long)]
    event: Option<String>,
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> CmdResult {
    let store = device::open(&args.device)?;
    let event = device::resolve_event(&store, args.event.as_deref())?;
    let report = push_now(&store, &event)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_push(&report);
    }
    match report.stopped {
        Some(PushStop::Unauthorized(m)) => Err(format!("the server refused the token: {m}").into()),
        Some(PushStop::Offline(m)) => Err(format!("not everything was sent: {m}").into()),
        None => Ok(()),
    }
}
