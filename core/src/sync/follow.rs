//! Following an event: a loop that holds one long-poll of the tail page (`?wait=N`, see the
//! server's `http/long_poll.rs`) and applies each answer exactly as a sync does ([`pull`]: the
//! same page transaction, the same hooks and alerts). Errors and the server's limits back off
//! (its `Retry-After`, else exponential with jitter), and so does a pull that spent its
//! budget (`budget.rs`): never a tight loop. Cancelling the token
//! stops it between requests or mid-request; a page already received is applied first.
//! See `docs/adr/0014-live-updates-and-push.md`.

use std::time::Duration;

use super::cancel::CancelToken;
use super::client::Client;
use super::pull::{PullHooks, PullOptions, PullReport, pull};
use crate::error::{Error, Result};
use crate::store::Store;

/// How long the server holds a long-poll at most (ElectricSQL's live mode: 20 s).
pub const MAX_WAIT: Duration = Duration::from_secs(20);

#[derive(Clone)]
pub struct FollowOptions {
    pub cancel: CancelToken,
    /// Longest hold asked for; kept below the client's read timeout.
    pub wait: Duration,
    /// First pause after a failure; doubles up to `max_backoff`.
    pub first_backoff: Duration,
    pub max_backoff: Duration,
}

impl Default for FollowOptions {
    fn default() -> FollowOptions {
        FollowOptions {
            cancel: CancelToken::new(),
            wait: MAX_WAIT,
            first_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(60),
        }
    }
}

/// The hold to ask for: `wanted`, at most [`MAX_WAIT`], and a few seconds under the client's
/// read timeout (a hold the client gives up on first would look like a dropped connection).
pub fn hold_for(wanted: Duration, read_timeout: Duration) -> Duration {
    let margin = (read_timeout / 4).min(Duration::from_secs(5));
    wanted
        .min(MAX_WAIT)
        .min(read_timeout.saturating_sub(margin))
}

/// What a follower is told: an answer applied something, or it is pausing after an error
/// (which it will get past by itself).
#[derive(Debug)]
pub enum Followed<'a> {
    Applied(&'a PullReport),
    BackingOff { error: &'a Error, pause: Duration },
}

/// Follows `event_id` until `options.cancel` is cancelled (then `Ok`). `told` hears of every
/// answer that applied something and of every pause after an error. Only errors that following cannot get past end it:
/// not the network, the server's limits or its restarts (those back off and try again).
pub async fn follow(
    client: &Client,
    store: &Store,
    server_url: &str,
    event_id: &str,
    options: &FollowOptions,
    hooks: &dyn PullHooks,
    told: &(dyn Fn(Followed<'_>) + Send + Sync),
) -> Result<()> {
    let wait = hold_for(options.wait, client.config().read_timeout);
    let pull_options = PullOptions {
        cancel: options.cancel.clone(),
        wait: Some(wait),
        ..PullOptions::default()
    };
    let mut failures: u32 = 0;
    loop {
        match pull(client, store, server_url, event_id, &pull_options, hooks).await {
            Ok(report) if report.budget_spent => {
                // A server that never stops sending pages: keep what came, and pause as after
                // a failure (longer each time it repeats) rather than pull again at once.
                told(Followed::Applied(&report));
                let pause = backoff(failures, options);
                failures = failures.saturating_add(1);
                match options.cancel.sleep(pause).await {
                    Err(Error::Cancelled) => return Ok(()),
                    other => other?,
                }
            }
            Ok(report) => {
                failures = 0;
                if report.pages > 0 || report.rebootstrapped {
                    told(Followed::Applied(&report));
                }
            }
            Err(Error::Cancelled) => return Ok(()),
            Err(error) if keeps_following(&error) => {
                let pause = pause_after(&error, failures, options);
                failures = failures.saturating_add(1);
                told(Followed::BackingOff {
                    error: &error,
                    pause,
                });
                match options.cancel.sleep(pause).await {
                    Err(Error::Cancelled) => return Ok(()),
                    other => other?,
                }
            }
            Err(error) => return Err(error),
        }
        if options.cancel.is_cancelled() {
            return Ok(());
        }
    }
}

/// Network trouble, timeouts, limits and server errors pass; a refusal (no access, unknown
/// event) or a broken store does not.
fn keeps_following(error: &Error) -> bool {
    super::retry::is_transient(error) || matches!(error, Error::Protocol(_))
}

/// The server's `Retry-After` when it sent one, else exponential backoff with jitter.
fn pause_after(error: &Error, failures: u32, options: &FollowOptions) -> Duration {
    if let Error::Server {
        retry_after: Some(seconds),
        ..
    } = error
    {
        return Duration::from_secs(*seconds).min(options.max_backoff.max(Duration::from_secs(1)));
    }
    backoff(failures, options)
}

/// Exponential backoff with jitter after `failures` failures in a row.
fn backoff(failures: u32, options: &FollowOptions) -> Duration {
    let step = options
        .first_backoff
        .saturating_mul(1u32 << failures.min(16))
        .min(options.max_backoff);
    let half = step / 2;
    half + half.mul_f64(rand::random::<f64>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hold_stays_under_the_read_timeout() {
        let s = Duration::from_secs;
        assert_eq!(hold_for(s(20), s(20)), s(15));
        assert_eq!(hold_for(s(20), s(60)), s(20));
        assert_eq!(hold_for(s(5), s(60)), s(5));
        assert_eq!(hold_for(s(20), s(8)), s(6));
    }

    #[test]
    fn failures_back_off_and_retry_after_is_honoured() {
        let options = FollowOptions::default();
        let offline = Error::Protocol("x".into());
        assert!(pause_after(&offline, 0, &options) >= Duration::from_millis(500));
        assert!(pause_after(&offline, 10, &options) >= Duration::from_secs(30));
        let limited = Error::Server {
            url: "http://127.0.0.1/v1/events/e/follow".into(),
            status: 429,
            code: "rate_limited".into(),
            message: "wait".into(),
            retry_after: Some(7),
        };
        assert_eq!(pause_after(&limited, 0, &options), Duration::from_secs(7));
    }
}
