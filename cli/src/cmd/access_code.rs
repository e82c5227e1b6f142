//! `marktplatz access-code`: on a server's data directory, makes an event readable only with a
//! code (`--code C`), or public again (`--clear`). Devices then sync with
//! `marktplatz sync --access-code C` (stored on the device for later syncs). On a running
//! server the same is `marktplatz admin access-code` over HTTP.

use super::store_args::StoreArgs;
use super::token::CodeArgs;
use crate::error::CmdResult;
use crate::i18n::messages as msg;
use crate::out;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    store: StoreArgs,
    #[command(flatten)]
    code: CodeArgs,
}

pub fn run(args: Args) -> CmdResult {
    let admin = args.store.open()?;
    let CodeArgs { event, code, .. } = &args.code;
    let had_code = admin.set_access_code(event, code.as_deref())?;
    out!("{}", msg::access_code_set(event, code.is_some(), had_code))
}
