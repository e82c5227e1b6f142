//! `marktplatz backup`: a consistent copy of a server's data directory, also while the server
//! runs (the database through SQLite's online backup API, the assets checked against their
//! hashes). The copy is itself a data directory: restore by serving it (`docs/deploy/`).

use std::path::PathBuf;

use marktplatz_server::store::backup::{self, BackupError};

use crate::error::{CliError, CmdResult};
use crate::i18n::messages as msg;
use crate::out;

#[derive(clap::Args)]
pub struct Args {
    /// The server's data directory (as given to `marktplatz serve --data`); it may be running.
    #[arg(long, value_name = "DIR")]
    data: PathBuf,
    /// A new or empty directory for the copy (a data directory `serve --data` opens).
    #[arg(long, value_name = "DEST")]
    to: PathBuf,
}

pub fn run(args: Args) -> CmdResult {
    let report = backup::backup(&args.data, &args.to).map_err(|e| error(&e))?;
    out!(
        "{}",
        msg::backed_up(
            &args.to,
            report.db_bytes,
            report.steps,
            report.assets,
            report.asset_bytes,
        )
    )
}

/// What the operator got wrong exits 3; what failed while copying exits 1.
fn error(error: &BackupError) -> CliError {
    let message = msg::backup_failed(&error.to_string());
    match error {
        BackupError::NotADataDir(_)
        | BackupError::NotADatabase { .. }
        | BackupError::DestNotEmpty(_) => CliError::invalid(message),
        _ => CliError::failure(message),
    }
}
