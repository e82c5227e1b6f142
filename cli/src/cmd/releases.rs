//! `marktplatz releases`: every publish of an event, newest first (number, time, who, source,
//! note, the summary of its diff; ADR 0013).

use marktplatz_core::sync::CancelToken;
use marktplatz_publish::releases;

use super::credentials::ServerToken;
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
}

pub fn run(args: Args) -> CmdResult {
    let token = args.to.token.resolve()?;
    let list = server::block_on(async {
        let client = server::client()?;
        Ok(releases(
            &client,
            &args.to.server,
            &token,
            &args.event,
            &CancelToken::new(),
        )
        .await?)
    })?;
    if list.releases.is_empty() {
        return out!("{}", msg::no_releases(&args.event));
    }
    for release in &list.releases {
        out!("{}", msg::release_line(release))?;
    }
    Ok(())
}
