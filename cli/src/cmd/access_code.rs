//! `marktplatz access-code`: on a server's data directory, makes an event readable only with a
//! code (`--code C`), or public again (`--clear`). Devices then sync with
//! `marktplatz sync --access-code C` (stored on the device for later syncs).

use std::path::PathBuf;

use super::CmdResult;

#[derive(clap::Args)]
pub struct Args {
    /// The server's data directory.
    #[arg(long)]
    data: PathBuf,
    #[arg(long)]
    event: String,
    /// The code attendees enter (4 to 64 characters; only a salted hash of it is stored).
    #[arg(long, conflicts_with = "clear", required_unless_present = "clear")]
    code: Option<String>,
    /// Make the event public again.
    #[arg(long)]
    clear: bool,
}

pub fn run(args: Args) -> CmdResult {
    let admin = marktplatz_server::Admin::open(&args.data)?;
    let had_code = admin
        .set_access_code(&args.event, args.code.as_deref())
        .map_err(|e| format!("{} ({})", e.message, e.code))?;
    let event = &args.event;
    match (args.code.is_some(), had_code) {
        (true, false) => println!("event '{event}' is now read only with its access code"),
        (true, true) => {
            println!("event '{event}' has a new access code; the old one no longer works")
        }
        (false, true) => println!("event '{event}' is public again"),
        (false, false) => println!("event '{event}' was public already"),
    }
    Ok(())
}
