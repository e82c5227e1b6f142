//! The organiser's outbox: operations made on this device, kept in `user.db` until the pulled
//! content includes them.
//!
//! - [`Store::queue_op`] stores an operation at once (it shows over the content right away,
//!   see `store::overlay`) with a fresh idempotency key and the entity version it was based on.
//! - [`push`] sends the queue in order, one request per operation, each with its key: a retry
//!   after a timeout, a crash or a kill is answered by the server with the stored result, never
//!   applied twice. A refused operation is marked `rejected` (with the reason and the server's
//!   current version) and the queue goes on; a network failure stops the push and schedules the
//!   next try with backoff; a refused token (401/403) stops it and keeps everything queued.
//! - The pull marks accepted operations `done` once its cursor reaches their seq ([`settle`]).
//!
//! Who triggers a push: `sync_event` pushes first; the app calls [`push`] when connectivity
//! returns (the shells' network listener) and [`next_attempt_at`] says when to try again;
//! [`drain`] runs that loop in one task for apps and tests that want it done for them.
//! Decision record: `docs/adr/0006-organiser-ops.md`.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::Method;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue};
use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;

use super::cancel::CancelToken;
use super::client::Client;
use super::http;
use super::retry::{is_transient, with_retry};
use crate::error::{Error, Result, SqliteContext};
use crate::failpoint;
use crate::store::{Store, read_entity, read_sync_state, read_version};
use marktplatz_model::assets::sha256_hex;
use marktplatz_model::model::{AssetRef, EntityKind};
use marktplatz_model::ops::{IDEMPOTENCY_KEY, Op, OpOutcome, OpRejection, OpRequest, new_key};
use marktplatz_model::wire;

/// Where an operation stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OpState {
    Pending,
    InFlight,
    Accepted,
    Rejected,
    Done,
}

impl OpState {
    pub fn as_str(self) -> &'static str {
        match self {
            OpState::Pending => "pending",
            OpState::InFlight => "in_flight",
            OpState::Accepted => "accepted",
            OpState::Rejected => "rejected",
            OpState::Done => "done",
        }
    }

    fn parse(text: &str) -> Result<OpState> {
        Ok(match text {
            "pending" => OpState::Pending,
            "in_flight" => OpState::InFlight,
            "accepted" => OpState::Accepted,
            "rejected" => OpState::Rejected,
            "done" => OpState::Done,
            other => return Err(Error::malformed("an outbox state", other)),
        })
    }

    /// Shown over the content (not yet in the pulled content, not refused).
    pub fn is_overlaid(self) -> bool {
        matches!(
            self,
            OpState::Pending | OpState::InFlight | OpState::Accepted
        )
    }
}

/// Why the server refused an operation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Rejection {
    pub status: u16,
    pub code: String,
    pub message: String,
    /// For a conflict: the server's version of the entity (0: it does not exist) ...
    pub current_seq: Option<u64>,
    /// ... and its JSON body (`None`: removed or never there).
    pub current_body: Option<String>,
}

/// One operation in the outbox.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OutboxEntry {
    /// Local, in the order operations were made.
    pub id: i64,
    pub event_id: String,
    pub key: String,
    pub op: Op,
    pub state: OpState,
    pub attempts: u32,
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// Why the last try did not reach the server (network, token).
    pub last_error: Option<String>,
    /// Accepted or done: the entity's version after the operation.
    pub seq: Option<u64>,
    pub rejection: Option<Rejection>,
    pub created_at: DateTime<Utc>,
}

/// Where an organiser pushes to. The token itself is never handed out again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OrganiserInfo {
    pub event_id: String,
    pub server_url: String,
    /// The public part of the token (before the '.'), for telling tokens apart.
    pub token_id: String,
}

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

fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

fn ms_to_time(ms: i64) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp_millis(ms)
}

/// Overlaid states, for SQL.
const OVERLAID: &str = "('pending', 'in_flight', 'accepted')";

