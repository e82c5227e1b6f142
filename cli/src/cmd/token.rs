//! `marktplatz token`: creates a bearer token for an event (and the event, if new).

use std::path::PathBuf;

use super::CmdResult;

#[derive(clap::Args)]
pub struct Args {
    /// The server's data directory.
    #[arg(long)]
    data: PathBuf,
    /// The event the token is for (created if new).
    #[arg(long)]
    event: String,
    /// What the token may do: `organiser` publishes the event's content.
    #[arg(long, default_value = "organiser")]
    role: String,
}

pub fn run(args: Args) -> CmdResult {
    let admin = marktplatz_server::Admin::open(&args.data)?;
    let token = admin
        .create_token(&args.event, &args.role)
        .map_err(|e| format!("{} ({})", e.message, e.code))?;
    println!("{token}");
    Ok(())
}
