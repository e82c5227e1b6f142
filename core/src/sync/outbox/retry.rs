//! When to try again after the network failed: backoff with jitter, capped.

use std::time::Duration;

use crate::error::Result;
use crate::store::Store;
use crate::store::outbox::delivery::mark_waiting;

/// Backoff between pushes that failed on the network.
#[derive(Clone, Debug)]
pub struct OutboxPolicy {
    pub first_retry: Duration,
    pub max_retry: Duration,
}

impl Default for OutboxPolicy {
    fn default() -> OutboxPolicy {
        OutboxPolicy {
            first_retry: Duration::from_secs(2),
            max_retry: Duration::from_secs(300),
        }
    }
}

impl OutboxPolicy {
    /// Equal jitter around `first_retry * 2^(attempts-1)`, capped.
    pub fn delay(&self, attempts: u32) -> Duration {
        let step = self
            .first_retry
            .saturating_mul(1u32 << attempts.saturating_sub(1).min(16))
            .min(self.max_retry);
        let half = step / 2;
        half + half.mul_f64(rand::random::<f64>())
    }
}

/// Puts the operation back to waiting after a failed try (its `attempts`-th), with the next try
/// for it and everything after it after the backoff.
pub(super) fn schedule_retry(
    store: &Store,
    event_id: &str,
    id: i64,
    attempts: u32,
    error: &str,
    policy: &OutboxPolicy,
) -> Result<()> {
    mark_waiting(store, event_id, id, error, policy.delay(attempts.max(1)))
}
