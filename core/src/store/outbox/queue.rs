//! The organiser's side of the queue: queueing an operation (based on the version they see),
//! listing, dismissing, and sending a refused one again.

use marktplatz_model::model::EntityKind;
use marktplatz_model::ops::{Op, new_key};
use rusqlite::{OptionalExtension, Transaction, params};

use super::{ENTRY_COLUMNS, OVERLAID, OpState, OutboxEntry, entry, now_ms, read_row};
use crate::error::{Error, Result, SqliteContext};
use crate::store::{Overlay, Store, read_entity, read_version};

impl Store {
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
            let overlay = Overlay::build(tx, event_id, &overlay_ops)?;
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
