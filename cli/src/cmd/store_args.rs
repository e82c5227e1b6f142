//! `--data DIR [--database URL]`: a server's data, for the commands that work on it directly
//! (`token revoke`, `token list`, `access-code`, `rotate-epoch`).

use std::path::PathBuf;

use marktplatz_server::Admin;

use crate::error::CmdResult;

#[derive(clap::Args)]
pub struct StoreArgs {
    /// The server's data directory (as given to `marktplatz serve --data`).
    #[arg(long, value_name = "DIR")]
    pub data: PathBuf,
    /// A PostgreSQL database instead of DIR/marktplatz.db (postgres://user:password@host/db,
    /// ADR 0021); DIR then holds only the asset cache. Several servers may share one.
    #[arg(long, value_name = "URL")]
    pub database: Option<String>,
}

impl StoreArgs {
    pub fn open(&self) -> CmdResult<Admin> {
        Ok(Admin::open_with(&self.data, self.database.as_deref())?)
    }
}