impl Store {
    /// Puts this device in organiser mode for `event_id`: operations are pushed to `server_url`
    /// with `token`. Replaces an earlier credential (queued operations keep their keys).
    pub fn set_organiser(&self, event_id: &str, server_url: &str, token: &str) -> Result<()> {
        if !wire::is_valid_event_id(event_id) {
            return Err(Error::invalid(
                "organiser",
                "event",
                format!("'{event_id}' is not an event id"),
            ));
        }
        let token = token.trim();
        if token.is_empty() || HeaderValue::from_str(&format!("Bearer {token}")).is_err() {
            return Err(Error::invalid(
                "organiser",
                "token",
                "is empty or contains characters a token cannot have",
            ));
        }
        let server_url = server_url.trim().trim_end_matches('/');
        if !(server_url.starts_with("http://") || server_url.starts_with("https://")) {
            return Err(Error::invalid(
                "organiser",
                "server",
                format!("'{server_url}' is not an http(s) URL"),
            ));
        }
        self.write_user(|tx| {
            tx.prepare_cached(
                "INSERT OR REPLACE INTO organiser (event_id, server_url, token, created_at)
                 VALUES (?1, ?2, ?3, ?4)",
            )
            .and_then(|mut s| {
                s.execute(params![event_id, server_url, token, Utc::now().timestamp()])
            })
            .context("saving the organiser token")?;
            Ok(())
        })
    }

    /// Leaves organiser mode for the event (queued operations stay, unsent).
    pub fn forget_organiser(&self, event_id: &str) -> Result<()> {
        self.write_user(|tx| {
            tx.prepare_cached("DELETE FROM organiser WHERE event_id = ?1")
                .and_then(|mut s| s.execute([event_id]))
                .context("forgetting the organiser token")?;
            Ok(())
        })
    }

    pub fn organiser(&self, event_id: &str) -> Result<Option<OrganiserInfo>> {
        Ok(self
            .read_user(|tx| credential(tx, event_id))?
            .map(|c| OrganiserInfo {
                event_id: event_id.to_string(),
                token_id: c
                    .token
                    .split_once('.')
                    .map(|(id, _)| id.to_string())
                    .unwrap_or_else(|| "(legacy token)".to_string()),
                server_url: c.server_url,
            }))
    }

