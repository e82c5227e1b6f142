//! `marktplatz outbox`: the organiser's operations on this device and where each stands.

use super::device::Target;
use super::write::{describe_op, describe_state};
use crate::error::CmdResult;
use crate::i18n::messages as msg;
use crate::out;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    target: Target,
    /// Also list the operations the content already includes.
    #[arg(long)]
    all: bool,
    /// Print the outbox as JSON.
    #[arg(long)]
    json: bool,
    /// Remove a rejected (or never sent) operation.
    #[arg(long, value_name = "NUMBER")]
    dismiss: Option<i64>,
    /// Send a rejected operation again, over the server's current version.
    #[arg(long, value_name = "NUMBER", conflicts_with = "dismiss")]
    retry: Option<i64>,
}

pub fn run(args: Args) -> CmdResult {
    let (store, event) = args.target.open()?;
    if let Some(id) = args.dismiss {
        store.dismiss_op(id)?;
        return out!("{}", msg::dismissed(id));
    }
    if let Some(id) = args.retry {
        let entry = store.retry_rejected(id)?;
        return out!("{}", msg::queued_again(entry.id));
    }
    let entries = store.outbox(&event, args.all)?;
    if args.json {
        return crate::out::json(&entries);
    }
    if entries.is_empty() {
        out!("{}", msg::outbox_empty(&event))?;
    }
    for entry in &entries {
        out!(
            "#{:<4} {}: {}",
            entry.id,
            describe_op(&store, &event, &entry.op),
            describe_state(entry)
        )?;
    }
    Ok(())
}
