//! The organiser's outbox: operations made on this device, kept in `user.db` until the pulled
//! content includes them.
//!
//! - [`Store::queue_op`] stores an operation at once (it shows over the content right away,
//!   see `store::overlay`) with a fresh idempotency key and the entity version it was based on.
//!   The queue is the store's table (`store::outbox`); this module sends it.
//! - [`push`] sends the queue in order, one request per operation, each with its key: a retry
//!   after a timeout, a crash or a kill is answered by the server with the stored result, never
//!   applied twice. A refused operation is marked `rejected` (with the reason and the server's
//!   current version) and the queue goes on; a network failure stops the push and schedules the
//!   next try with backoff; a refused token (401/403) stops it and keeps everything queued.
//! - The pull marks accepted operations `done` once its cursor reaches their seq ([`settle`]).
//! - After each pull (`sync_event`) an organiser device asks the server which applied operations
//!   a later publish undid ([`refresh_overridden`]); those become `overridden` (with the
//!   release), never `done`.
//!
//! Who triggers a push: `sync_event` pushes first; the app calls [`push`] when connectivity
//! returns (the shells' network listener) and [`next_attempt_at`] says when to try again;
//! [`drain`] runs that loop in one task for apps and tests that want it done for them.
//! Decision record: `docs/adr/0006-organiser-ops.md`.
//!
//! Files: `send` one operation over HTTP, `retry` the backoff after a network failure, `photo`
//! a gallery photo or hall plan kept until it is uploaded; where operations go is `sync::organiser`.

mod overridden;
mod photo;
mod retry;
mod send;

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::cancel::CancelToken;
use super::client::Client;
use super::organiser::credential;
use crate::error::{Error, Result, SqliteContext};
use crate::failpoint;
use crate::store::outbox::delivery::{count_waiting, mark_accepted, mark_rejected, next_to_send};
use crate::store::{Store, read_sync_state};

pub use crate::store::outbox::delivery::{next_attempt_at, settle};
pub use crate::store::outbox::{OpState, OutboxEntry, Rejection};
pub use photo::{photo_path, queue_hall_plan, queue_photo};
pub use retry::OutboxPolicy;
use retry::schedule_retry;
use send::{Sent, send_one};

#[derive(Clone, Default)]
pub struct PushOptions {
    pub cancel: CancelToken,
    /// Only push if the earliest scheduled retry is due (a timer's call); otherwise now (the
    /// network came back, the organiser pressed "send").
    pub only_due: bool,
    pub policy: OutboxPolicy,
}

/// Why a push stopped before the queue was empty.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "reason", content = "message", rename_all = "snake_case")]
pub enum PushStop {
    /// The server could not be reached (or answered 5xx/429): retried later with backoff.
    Offline(String),
    /// The token was refused (revoked, expired, wrong event): nothing is lost; set a new one.
    Unauthorized(String),
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PushReport {
    /// Applied by the server now.
    pub accepted: u32,
    /// Of those, how many the server had applied before (a retry after a lost answer).
    pub replayed: u32,
    pub rejected: u32,
    /// Still waiting to be sent.
    pub remaining: u32,
    pub stopped: Option<PushStop>,
    pub next_attempt_at: Option<DateTime<Utc>>,
}

/// Asks the server which of this device's applied operations a later publish undid, and marks
/// them `overridden` (`docs/adr/0013-safe-publishing.md`). Nothing to do on a device that is
/// not an organiser of the event or has nothing applied. `Ok(Some(stop))`: the server could
/// not be asked now; the next sync asks again.
pub async fn refresh_overridden(
    client: &Client,
    store: &Store,
    event_id: &str,
    cancel: &CancelToken,
) -> Result<Option<PushStop>> {
    let Some(credential) = credential(store, event_id)? else {
        return Ok(None);
    };
    let base_url = credential.server_url.trim_end_matches('/');
    overridden::refresh(
        client,
        store,
        (base_url, &credential.token),
        event_id,
        cancel,
    )
    .await
}

/// Whether the device is an organiser of the event with operations waiting to be sent.
pub fn has_waiting(store: &Store, event_id: &str) -> Result<bool> {
    store.read_user(|tx| {
        tx.prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM outbox WHERE event_id = ?1 AND state IN ('pending', 'in_flight'))
                AND EXISTS (SELECT 1 FROM organiser WHERE event_id = ?1)",
        )
        .and_then(|mut s| s.query_row([event_id], |r| r.get::<_, bool>(0)))
        .context("reading the outbox")
    })
}