    /// Queues an operation: stored at once (shown over the content from now on), pushed later.
    /// It is based on the version of the entity the organiser sees: the pulled version, or
    /// the result of their own earlier operation on it that is still on its way.
    pub fn queue_op(&self, event_id: &str, op: Op) -> Result<OutboxEntry> {
        op.check()?;
        let (kind, entity_id) = op.target();
        let entity_id = entity_id.to_string();
        let (previous, overlay_ops) = self.read_user(|tx| {
            Ok((
                latest_on_entity(tx, event_id, kind, &entity_id)?,
                overlaid_ops(tx, event_id)?,
            ))
        })?;
        // What the organiser sees, with their own queued operations applied.
        let seen = self.read(|tx| {
            let overlay = crate::store::Overlay::build(tx, event_id, &overlay_ops)?;
            let shown = match overlay.get(kind, &entity_id) {
                Some(entity) => entity.cloned(),
                None => read_entity(tx, event_id, kind, &entity_id)?,
            };
            let mut missing = Vec::new();
            for (ref_kind, ref_id) in op.references() {
                let exists = match overlay.get(ref_kind, ref_id) {
                    Some(entity) => entity.is_some(),
                    None => read_entity(tx, event_id, ref_kind, ref_id)?.is_some(),
                };
                if !exists {
                    missing.push(format!("{ref_kind} '{ref_id}'"));
                }
            }
            if !missing.is_empty() {
                return Err(Error::invalid(
                    format!("{} '{entity_id}'", op.name()),
                    "references",
                    format!("there is no {}", missing.join(", ")),
                ));
            }
            let version = read_version(tx, event_id, kind, &entity_id)?;
            Ok((shown, version))
        })?;
        let (shown, version) = seen;
        let (base_seq, base_op): (Option<u64>, Option<i64>) = if op.creates() {
            if shown.is_some() {
                return Err(Error::invalid(
                    format!("{kind} '{entity_id}'"),
                    "id",
                    "exists already",
                ));
            }
            (Some(0), None)
        } else {
            // Fails for an entity that is not there (or of another kind).
            op.apply(shown.as_ref())?;
            match previous {
                Some((id, OpState::Pending | OpState::InFlight, _)) => (None, Some(id)),
                Some((_, OpState::Accepted, Some(seq))) => (Some(seq), None),
                _ => match version {
                    Some(seq) => (Some(seq), None),
                    None => {
                        return Err(Error::invalid(
                            format!("{kind} '{entity_id}'"),
                            "version",
                            "this content was not synced from the event's server; sync first",
                        ));
                    }
                },
            }
        };
        let json = serde_json::to_string(&op).map_err(|e| Error::malformed("an operation", e))?;
        let key = new_key();
        let now = now_ms();
        let id = self.write_user(|tx| {
            tx.prepare_cached(
                "INSERT INTO outbox (event_id, key, kind, entity_id, op, base_seq, base_op, state,
                                     created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'pending', ?8, ?8)",
            )
            .and_then(|mut s| {
                s.execute(params![
                    event_id,
                    key,
                    kind.as_str(),
                    entity_id,
                    json,
                    base_seq.map(|s| s as i64),
                    base_op,
                    now
                ])
            })
            .context("queueing an operation")?;
            Ok(tx.last_insert_rowid())
        })?;
        self.outbox_entry(id)?
            .ok_or_else(|| Error::not_found("outbox entry", id.to_string()))
    }

    /// The event's outbox in the order the operations were made; `done` ones only if asked.
    pub fn outbox(&self, event_id: &str, include_done: bool) -> Result<Vec<OutboxEntry>> {
        self.read_user(|tx| {
            let mut stmt = tx
                .prepare_cached(&format!(
                    "SELECT {ENTRY_COLUMNS} FROM outbox WHERE event_id = ?1 AND (?2 OR state <> 'done')
                     ORDER BY id"
                ))
                .context("listing the outbox")?;
            let rows = stmt
                .query_map(params![event_id, include_done], read_row)
                .context("listing the outbox")?;
            let mut list = Vec::new();
            for row in rows {
                list.push(row.context("listing the outbox")?.into_entry()?);
            }
            Ok(list)
        })
    }

    pub fn outbox_entry(&self, id: i64) -> Result<Option<OutboxEntry>> {
        self.read_user(|tx| entry(tx, id))
    }

    /// Removes an operation the organiser gives up: a rejected or done one, or a pending one
    /// that has never been sent (its later operations on the same entity are then based on
    /// what it was based on). Sent or accepted operations cannot be withdrawn.
    pub fn dismiss_op(&self, id: i64) -> Result<()> {
        self.write_user(|tx| {
            let Some(found) = entry(tx, id)? else {
                return Err(Error::not_found("outbox entry", id.to_string()));
            };
            let unsent = found.state == OpState::Pending && found.attempts == 0;
            if !(unsent || matches!(found.state, OpState::Rejected | OpState::Done)) {
                return Err(Error::invalid(
                    format!("outbox entry {id}"),
                    "state",
                    format!(
                        "is {}: it may have reached the server already",
                        found.state.as_str()
                    ),
                ));
            }
            // Later operations based on this one inherit its base.
            tx.prepare_cached(
                "UPDATE outbox SET base_seq = (SELECT base_seq FROM outbox WHERE id = ?1),
                                   base_op = (SELECT base_op FROM outbox WHERE id = ?1)
                 WHERE base_op = ?1 AND state IN ('pending', 'in_flight')",
            )
            .and_then(|mut s| s.execute([id]))
            .context("rebasing later operations")?;
            tx.prepare_cached("DELETE FROM outbox WHERE id = ?1")
                .and_then(|mut s| s.execute([id]))
                .context("removing an outbox entry")?;
            Ok(())
        })
    }

    /// Queues a rejected operation again, now based on the server's current version (the
    /// organiser has seen the other change and still wants theirs). The rejected entry goes.
    pub fn retry_rejected(&self, id: i64) -> Result<OutboxEntry> {
        let Some(found) = self.outbox_entry(id)? else {
            return Err(Error::not_found("outbox entry", id.to_string()));
        };
        let current = found
            .rejection
            .as_ref()
            .filter(|r| r.current_body.is_some() && found.state == OpState::Rejected)
            .and_then(|r| r.current_seq)
            .ok_or_else(|| {
                Error::invalid(
                    format!("outbox entry {id}"),
                    "state",
                    "only an operation refused for a conflict with an entity that still exists can be sent again",
                )
            })?;
        let json =
            serde_json::to_string(&found.op).map_err(|e| Error::malformed("an operation", e))?;
        let (kind, entity_id) = found.op.target();
        let now = now_ms();
        let new_id = self.write_user(|tx| {
            tx.prepare_cached(
                "INSERT INTO outbox (event_id, key, kind, entity_id, op, base_seq, state,
                                     created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', ?7, ?7)",
            )
            .and_then(|mut s| {
                s.execute(params![
                    found.event_id,
                    new_key(),
                    kind.as_str(),
                    entity_id,
                    json,
                    current as i64,
                    now
                ])
            })
            .context("queueing an operation again")?;
            let new_id = tx.last_insert_rowid();
            tx.prepare_cached("DELETE FROM outbox WHERE id = ?1")
                .and_then(|mut s| s.execute([id]))
                .context("removing the rejected entry")?;
            Ok(new_id)
        })?;
        self.outbox_entry(new_id)?
            .ok_or_else(|| Error::not_found("outbox entry", new_id.to_string()))
    }

    /// The operations shown over the content, in order.
    pub(crate) fn overlay_ops(&self, event_id: &str) -> Result<Vec<Op>> {
        self.read_user(|tx| overlaid_ops(tx, event_id))
    }
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

