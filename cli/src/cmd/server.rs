//! Talking to a server from a command: one small runtime per command, the core's client.

use std::future::Future;

use marktplatz_core::sync::{Client, ClientConfig};

use crate::error::{CliError, CmdResult};

/// Runs one future to completion on a current-thread runtime.
pub fn block_on<T>(work: impl Future<Output = CmdResult<T>>) -> CmdResult<T> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(CliError::from)?;
    runtime.block_on(work)
}

pub fn client() -> CmdResult<Client> {
    Ok(Client::new(ClientConfig::default())?)
}
