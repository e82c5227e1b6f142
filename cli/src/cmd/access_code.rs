//! `marktplatz access-code`: on a server's data directory, makes an event readable only with a
//! code (`--code C`), or public again (`--clear`). Devices then sync with
//! `marktplatz sync --access-code C` (stored on the device for later syncs). On a running
//! server the same is `marktplatz admin access-code` over HTTP.

use std::path::PathBuf;

use super::token::CodeArgs;
use crate::error::CmdResult;
use crate::i18n::messages as msg;
use crate::out;

#[derive(clap::Args)]
pub struct Args {
    /// The server's data directory.
    #[arg(long, value_name = "DIR")]
    data: PathBuf,
    /// A PostgreSQL database instead of DIR/marktplatz.db (postgres://user:password@host/db,
    /// ADR 0021); DIR then holds only the asset cache. Several servers may share one.
    #[arg(long, value_name = "URL")]
    database: Option<String>,
    #[command(flatten)]
    code: CodeArgs,
}

pub fn run(args: Args) -> CmdResult {
    let admin = marktplatz_server::Admin::open_with(&args.data, args.database.as_deref())?;
    let CodeArgs { event, code, .. } = &args.code;
    let had_code = admin.set_access_code(event, code.as_deref())?;
    out!("{}", msg::access_code_set(event, code.is_some(), had_code))
}