/// When the next scheduled retry is due (`None`: nothing is waiting).
pub fn next_attempt_at(store: &Store, event_id: &str) -> Result<Option<DateTime<Utc>>> {
    store.read_user(|tx| {
        tx.prepare_cached(
            "SELECT min(next_attempt) FROM outbox WHERE event_id = ?1 AND state IN ('pending', 'in_flight')",
        )
        .and_then(|mut s| s.query_row([event_id], |r| r.get::<_, Option<i64>>(0)))
        .context("reading the outbox schedule")
        .map(|ms| ms.and_then(ms_to_time))
    })
}

/// Marks accepted operations `done` once the content has them (`cursor` reached their seq).
/// Returns how many. Called by the pull after each page, and after a push.
pub fn settle(store: &Store, event_id: &str, cursor: u64) -> Result<u32> {
    // Attendee devices have nothing accepted: a read, no write.
    let any = store.read_user(|tx| {
        tx.prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM outbox WHERE event_id = ?1 AND state = 'accepted' AND seq <= ?2)",
        )
        .and_then(|mut s| s.query_row(params![event_id, cursor as i64], |r| r.get::<_, bool>(0)))
        .context("reading the outbox")
    })?;
    if !any {
        return Ok(0);
    }
    store.write_user(|tx| {
        let changed = tx
            .prepare_cached(
                "UPDATE outbox SET state = 'done', updated_at = ?3
                 WHERE event_id = ?1 AND state = 'accepted' AND seq <= ?2",
            )
            .and_then(|mut s| s.execute(params![event_id, cursor as i64, now_ms()]))
            .context("settling the outbox")?;
        Ok(changed as u32)
    })
}

pub(crate) struct Credential {
    pub(crate) server_url: String,
    pub(crate) token: String,
}

pub(crate) fn credential(tx: &Transaction<'_>, event_id: &str) -> Result<Option<Credential>> {
    tx.prepare_cached("SELECT server_url, token FROM organiser WHERE event_id = ?1")
        .and_then(|mut s| {
            s.query_row([event_id], |r| {
                Ok(Credential {
                    server_url: r.get(0)?,
                    token: r.get(1)?,
                })
            })
            .optional()
        })
        .context("reading the organiser token")
}

