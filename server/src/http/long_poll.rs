//! The long-poll form of the tail page: `GET changes/{epoch}/{since}?wait=N` is held until the
//! event's head passes `since` or `N` seconds (at most `long_poll_max_wait`) pass, then
//! answered like the plain request (the page, or the unchanged answer).
//!
//! Waiting costs no thread: the request parks on the event's waker (`cache::heads`), which a
//! write to that event's log wakes. Limits on held requests per address and in total answer
//! 429 with `Retry-After`. Every answer names the next cursor bucket (`Marktplatz-Cursor`), which
//! the client puts in its next URL (`&cursor=B`): all followers of an event then ask for the
//! same URL at once (a caching proxy collapses them), yet never for a URL whose unchanged
//! answer a cache still holds (which would spin them). See `docs/adr/0014-live-updates-and-push.md`.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::extract::FromRequestParts;
use axum::http::Extensions;
use axum::http::request::Parts;
use axum::http::{HeaderValue, Uri};
use axum::response::Response;
use tokio::time::Instant;

use super::error::{ApiError, ApiResult};
use super::rate_limit::{client_ip, client_key, too_many};
use crate::cache::Heads;

/// The response header naming the cursor bucket for the next long-poll.
pub const CURSOR_HEADER: &str = "marktplatz-cursor";

/// How long a cursor bucket lasts: the longest hold, so one bucket spans one round of polls.
const BUCKET_SECS: u64 = 20;

/// Seconds a client asked over the limits should wait before asking again.
const RETRY_AFTER_SECS: u64 = 5;

/// The client's address as limits see it (its IPv4 address or IPv6 /64).
pub struct ClientKey(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientKey {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> ApiResult<ClientKey> {
        Ok(ClientKey(client_key(client_ip(&parts.extensions))))
    }
}

/// Whether `uri` asks to be held (`wait=` in its query). Such requests bypass the page cache:
/// each must be counted against the limits and park on its own, and an unchanged answer kept
/// in memory would be handed straight back to the next identical long-poll.
pub fn is_long_poll(uri: &Uri) -> bool {
    uri.query()
        .is_some_and(|query| query.split('&').any(|pair| pair.starts_with("wait=")))
}

/// Marks a long-poll that `held_polls` holds outside the middleware stack: the handler admits
/// it (limits, access gate and all checks already passed) and hands the hold back in a
/// [`HeldPoll`] instead of waiting inside the stack's futures.
#[derive(Clone, Copy)]
pub struct HoldOutside;

/// Marks the second pass of a long-poll held outside: its hold has ended, answer it now.
#[derive(Clone, Copy)]
pub struct HoldEnded;

/// How the handler should treat a long-poll (from the request's extensions).
pub enum HoldMode {
    /// Hold it in the handler (no `held_polls` around the router).
    Inline,
    /// Admit it and hand the hold back (`HeldPoll`).
    Outside,
    /// The hold ended: answer as a woken long-poll.
    Ended,
}

impl<S: Send + Sync> FromRequestParts<S> for HoldMode {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> ApiResult<HoldMode> {
        Ok(hold_mode(&parts.extensions))
    }
}

fn hold_mode(extensions: &Extensions) -> HoldMode {
    if extensions.get::<HoldEnded>().is_some() {
        HoldMode::Ended
    } else if extensions.get::<HoldOutside>().is_some() {
        HoldMode::Outside
    } else {
        HoldMode::Inline
    }
}

/// What a held long-poll waits for, and its admitted place: all `held_polls` keeps while it
/// waits (a few dozen bytes and the request head, not the middleware's futures).
pub struct Hold {
    pub heads: Arc<Heads>,
    pub event: String,
    pub epoch: String,
    pub since: u64,
    pub wait: Duration,
    pub slot: WaitSlot,
}

/// A response extension carrying an admitted [`Hold`] out of the stack (extensions must be
/// `Clone`; the hold is taken exactly once).
#[derive(Clone)]
pub struct HeldPoll(Arc<Mutex<Option<Hold>>>);

impl HeldPoll {
    pub fn new(hold: Hold) -> HeldPoll {
        HeldPoll(Arc::new(Mutex::new(Some(hold))))
    }

    pub fn take(&self) -> Option<Hold> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).take()
    }
}

/// How long a request asks to be held: `?wait=N` seconds, capped at `max`.
pub fn requested_wait(wait: Option<&str>, max: Duration) -> ApiResult<Option<Duration>> {
    let Some(text) = wait else {
        return Ok(None);
    };
    let seconds: u64 = text.parse().map_err(|_| {
        ApiError::bad_request(format!("wait must be a number of seconds, not '{text}'"))
    })?;
    Ok((seconds > 0).then(|| Duration::from_secs(seconds).min(max)))
}

/// Held long-polls, counted per address and in total.
#[derive(Default)]
pub struct Waiters {
    total: AtomicUsize,
    per_key: Mutex<HashMap<IpAddr, usize>>,
}

