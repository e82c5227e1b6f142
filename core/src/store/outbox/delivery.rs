//! The push's side of the queue: the next operation to send (marked in flight first), the
//! server's answer recorded, a retry scheduled, and accepted operations marked done once the
//! pulled content has them.

use std::time::Duration;

use chrono::{DateTime, Utc};
use marktplatz_model::ops::{Op, OpOutcome};
use rusqlite::{OptionalExtension, Transaction, params};

use super::{OpState, Rejection, entry, ms_to_time, now_ms};
use crate::error::{Error, Result, SqliteContext};
use crate::store::Store;

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

/// Whether any operation of the event was applied by the server (accepted or done): only then
/// can a publish have overridden one.
pub fn any_applied(store: &Store, event_id: &str) -> Result<bool> {
    store.read_user(|tx| {
        tx.prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM outbox WHERE event_id = ?1 AND state IN ('accepted', 'done'))",
        )
        .and_then(|mut s| s.query_row([event_id], |r| r.get::<_, bool>(0)))
        .context("reading the outbox")
    })
}

/// Marks the applied operations the server says a publish undid (idempotency key, release)
/// as overridden by that release. Returns how many changed.
pub fn mark_overridden(store: &Store, event_id: &str, undone: &[(String, u64)]) -> Result<u32> {
    if undone.is_empty() {
        return Ok(0);
    }
    store.write_user(|tx| {
        let mut stmt = tx
            .prepare_cached(
                "UPDATE outbox SET state = 'overridden', overridden_by = ?3, updated_at = ?4
                 WHERE event_id = ?1 AND key = ?2 AND state IN ('accepted', 'done')",
            )
            .context("marking overridden operations")?;
        let mut changed = 0;
        for (key, release) in undone {
            let release = i64::try_from(*release).unwrap_or(i64::MAX);
            changed += stmt
                .execute(params![event_id, key, release, now_ms()])
                .context("marking overridden operations")?;
        }
        Ok(changed as u32)
    })
}

/// The operation to send next, already marked in flight.
pub struct Next {
    pub id: i64,
    pub key: String,
    pub op: Op,
    /// Tries before this one.
    pub attempts: u32,
    /// The version it is sent with; `None` while the operation it builds on is unanswered.
    pub base: Option<u64>,
}

/// Claims the event's first waiting operation: marks it in flight (so a crash before the
/// answer is recorded sends the same key again) and resolves the version it is based on.
pub fn next_to_send(store: &Store, event_id: &str) -> Result<Option<Next>> {
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
            OpState::Accepted | OpState::Done | OpState::Overridden => return Ok(found.seq),
            OpState::Rejected => current = earlier,
            OpState::Pending | OpState::InFlight => return Ok(None),
        }
    }
    Err(Error::malformed("the outbox", "a loop of operations"))
}

/// The server applied the operation: it is shown over the content until the pull brings it.
pub fn mark_accepted(store: &Store, id: i64, outcome: &OpOutcome) -> Result<()> {
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

/// The server refused the operation: kept with the reason (and the server's version).
pub fn mark_rejected(store: &Store, id: i64, rejection: &Rejection) -> Result<()> {
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

/// The operation goes back to waiting; it and everything after it are tried again after
/// `retry_in`.
pub fn mark_waiting(
    store: &Store,
    event_id: &str,
    id: i64,
    error: &str,
    retry_in: Duration,
) -> Result<()> {
    let next = now_ms().saturating_add(retry_in.as_millis().min(i64::MAX as u128) as i64);
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

/// How many operations wait to be sent.
pub fn count_waiting(store: &Store, event_id: &str) -> Result<u32> {
    store.read_user(|tx| {
        tx.prepare_cached(
            "SELECT count(*) FROM outbox WHERE event_id = ?1 AND state IN ('pending', 'in_flight')",
        )
        .and_then(|mut s| s.query_row([event_id], |r| r.get::<_, i64>(0)))
        .context("counting the outbox")
        .map(|n| n.max(0) as u32)
    })
}