/// The latest operation on the entity that is not rejected: (id, state, seq).
fn latest_on_entity(
    tx: &Transaction<'_>,
    event_id: &str,
    kind: EntityKind,
    entity_id: &str,
) -> Result<Option<(i64, OpState, Option<u64>)>> {
    let row: Option<(i64, String, Option<i64>)> = tx
        .prepare_cached(
            "SELECT id, state, seq FROM outbox
             WHERE event_id = ?1 AND kind = ?2 AND entity_id = ?3 AND state <> 'rejected'
             ORDER BY id DESC LIMIT 1",
        )
        .and_then(|mut s| {
            s.query_row(params![event_id, kind.as_str(), entity_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()
        })
        .context("reading the outbox")?;
    row.map(|(id, state, seq)| Ok((id, OpState::parse(&state)?, seq.map(|s| s.max(0) as u64))))
        .transpose()
}

fn overlaid_ops(tx: &Transaction<'_>, event_id: &str) -> Result<Vec<Op>> {
    let mut stmt = tx
        .prepare_cached(&format!(
            "SELECT op FROM outbox WHERE event_id = ?1 AND state IN {OVERLAID} ORDER BY id"
        ))
        .context("reading the outbox")?;
    let rows = stmt
        .query_map([event_id], |r| r.get::<_, String>(0))
        .context("reading the outbox")?;
    let mut ops = Vec::new();
    for json in rows {
        let json = json.context("reading the outbox")?;
        ops.push(
            serde_json::from_str(&json).map_err(|e| Error::malformed("a queued operation", e))?,
        );
    }
    Ok(ops)
}

const ENTRY_COLUMNS: &str = "id, event_id, key, op, state, attempts, next_attempt, last_error, seq,
    reject_code, reject_message, current_seq, current_body, created_at";

struct Row {
    id: i64,
    event_id: String,
    key: String,
    op: String,
    state: String,
    attempts: i64,
    next_attempt: i64,
    last_error: Option<String>,
    seq: Option<i64>,
    reject_code: Option<String>,
    reject_message: Option<String>,
    current_seq: Option<i64>,
    current_body: Option<String>,
    created_at: i64,
}

fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    Ok(Row {
        id: r.get(0)?,
        event_id: r.get(1)?,
        key: r.get(2)?,
        op: r.get(3)?,
        state: r.get(4)?,
        attempts: r.get(5)?,
        next_attempt: r.get(6)?,
        last_error: r.get(7)?,
        seq: r.get(8)?,
        reject_code: r.get(9)?,
        reject_message: r.get(10)?,
        current_seq: r.get(11)?,
        current_body: r.get(12)?,
        created_at: r.get(13)?,
    })
}

impl Row {
    fn into_entry(self) -> Result<OutboxEntry> {
        let state = OpState::parse(&self.state)?;
        let op: Op = serde_json::from_str(&self.op)
            .map_err(|e| Error::malformed(format!("queued operation {}", self.id), e))?;
        let rejection = self.reject_code.map(|code| {
            let (status, code) = match code.split_once(':') {
                Some((status, code)) => (status.parse().unwrap_or(0), code.to_string()),
                None => (0, code),
            };
            Rejection {
                status,
                code,
                message: self.reject_message.unwrap_or_default(),
                current_seq: self.current_seq.map(|s| s.max(0) as u64),
                current_body: self.current_body,
            }
        });
        Ok(OutboxEntry {
            id: self.id,
            event_id: self.event_id,
            key: self.key,
            op,
            state,
            attempts: self.attempts.max(0) as u32,
            next_attempt_at: (matches!(state, OpState::Pending | OpState::InFlight)
                && self.next_attempt > 0)
                .then(|| ms_to_time(self.next_attempt))
                .flatten(),
            last_error: self.last_error,
            seq: self.seq.map(|s| s.max(0) as u64),
            rejection,
            created_at: ms_to_time(self.created_at).unwrap_or_default(),
        })
    }
}

fn entry(tx: &Transaction<'_>, id: i64) -> Result<Option<OutboxEntry>> {
    tx.prepare_cached(&format!("SELECT {ENTRY_COLUMNS} FROM outbox WHERE id = ?1"))
        .and_then(|mut s| s.query_row([id], read_row).optional())
        .context("reading an outbox entry")?
        .map(Row::into_entry)
        .transpose()
}

/// The version an operation is sent with: its own base, or the result of the earlier
/// operation it was based on (if that was refused, what that one was based on). `None`: the
/// earlier operation has not been answered yet.
fn resolve_base(tx: &Transaction<'_>, id: i64) -> Result<Option<u64>> {
    let mut current = id;
    // A chain is at most as long as the outbox; the bound only guards against a loop.
    for _ in 0..10_000 {
        let row: Option<(Option<i64>, Option<i64>)> = tx
            .prepare_cached("SELECT base_seq, base_op FROM outbox WHERE id = ?1")
            .and_then(|mut s| {
                s.query_row([current], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()
            })
            .context("reading an operation's base")?;
        let Some((base_seq, base_op)) = row else {
            return Err(Error::not_found("outbox entry", current.to_string()));
        };
        let Some(earlier) = base_op else {
            return Ok(base_seq.map(|s| s.max(0) as u64));
        };
        let Some(found) = entry(tx, earlier)? else {
            return Ok(base_seq.map(|s| s.max(0) as u64));
        };
        match found.state {
            OpState::Accepted | OpState::Done => return Ok(found.seq),
            OpState::Rejected => current = earlier,
            OpState::Pending | OpState::InFlight => return Ok(None),
        }
    }
    Err(Error::malformed("the outbox", "a loop of operations"))
}

/// Sends the event's queued operations in order. See the module documentation.
pub async fn push(
    client: &Client,
    store: &Store,
    event_id: &str,
    options: &PushOptions,
) -> Result<PushReport> {
    let _one_at_a_time = store.push_lock().lock().await;
    let credential = store
        .read_user(|tx| credential(tx, event_id))?
        .ok_or_else(|| {
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
                mark_waiting(
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
                mark_waiting(
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

struct Next {
    id: i64,
    key: String,
    op: Op,
    attempts: u32,
    base: Option<u64>,
}

fn next_to_send(store: &Store, event_id: &str) -> Result<Option<Next>> {
    store.write_user(|tx| {
        let row: Option<(i64, String, String, i64)> = tx
            .prepare_cached(
                "SELECT id, key, op, attempts FROM outbox
                 WHERE event_id = ?1 AND state IN ('pending', 'in_flight') ORDER BY id LIMIT 1",
            )
            .and_then(|mut s| {
                s.query_row([event_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
                    .optional()
            })
            .context("reading the outbox")?;
        let Some((id, key, op, attempts)) = row else {
            return Ok(None);
        };
        let op: Op = serde_json::from_str(&op)
            .map_err(|e| Error::malformed(format!("queued operation {id}"), e))?;
        let base = resolve_base(tx, id)?;
        // In flight from here: should the app die before the answer is recorded, the same key
        // goes out again and the server answers with what it stored.
        tx.prepare_cached(
            "UPDATE outbox SET state = 'in_flight', attempts = attempts + 1, updated_at = ?2 WHERE id = ?1",
        )
        .and_then(|mut s| s.execute(params![id, now_ms()]))
        .context("marking an operation in flight")?;
        Ok(Some(Next {
            id,
            key,
            op,
            attempts: attempts.max(0) as u32,
            base,
        }))
    })
}

enum Sent {
    Accepted { outcome: OpOutcome, replayed: bool },
    Rejected(Rejection),
    Waiting,
    Stopped(PushStop),
    Cancelled,
}

async fn send_one(
    client: &Client,
    store: &Store,
    base_url: &str,
    token: &str,
    next: &Next,
    options: &PushOptions,
) -> Sent {
    let Some(base) = next.base else {
        return Sent::Waiting;
    };
    let event_id = match store.outbox_entry(next.id) {
        Ok(Some(entry)) => entry.event_id,
        Ok(None) => return Sent::Waiting,
        Err(e) => return Sent::Stopped(PushStop::Offline(e.to_string())),
    };
    if let Some(asset) = next.op.asset() {
        match upload_photo(client, store.dir(), base_url, token, asset, &options.cancel).await {
            Ok(()) => {}
            Err(error) => return classify(error),
        }
    }
    let request = OpRequest {
        event: event_id.clone(),
        base,
        op: next.op.clone(),
    };
    let body = match serde_json::to_vec(&request) {
        Ok(body) => body,
        Err(e) => {
            return Sent::Rejected(Rejection {
                status: 0,
                code: "unencodable".into(),
                message: e.to_string(),
                current_seq: None,
                current_body: None,
            });
        }
    };
    let url = format!("{base_url}{}/events/{event_id}/ops", wire::API_PREFIX);
    match post_op(client, &url, token, &next.key, body, &options.cancel).await {
        Ok(answer) => answer,
        Err(error) => classify(error),
    }
}

fn classify(error: Error) -> Sent {
    match error {
        Error::Cancelled => Sent::Cancelled,
        Error::Server {
            status: 401 | 403,
            message,
            ..
        } => Sent::Stopped(PushStop::Unauthorized(message)),
        e if is_transient(&e) => Sent::Stopped(PushStop::Offline(e.to_string())),
        Error::Server {
            status,
            code,
            message,
            ..
        } => Sent::Rejected(Rejection {
            status,
            code,
            message,
            current_seq: None,
            current_body: None,
        }),
        Error::Invalid { .. } | Error::NotFound { .. } | Error::Io { .. } => {
            Sent::Rejected(Rejection {
                status: 0,
                code: "local".into(),
                message: error.to_string(),
                current_seq: None,
                current_body: None,
            })
        }
        // An unusable answer (a proxy's error page): try again later.
        other => Sent::Stopped(PushStop::Offline(other.to_string())),
    }
}

fn auth_headers(token: &str) -> Result<HeaderMap> {
    let mut headers = HeaderMap::new();
    let bearer = HeaderValue::from_str(&format!("Bearer {token}")).map_err(|_| {
        Error::invalid(
            "organiser",
            "token",
            "contains characters a header cannot carry",
        )
    })?;
    headers.insert(AUTHORIZATION, bearer);
    Ok(headers)
}

/// One operation, retried on transient trouble with the client's policy (same key each time).
async fn post_op(
    client: &Client,
    url: &str,
    token: &str,
    key: &str,
    body: Vec<u8>,
    cancel: &CancelToken,
) -> Result<Sent> {
    let mut headers = auth_headers(token)?;
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(
        IDEMPOTENCY_KEY,
        HeaderValue::from_str(key).map_err(|_| Error::malformed("an idempotency key", key))?,
    );
    let (headers, body) = (&headers, &body);
    with_retry(&client.config.retry, cancel, move || async move {
        let response = client
            .http
            .request(Method::POST, url)
            .headers(headers.clone())
            .body(body.clone())
            .send()
            .await
            .map_err(|e| http::map_reqwest(url, e, client))?;
        let status = response.status().as_u16();
        let replayed = response
            .headers()
            .get(marktplatz_model::ops::REPLAYED)
            .is_some_and(|v| v.as_bytes() == b"true");
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse().ok());
        let bytes = http::read_limited(client, url, response, 1 << 20, cancel, &mut |_| {}).await?;
        if (200..300).contains(&status) {
            let outcome: OpOutcome = serde_json::from_slice(&bytes).map_err(|e| {
                Error::Protocol(format!("the answer to an operation is not valid: {e}"))
            })?;
            return Ok(Sent::Accepted { outcome, replayed });
        }
        let rejection: Option<OpRejection> = serde_json::from_slice(&bytes).ok();
        let (code, message, current) = match rejection {
            Some(r) => (r.code, r.message, r.current),
            None => (
                format!("http_{status}"),
                format!("the server answered {status}"),
                None,
            ),
        };
        if status == 409 && current.is_some() {
            let current = current.map(|c| (c.seq, c.body.map(|b| b.get().to_string())));
            return Ok(Sent::Rejected(Rejection {
                status,
                code,
                message,
                current_seq: current.as_ref().map(|c| c.0),
                current_body: current.and_then(|c| c.1),
            }));
        }
        Err(Error::Server {
            status,
            code,
            message,
            retry_after,
        })
    })
    .await
}

/// Uploads a queued photo from the device's asset folder unless the server has it already.
async fn upload_photo(
    client: &Client,
    store_dir: &Path,
    base_url: &str,
    token: &str,
    asset: &AssetRef,
    cancel: &CancelToken,
) -> Result<()> {
    let url = format!("{base_url}{}/assets/{}", wire::API_PREFIX, asset.sha256);
    let has = with_retry(&client.config.retry, cancel, || async {
        match http::send(client, Method::HEAD, &url, HeaderMap::new(), None).await {
            Ok(_) => Ok(true),
            Err(Error::Server { status: 404, .. }) => Ok(false),
            Err(e) => Err(e),
        }
    })
    .await?;
    if has {
        return Ok(());
    }
    let path = photo_path(store_dir, &asset.sha256);
    let bytes = std::fs::read(&path).map_err(|e| {
        Error::io(
            format!(
                "reading the queued photo {} (was it deleted?)",
                path.display()
            ),
            e,
        )
    })?;
    if sha256_hex(&bytes) != asset.sha256 {
        return Err(Error::invalid(
            "photo.add",
            "image",
            format!(
                "the file {} no longer holds the photo that was queued",
                path.display()
            ),
        ));
    }
    let mut headers = auth_headers(token)?;
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_str(&asset.media_type)
            .map_err(|_| Error::invalid("photo.add", "image", "unusable media type"))?,
    );
    let (url, headers, bytes) = (url.as_str(), &headers, &bytes);
    with_retry(&client.config.retry, cancel, move || async move {
        http::send(
            client,
            Method::PUT,
            url,
            headers.clone(),
            Some(bytes.clone()),
        )
        .await
        .map(|_| ())
    })
    .await
}

/// Where a queued photo waits: in the asset folder, under its hash (a content.db reset keeps
/// the files; the outbox in user.db keeps the reference).
pub fn photo_path(store_dir: &Path, sha256: &str) -> std::path::PathBuf {
    store_dir.join(super::assets::ASSET_DIR).join(sha256)
}

impl Store {
    /// Queues a photo for the gallery: checks it is a JPEG or PNG within the size limit, keeps
    /// it in the asset folder under its hash (pinned for the outbox), and queues `photo.add`.
    pub fn queue_photo(
        &self,
        event_id: &str,
        bytes: &[u8],
        caption: &str,
        credit: &str,
        taken_at: Option<DateTime<Utc>>,
    ) -> Result<OutboxEntry> {
        let media_type = marktplatz_model::assets::image_media_type(bytes)
            .ok_or_else(|| Error::invalid("photo.add", "image", "is not a JPEG or PNG photo"))?;
        if bytes.len() as u64 > marktplatz_model::ops::MAX_PHOTO_BYTES {
            return Err(Error::invalid(
                "photo.add",
                "image",
                format!(
                    "has {} bytes; a photo may have at most {}",
                    bytes.len(),
                    marktplatz_model::ops::MAX_PHOTO_BYTES
                ),
            ));
        }
        let sha256 = sha256_hex(bytes);
        let path = photo_path(self.dir(), &sha256);
        if !path.is_file() {
            let dir = self.dir().join(super::assets::ASSET_DIR);
            std::fs::create_dir_all(&dir)
                .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
            let temp = dir.join(format!(".{sha256}.queued"));
            let write = || -> std::io::Result<()> {
                use std::io::Write;
                let mut file = std::fs::File::create(&temp)?;
                file.write_all(bytes)?;
                file.sync_all()?;
                std::fs::rename(&temp, &path)
            };
            write().map_err(|e| Error::io(format!("keeping the photo in {}", dir.display()), e))?;
        }
        self.write_content(|tx| {
            let sql = tx.sql();
            sql.prepare_cached(
                "INSERT INTO asset_cache (sha256, media_type, bytes, complete, last_used)
                 VALUES (?1, ?2, ?3, 1, ?4)
                 ON CONFLICT (sha256) DO UPDATE SET complete = 1, last_used = ?4",
            )
            .and_then(|mut s| s.execute(params![sha256, media_type, bytes.len() as i64, now_ms()]))
            .context("recording a queued photo")?;
            sql.prepare_cached(
                "INSERT OR IGNORE INTO asset_pin (sha256, owner) VALUES (?1, 'outbox')",
            )
            .and_then(|mut s| s.execute([&sha256]))
            .context("pinning a queued photo")?;
            Ok(())
        })?;
        let op = Op::PhotoAdd {
            id: marktplatz_model::ops::new_entity_id("photo"),
            image: AssetRef {
                sha256,
                media_type: media_type.to_string(),
                bytes: bytes.len() as u64,
                width: None,
                height: None,
            },
            caption: caption.to_string(),
            credit: credit.to_string(),
            taken_at,
        };
        self.queue_op(event_id, op)
    }
}

fn mark_accepted(store: &Store, id: i64, outcome: &OpOutcome) -> Result<()> {
    store.write_user(|tx| {
        tx.prepare_cached(
            "UPDATE outbox SET state = 'accepted', seq = ?2, epoch = ?3, last_error = NULL,
                               updated_at = ?4
             WHERE id = ?1",
        )
        .and_then(|mut s| s.execute(params![id, outcome.seq as i64, outcome.epoch, now_ms()]))
        .context("recording an accepted operation")?;
        Ok(())
    })
}

fn mark_rejected(store: &Store, id: i64, rejection: &Rejection) -> Result<()> {
    store.write_user(|tx| {
        tx.prepare_cached(
            "UPDATE outbox SET state = 'rejected', reject_code = ?2, reject_message = ?3,
                               current_seq = ?4, current_body = ?5, last_error = NULL,
                               updated_at = ?6
             WHERE id = ?1",
        )
        .and_then(|mut s| {
            s.execute(params![
                id,
                format!("{}:{}", rejection.status, rejection.code),
                rejection.message,
                rejection.current_seq.map(|s| s as i64),
                rejection.current_body,
                now_ms()
            ])
        })
        .context("recording a rejected operation")?;
        Ok(())
    })
}

/// The operation goes back to waiting; it and everything after it are tried again after the
/// backoff for its number of attempts.
fn mark_waiting(
    store: &Store,
    event_id: &str,
    id: i64,
    attempts: u32,
    error: &str,
    policy: &OutboxPolicy,
) -> Result<()> {
    let delay = policy.delay(attempts.max(1));
    let next = now_ms().saturating_add(delay.as_millis().min(i64::MAX as u128) as i64);
    store.write_user(|tx| {
        tx.prepare_cached(
            "UPDATE outbox SET state = 'pending', last_error = ?2, updated_at = ?3 WHERE id = ?1",
        )
        .and_then(|mut s| s.execute(params![id, error, now_ms()]))
        .context("recording a failed try")?;
        tx.prepare_cached(
            "UPDATE outbox SET next_attempt = ?2
             WHERE event_id = ?1 AND state IN ('pending', 'in_flight')",
        )
        .and_then(|mut s| s.execute(params![event_id, next]))
        .context("scheduling the next try")?;
        Ok(())
    })
}

fn count_waiting(store: &Store, event_id: &str) -> Result<u32> {
    store.read_user(|tx| {
        tx.prepare_cached(
            "SELECT count(*) FROM outbox WHERE event_id = ?1 AND state IN ('pending', 'in_flight')",
        )
        .and_then(|mut s| s.query_row([event_id], |r| r.get::<_, i64>(0)))
        .context("counting the outbox")
        .map(|n| n.max(0) as u32)
    })
}
