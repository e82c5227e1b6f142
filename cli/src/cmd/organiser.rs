//! `marktplatz organiser login|logout|status`: organiser mode on a device folder. The token is
//! checked with the server before it is kept (in `credentials.json`, mode 0600, beside the
//! databases; user.db keeps only the server), and never printed back.

use std::path::PathBuf;

use marktplatz_core::sync;
use marktplatz_core::sync::Client;

use super::credentials::TokenArgs;
use super::device::{self, Target};
use super::server;
use crate::error::{CliError, CmdResult, Exit};
use crate::i18n::messages as msg;
use crate::out;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(clap::Subcommand)]
enum Action {
    /// Check an organiser token with the server and keep it on this device (creates the
    /// device folder if needed).
    Login {
        /// The device folder (created if missing).
        #[arg(long, value_name = "DIR")]
        device: PathBuf,
        /// The server's base URL, e.g. http://127.0.0.1:8080.
        #[arg(long, value_name = "URL")]
        server: String,
        /// The event's id, e.g. egov-marktplatz-nordwest-2027.
        #[arg(long, value_name = "ID")]
        event: String,
        #[command(flatten)]
        token: TokenArgs,
        /// Keep the token even when the server cannot be reached to check it (it is checked
        /// on the first push).
        #[arg(long)]
        unchecked: bool,
    },
    /// Forget the token (queued operations stay).
    Logout {
        #[command(flatten)]
        target: Target,
    },
    /// Whether this device is in organiser mode for the event, and with which token id.
    Status {
        #[command(flatten)]
        target: Target,
    },
}

pub fn run(args: Args) -> CmdResult {
    match args.action {
        Action::Login {
            device,
            server,
            event,
            token,
            unchecked,
        } => login(&device, &server, &event, &token.resolve()?, unchecked),
        Action::Logout { target } => {
            let (store, event) = target.open()?;
            sync::forget_organiser(&store, &event)?;
            out!("{}", msg::logged_out(&event))
        }
        Action::Status { target } => {
            let (store, event) = target.open()?;
            match sync::organiser(&store, &event)? {
                Some(info) => out!(
                    "{}",
                    msg::organiser_status(&event, &info.server_url, &info.token_id)
                ),
                None => out!("{}", msg::not_organiser(&event)),
            }
        }
    }
}

fn login(
    device: &std::path::Path,
    server: &str,
    event: &str,
    token: &str,
    unchecked: bool,
) -> CmdResult {
    match server::block_on(check_token(server, event, token)) {
        Ok(()) => {}
        Err(error) if error.exit == Exit::Offline && unchecked => {
            crate::note!("{}", msg::token_not_checked(&error.message));
        }
        Err(error) if error.exit == Exit::Offline => {
            return Err(CliError::offline(msg::token_check_offline(&error.message)));
        }
        Err(error) => return Err(error),
    }
    let store = device::open_or_create(device)?;
    sync::set_organiser(&store, event, server, token)?;
    out!("{}", msg::logged_in(event, server))
}

/// Asks the server whether `token` may write to `event`, changing nothing: an operation
/// request without its Idempotency-Key is authenticated first (401 or 403 for a token that
/// may not write) and then refused for the missing key (400) before anything is read or
/// applied.
async fn check_token(server: &str, event: &str, token: &str) -> CmdResult {
    let client = Client::new(marktplatz_core::sync::ClientConfig::default())?;
    let url = format!("{}/v1/events/{event}/ops", server.trim_end_matches('/'));
    match marktplatz_core::sync::request::send_json(&client, "POST", &url, token, None).await {
        Err(marktplatz_core::Error::Server { status: 400, .. }) => Ok(()),
        Err(marktplatz_core::Error::Server {
            status: 401 | 403,
            code,
            ..
        }) => Err(CliError::refused(msg::token_refused(event, &code))),
        Err(error) => Err(error.into()),
        Ok(_) => Err(CliError::failure(msg::token_check_unexpected())),
    }
}
