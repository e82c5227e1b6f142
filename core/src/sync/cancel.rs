//! Explicit cancellation: the shells cancel a sync (user left the screen, app backgrounded).
//! Checked between pages and raced against every network wait; a page being applied is never
//! interrupted, so a cancelled sync leaves the last committed page and its cursor.

use std::future::Future;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use crate::error::{Error, Result};

#[derive(Clone, Debug, Default)]
pub struct CancelToken(CancellationToken);

impl CancelToken {
    pub fn new() -> CancelToken {
        CancelToken::default()
    }

    pub fn cancel(&self) {
        self.0.cancel();
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.is_cancelled()
    }

    /// `Err(Cancelled)` once cancelled.
    pub fn check(&self) -> Result<()> {
        if self.is_cancelled() {
            Err(Error::Cancelled)
        } else {
            Ok(())
        }
    }

    /// Runs `work` unless cancelled first; dropping it mid-way is safe (network only).
    pub async fn run<F: Future>(&self, work: F) -> Result<F::Output> {
        tokio::select! {
            biased;
            _ = self.0.cancelled() => Err(Error::Cancelled),
            output = work => Ok(output),
        }
    }

    pub async fn sleep(&self, duration: Duration) -> Result<()> {
        self.run(tokio::time::sleep(duration)).await
    }
}
