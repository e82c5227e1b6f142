//! Retries with exponential backoff and jitter, honouring the server's `Retry-After`.

use std::future::Future;
use std::time::Duration;

use super::cancel::CancelToken;
use crate::error::{Error, Result};

#[derive(Clone, Debug)]
pub struct RetryPolicy {
    /// Tries in all (1 = no retry).
    pub attempts: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
    /// A `Retry-After` longer than this is not waited for: the error is returned (with its
    /// `retry_after`) so the app can schedule the next sync instead of holding a request open.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> RetryPolicy {
        RetryPolicy {
            attempts: 4,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(10),
            max_retry_after: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    pub fn none() -> RetryPolicy {
        RetryPolicy {
            attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// "Equal jitter": half the exponential step plus a random part of the other half, so
    /// devices that lost signal together do not come back in lockstep.
    fn backoff(&self, attempt: u32) -> Duration {
        let step = self
            .base_delay
            .saturating_mul(1u32 << attempt.min(16))
            .min(self.max_delay);
        let half = step / 2;
        half + half.mul_f64(rand::random::<f64>())
    }
}

/// Whether trying again may help: network trouble, timeouts, 408, 429 and 5xx (not 501).
pub fn is_transient(error: &Error) -> bool {
    match error {
        Error::Offline { .. } | Error::Timeout { .. } => true,
        Error::Server { status, .. } => {
            matches!(*status, 408 | 429) || (*status >= 500 && *status != 501)
        }
        _ => false,
    }
}

/// Runs `operation` until it succeeds or fails for good: transient errors ([`is_transient`])
/// are tried again up to `policy.attempts` times, with backoff or the server's `Retry-After`.
pub async fn with_retry<T, F, Fut>(
    policy: &RetryPolicy,
    cancel: &CancelToken,
    mut operation: F,
) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T>>,
{
    let mut attempt = 0;
    loop {
        cancel.check()?;
        attempt += 1;
        let error = match cancel.run(operation()).await? {
            Ok(value) => return Ok(value),
            Err(error) => error,
        };
        if attempt >= policy.attempts || !is_transient(&error) {
            return Err(error);
        }
        let delay = match &error {
            Error::Server {
                retry_after: Some(seconds),
                ..
            } => {
                let wait = Duration::from_secs(*seconds);
                if wait > policy.max_retry_after {
                    return Err(error);
                }
                wait
            }
            _ => policy.backoff(attempt - 1),
        };
        cancel.sleep(delay).await?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    fn server(status: u16, retry_after: Option<u64>) -> Error {
        Error::Server {
            url: "http://127.0.0.1/x".into(),
            status,
            code: "x".into(),
            message: "x".into(),
            retry_after,
        }
    }

    fn fast() -> RetryPolicy {
        RetryPolicy {
            attempts: 3,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(4),
            max_retry_after: Duration::from_secs(1),
        }
    }

    #[tokio::test]
    async fn retries_transient_errors_then_succeeds() {
        let calls = AtomicU32::new(0);
        let result = with_retry(&fast(), &CancelToken::new(), || async {
            if calls.fetch_add(1, Ordering::SeqCst) < 2 {
                Err(server(503, None))
            } else {
                Ok(7)
            }
        })
        .await;
        assert_eq!(result.unwrap(), 7);
        assert_eq!(calls.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn does_not_retry_client_errors_or_long_retry_after() {
        let calls = AtomicU32::new(0);
        let result: Result<()> = with_retry(&fast(), &CancelToken::new(), || async {
            calls.fetch_add(1, Ordering::SeqCst);
            Err(server(404, None))
        })
        .await;
        assert!(matches!(result, Err(Error::Server { status: 404, .. })));
        assert_eq!(calls.load(Ordering::SeqCst), 1);

        let calls = AtomicU32::new(0);
        let result: Result<()> = with_retry(&fast(), &CancelToken::new(), || async {
            calls.fetch_add(1, Ordering::SeqCst);
            Err(server(429, Some(120)))
        })
        .await;
        assert!(matches!(
            result,
            Err(Error::Server {
                retry_after: Some(120),
                ..
            })
        ));
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn backoff_grows_within_bounds() {
        let policy = RetryPolicy::default();
        for attempt in 0..10 {
            let delay = policy.backoff(attempt);
            assert!(delay <= policy.max_delay);
            let step = policy
                .base_delay
                .saturating_mul(1 << attempt)
                .min(policy.max_delay);
            assert!(delay >= step / 2);
        }
    }
}
