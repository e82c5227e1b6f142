//! The organiser's outbox table (`outbox` in user.db): operations made on this device, kept
//! until the pulled content includes them. The store owns it because its reads show the queue
//! over the content (`overlay`); the sync sends it (`crate::sync::outbox`).
//!
//! - `queue`: what the organiser does: queue, list, dismiss, send again.
//! - [`delivery`]: what the push does: claim the next operation, record the answer, schedule a
//!   retry, and mark operations done once the pulled content has them ([`delivery::settle`]).

pub mod delivery;
mod queue;

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction};
use serde::Serialize;

use crate::error::{Error, Result, SqliteContext};
use marktplatz_model::ops::Op;

/// Where an operation stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OpState {
    Pending,
    InFlight,
    Accepted,
    Rejected,
    Done,
    /// Applied, but a later publish undid its effect (`OutboxEntry::overridden_by`).
    Overridden,
}

impl OpState {
    pub fn as_str(self) -> &'static str {
        match self {
            OpState::Pending => "pending",
            OpState::InFlight => "in_flight",
            OpState::Accepted => "accepted",
            OpState::Rejected => "rejected",
            OpState::Done => "done",
            OpState::Overridden => "overridden",
        }
    }

    fn parse(text: &str) -> Result<OpState> {
        Ok(match text {
            "pending" => OpState::Pending,
            "in_flight" => OpState::InFlight,
            "accepted" => OpState::Accepted,
            "rejected" => OpState::Rejected,
            "done" => OpState::Done,
            "overridden" => OpState::Overridden,
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
    /// Overridden: the release whose publish undid the operation's effect.
    pub overridden_by: Option<u64>,
    pub created_at: DateTime<Utc>,
}

fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

fn ms_to_time(ms: i64) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp_millis(ms)
}

/// Overlaid states, for SQL.
const OVERLAID: &str = "('pending', 'in_flight', 'accepted')";

const ENTRY_COLUMNS: &str = "id, event_id, key, op, state, attempts, next_attempt, last_error, seq,
    reject_code, reject_message, current_seq, current_body, created_at, overridden_by";

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
    overridden_by: Option<i64>,
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
        overridden_by: r.get(14)?,
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
            overridden_by: self.overridden_by.map(|n| n.max(0) as u64),
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
