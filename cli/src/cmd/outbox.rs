//! `marktplatz outbox`: the organiser's operations on this device and where each stands.

use std::path::PathBuf;

use super::organiser::describe;
use super::{CmdResult, device};

#[derive(clap::Args)]
pub struct Args {
    #[arg(long)]
    device: PathBuf,
    #[arg(long)]
    event: Option<String>,
    /// Also list the operations the content already includes.
    #[arg(long)]
    all: bool,
    #[arg(long)]
    json: bool,
    /// Remove a rejected (or never sent) operation.
    #[arg(long, value_name = "ID")]
    dismiss: Option<i64>,
    /// Send a rejected operation again, over the server's current version.
    #[arg(long, value_name = "ID", conflicts_with = "dismiss")]
    retry: Option<i64>,
}

pub fn run(args: Args) -> CmdResult {
    let store = device::open(&args.device)?;
    let event = device::resolve_event(&store, args.event.as_deref())?;
    if let Some(id) = args.dismiss {
        store.dismiss_op(id)?;
        println!("removed #{id}");
        return Ok(());
    }
    if let Some(id) = args.retry {
        let entry = store.retry_rejected(id)?;
        println!("queued again as #{}", entry.id);
        return Ok(());
    }
    let entries = store.outbox(&event, args.all)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&entries)?);
        return Ok(());
    }
    if entries.is_empty() {
        println!("the outbox of {event} is empty");
    }
    for entry in &entries {
        let (kind, id) = entry.op.target();
        println!(
            "#{:<4} {:<20} {kind} '{id}': {}",
            entry.id,
            entry.op.name(),
            describe(entry)
        );
    }
    Ok(())
}