/// One held long-poll; releases its place when dropped (answered or cut).
pub struct WaitSlot {
    waiters: Arc<Waiters>,
    key: IpAddr,
}

impl Waiters {
    /// A place for one more held request from `key`, or the 429 saying when to come back.
    pub fn admit(
        self: &Arc<Self>,
        key: IpAddr,
        max_total: usize,
        max_per_key: usize,
    ) -> ApiResult<WaitSlot> {
        let mut per_key = self.per_key.lock().unwrap_or_else(PoisonError::into_inner);
        let held = per_key.get(&key).copied().unwrap_or(0);
        if held >= max_per_key {
            return Err(too_many(
                "too many waiting requests from this address; try again after the time in Retry-After",
                RETRY_AFTER_SECS,
            ));
        }
        if self.total.load(Ordering::Acquire) >= max_total {
            return Err(too_many(
                "too many waiting requests; try again after the time in Retry-After",
                RETRY_AFTER_SECS,
            ));
        }
        self.total.fetch_add(1, Ordering::AcqRel);
        per_key.insert(key, held + 1);
        Ok(WaitSlot {
            waiters: self.clone(),
            key,
        })
    }

    /// Long-polls held now.
    pub fn held(&self) -> usize {
        self.total.load(Ordering::Acquire)
    }
}

impl Drop for WaitSlot {
    fn drop(&mut self) {
        let mut per_key = self
            .waiters
            .per_key
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(held) = per_key.get_mut(&self.key) {
            *held -= 1;
            if *held == 0 {
                per_key.remove(&self.key);
            }
        }
        self.waiters.total.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Holds until the head of `event` is no longer (`epoch`, `since`) or `wait` has passed.
/// A write anywhere else never wakes it; a write to `event` always does.
pub async fn until_changed(
    heads: &Heads,
    event: &str,
    epoch: &str,
    since: u64,
    wait: Duration,
) -> ApiResult<()> {
    let deadline = Instant::now() + wait;
    let waker = heads.waker(event);
    loop {
        let notified = waker.notified();
        tokio::pin!(notified);
        // Registered before the head is read: a write committed after the read still wakes us.
        notified.as_mut().enable();
        // Boxed: a head read from the store is a large future, and this one waits small.
        let head = Box::pin(heads.current(event)).await?;
        if head.epoch != epoch || head.seq != since {
            return Ok(());
        }
        if tokio::time::timeout_at(deadline, notified).await.is_err() {
            return Ok(());
        }
    }
}

/// The cursor bucket a long-poll's answer names: the current 20-second bucket, or one past the
/// bucket the request carried when that is not behind (so the next URL is always new).
pub fn next_cursor(requested: Option<&str>) -> u64 {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    next_cursor_at(requested.and_then(|text| text.parse().ok()), now)
}

fn next_cursor_at(requested: Option<u64>, now_secs: u64) -> u64 {
    let bucket = now_secs / BUCKET_SECS;
    match requested {
        Some(asked) if asked >= bucket => asked.saturating_add(1),
        _ => bucket,
    }
}

/// Names `cursor` on a long-poll's answer.
pub fn with_cursor(mut response: Response, cursor: u64) -> Response {
    response
        .headers_mut()
        .insert(CURSOR_HEADER, HeaderValue::from(cursor));
    response
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_next_cursor_is_never_the_one_asked_with() {
        assert_eq!(next_cursor_at(None, 400), 20);
        assert_eq!(
            next_cursor_at(Some(19), 400),
            20,
            "behind: the current bucket"
        );
        assert_eq!(next_cursor_at(Some(20), 400), 21);
        assert_eq!(next_cursor_at(Some(25), 419), 26);
    }

    #[test]
    fn waits_are_capped_and_checked() {
        let max = Duration::from_secs(20);
        assert_eq!(requested_wait(None, max).unwrap(), None);
        assert_eq!(requested_wait(Some("0"), max).unwrap(), None);
        assert_eq!(
            requested_wait(Some("5"), max).unwrap(),
            Some(Duration::from_secs(5))
        );
        assert_eq!(requested_wait(Some("600"), max).unwrap(), Some(max));
        assert!(requested_wait(Some("soon"), max).is_err());
    }

    #[test]
    fn slots_are_limited_per_address_and_in_total_and_freed_on_drop() {
        let waiters = Arc::new(Waiters::default());
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        let first = waiters.admit(a, 3, 2).unwrap();
        let _second = waiters.admit(a, 3, 2).unwrap();
        assert!(waiters.admit(a, 3, 2).is_err(), "per address");
        let _third = waiters.admit(b, 3, 2).unwrap();
        assert!(waiters.admit(b, 3, 2).is_err(), "in total");
        drop(first);
        assert_eq!(waiters.held(), 2);
        waiters.admit(a, 3, 2).unwrap();
    }
}
