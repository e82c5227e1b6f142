//! `marktplatz demo`: loads the embedded demo event into a temporary device store and tours it.

use super::CmdResult;

#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> CmdResult {
    Err("the demo is not built yet".into())
}
