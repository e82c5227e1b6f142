//! `marktplatz rotate-epoch`: starts a new epoch for an event (`--event ID`) or for every event
//! (`--all-events`) on a server's data directory. After restoring an older backup the seqs
//! count up again from the backup's head, so a device that synced past it would take new
//! changes for ones it has and miss them, and caches would hold "immutable" pages of the same
//! epoch: a new epoch makes every device start over (the sync protocol's 409), and every
//! cached page's URL changes. Run it on the restored data before the servers start
//! (`docs/deploy/README.md`): a running server keeps the heads in memory and would go on
//! serving the old epoch, so on SQLite the data directory's serve lock is taken (status 6
//! while a server runs on it).

use super::store_args::StoreArgs;
use crate::error::{CliError, CmdResult};
use crate::i18n::messages as msg;
use crate::out;

#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("which").required(true).args(["event", "all_events"])))]
pub struct Args {
    #[command(flatten)]
    store: StoreArgs,
    /// The event whose epoch to rotate.
    #[arg(long, value_name = "ID")]
    event: Option<String>,
    /// Rotate every event's epoch (what a restore needs).
    #[arg(long)]
    all_events: bool,
}

pub fn run(args: Args) -> CmdResult {
    // Opening a directory without a database would make an empty one and rotate nothing.
    let StoreArgs { data, database } = &args.store;
    if database.is_none() && !data.join(marktplatz_server::store::DB_FILE).is_file() {
        return Err(CliError::invalid(msg::not_a_data_dir(data)));
    }
    let _lock = match database {
        None => Some(super::serve::lock(data)?),
        Some(_) => None,
    };
    let admin = args.store.open()?;
    let rotated = match &args.event {
        Some(event) => vec![(event.clone(), admin.rotate_epoch(event)?)],
        None => admin.rotate_all_epochs()?,
    };
    if rotated.is_empty() {
        return out!("{}", msg::no_events_to_rotate());
    }
    for (event, epoch) in &rotated {
        out!("{}", msg::epoch_rotated(event, epoch))?;
    }
    Ok(())
}
