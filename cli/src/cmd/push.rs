//! `marktplatz push`: send the organiser's queued operations now.

use marktplatz_core::sync;
use marktplatz_core::sync::PushStop;

use super::device::Target;
use super::write::{print_push, push_now};
use crate::error::{CliError, CmdResult};
use crate::i18n::messages as msg;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    target: Target,
    /// Print the push report as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> CmdResult {
    let (store, event) = args.target.open()?;
    if sync::organiser(&store, &event)?.is_none() {
        return Err(CliError::invalid(msg::not_logged_in(&event)));
    }
    let report = push_now(&store, &event)?;
    if args.json {
        crate::out::json(&report)?;
    } else {
        print_push(&report)?;
    }
    match &report.stopped {
        Some(PushStop::Unauthorized(reason)) => {
            Err(CliError::refused(msg::push_stopped_token(reason)))
        }
        Some(PushStop::Offline(reason)) => {
            Err(CliError::offline(msg::push_stopped_offline(reason)))
        }
        None if report.rejected > 0 => Err(CliError::refused(msg::some_rejected(report.rejected))),
        None => Ok(()),
    }
}