/// Sends the event's queued operations in order. See the module documentation.
pub async fn push(
    client: &Client,
    store: &Store,
    event_id: &str,
    options: &PushOptions,
) -> Result<PushReport> {
    let _one_at_a_time = store.push_lock().lock().await;
    let credential = credential(store, event_id)?.ok_or_else(|| {
        Error::invalid(
            "organiser",
            "token",
            format!("this device has no organiser token for event '{event_id}'"),
        )
    })?;
    let mut report = PushReport::default();
    if options.only_due
        && let Some(due) = next_attempt_at(store, event_id)?
        && due > Utc::now()
    {
        report.remaining = count_waiting(store, event_id)?;
        report.next_attempt_at = Some(due);
        return Ok(report);
    }
    let base_url = credential.server_url.trim_end_matches('/').to_string();
    loop {
        options.cancel.check()?;
        let Some(next) = next_to_send(store, event_id)? else {
            break;
        };
        let sent = send_one(client, store, &base_url, &credential.token, &next, options).await;
        match sent {
            Sent::Accepted { outcome, replayed } => {
                failpoint::hit("after_push_response");
                mark_accepted(store, next.id, &outcome)?;
                report.accepted += 1;
                report.replayed += u32::from(replayed);
            }
            Sent::Rejected(rejection) => {
                mark_rejected(store, next.id, &rejection)?;
                report.rejected += 1;
            }
            Sent::Waiting => {
                // The operation it builds on has not been answered: cannot happen in order,
                // but never send a guessed base.
                break;
            }
            Sent::Stopped(stop) => {
                let message = match &stop {
                    PushStop::Offline(m) | PushStop::Unauthorized(m) => m.clone(),
                };
                schedule_retry(
                    store,
                    event_id,
                    next.id,
                    next.attempts + 1,
                    &message,
                    &options.policy,
                )?;
                report.stopped = Some(stop);
                break;
            }
            Sent::Cancelled => {
                schedule_retry(
                    store,
                    event_id,
                    next.id,
                    next.attempts,
                    "cancelled",
                    &options.policy,
                )?;
                return Err(Error::Cancelled);
            }
        }
    }
    // Operations the content has already (a replay after the pull got there first).
    let cursor = store.read(|tx| read_sync_state(tx, event_id))?.cursor;
    settle(store, event_id, cursor)?;
    report.remaining = count_waiting(store, event_id)?;
    report.next_attempt_at = next_attempt_at(store, event_id)?;
    Ok(report)
}

/// [`push`] whenever it is due, until cancelled: after each push it sleeps until the next
/// scheduled retry (or `idle` when nothing waits) or until `wake` is notified (connectivity
/// came back, a new operation was queued). Errors other than the network's end the loop.
pub async fn drain(
    client: &Client,
    store: &Store,
    event_id: &str,
    wake: Arc<tokio::sync::Notify>,
    cancel: CancelToken,
    policy: OutboxPolicy,
    idle: Duration,
) -> Result<()> {
    loop {
        let options = PushOptions {
            cancel: cancel.clone(),
            only_due: true,
            policy: policy.clone(),
        };
        let report = match push(client, store, event_id, &options).await {
            Ok(report) => report,
            Err(Error::Cancelled) => return Ok(()),
            Err(error) => return Err(error),
        };
        let wait = match report.next_attempt_at {
            Some(at) => (at - Utc::now())
                .to_std()
                .unwrap_or(Duration::ZERO)
                .min(idle),
            None => idle,
        };
        tokio::select! {
            _ = cancel.sleep(wait) => {}
            _ = wake.notified() => {}
        }
        if cancel.is_cancelled() {
            return Ok(());
        }
    }
}
