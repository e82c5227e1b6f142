//! `marktplatz revert`: publishes again what release N published (as its source), as new
//! changes that devices sync forward; previewable (`--dry-run`) and guarded (`--yes`) like a
//! publish (ADR 0013).

use marktplatz_core::sync::CancelToken;
use marktplatz_publish::{Target, preview_revert, revert};

use super::credentials::ServerToken;
use super::publish::{Guard, unless_unconfirmed};
use super::server;
use crate::error::CmdResult;
use crate::i18n::messages as msg;
use crate::out;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    to: ServerToken,
    /// The event's id, e.g. egov-marktplatz-nordwest-2027.
    #[arg(long, value_name = "ID")]
    event: String,
    /// The release to restore (its number in `marktplatz releases`).
    #[arg(long = "to", value_name = "N")]
    release: u64,
    #[command(flatten)]
    guard: Guard,
    /// A note for the new release (default: "revert to release N").
    #[arg(long, value_name = "TEXT", default_value = "")]
    note: String,
}

pub fn run(args: Args) -> CmdResult {
    let token = args.to.token.resolve()?;
    let to = Target {
        server_url: &args.to.server,
        token: &token,
        event_id: &args.event,
        // The release names its source.
        source: "",
        note: &args.note,
        confirmed: args.guard.yes,
    };
    let release = args.release;
    let cancel = CancelToken::new();
    if args.guard.dry_run {
        let preview = server::block_on(async {
            let client = server::client()?;
            Ok(preview_revert(&client, &to, release, &cancel).await?)
        })?;
        return out!("{}", msg::revert_previewed(&args.event, release, &preview));
    }
    let outcome = server::block_on(async {
        let client = server::client()?;
        unless_unconfirmed(
            revert(&client, &to, release, &cancel).await,
            preview_revert(&client, &to, release, &cancel),
            |preview| msg::revert_needs_confirmation(&args.event, release, preview),
        )
        .await
    })?;
    out!("{}", msg::reverted(&args.event, release, &outcome))
}
