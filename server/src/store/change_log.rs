//! The per-event change log (tables `event` and `entity`): compacted to the latest state per entity, with tombstones, a
//! retention horizon and an epoch.
//!
//! Seqs are assigned inside the writer's IMMEDIATE transaction from `event.head_seq`, so they
//! grow strictly in commit order: a reader's snapshot holds every seq up to the head it sees,
//! and no later commit can add a smaller one. That is what lets a device trust its cursor.

use super::engine::{Row, Tx, args};

use marktplatz_model::model::{Entity, EntityKind};
use marktplatz_model::wire::Head;

use super::changes;
use super::db::now;
use super::error::{Result, StoreError};

/// One row of the log as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct LogRow {
    pub seq: u64,
    pub kind: EntityKind,
    pub id: String,
    /// `None` for a tombstone.
    pub body: Option<String>,
    /// The previous live version, when there was one.
    pub prev: Option<(u64, String)>,
}

/// A change to record: an upsert (`Some(body)`) or a delete (`None`).
#[derive(Clone, Debug)]
pub struct NewChange {
    pub kind: EntityKind,
    pub id: String,
    pub body: Option<String>,
}

/// Six random characters: only has to differ from the event's previous epochs, and every
/// poll carries it twice.
pub fn new_epoch() -> String {
    use base64::Engine;
    let bytes: [u8; 4] = rand::random();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Creates the event if it does not exist yet. Returns whether it was created.
pub fn ensure_event(tx: &Tx<'_>, event_id: &str) -> Result<bool> {
    let created = tx.execute(
        "INSERT INTO event (id, epoch, created_at, updated_at) VALUES ($1, $2, $3, $3)
         ON CONFLICT (id) DO NOTHING",
        args![event_id, new_epoch(), now()],
    )?;
    Ok(created > 0)
}

pub fn head(tx: &Tx<'_>, event_id: &str) -> Result<Option<Head>> {
    tx.query_opt(
        "SELECT epoch, head_seq, min_retained_seq FROM event WHERE id = $1",
        args![event_id],
        |r| head_of(event_id, r),
    )
}

fn head_of(event_id: &str, r: &Row<'_>) -> Result<Head> {
    Ok(Head {
        event: event_id.to_string(),
        epoch: r.get(0)?,
        seq: r.get_u64(1)?,
        min_retained_seq: r.get_u64(2)?,
    })
}

/// The event's head, its row locked until the transaction ends: every write that reads the
/// log to decide what to append starts here, so that on PostgreSQL (several writers, READ
/// COMMITTED) a second writer of the same event waits and then reads what the first committed.
/// On SQLite the IMMEDIATE transaction already excludes other writers.
pub fn lock_head(tx: &Tx<'_>, event_id: &str) -> Result<Head> {
    tx.query_opt(
        "UPDATE event SET head_seq = head_seq WHERE id = $1
         RETURNING epoch, head_seq, min_retained_seq",
        args![event_id],
        |r| head_of(event_id, r),
    )?
    .ok_or_else(|| StoreError::EventNotFound(event_id.to_string()))
}

pub fn require_head(tx: &Tx<'_>, event_id: &str) -> Result<Head> {
    head(tx, event_id)?.ok_or_else(|| StoreError::EventNotFound(event_id.to_string()))
}

/// The event's current content, read in one transaction.
pub struct Current {
    pub head: Head,
    /// Every live entity, parsed.
    pub entities: Vec<Entity>,
    /// The stored bodies' bytes (what the parsed entities hold, roughly).
    pub body_bytes: usize,
}

/// The event's current content: its head and every live entity, parsed (what a full bundle
/// holds, and what the attendee web pages show).
pub fn current_entities(tx: &Tx<'_>, event_id: &str) -> Result<Current> {
    let head = require_head(tx, event_id)?;
    let (rows, _) = changes_since(tx, event_id, 0, u64::MAX, usize::MAX - 1, usize::MAX)?;
    let mut entities = Vec::with_capacity(rows.len());
    let mut body_bytes = 0;
    for row in rows {
        if let Some(body) = row.body {
            body_bytes += body.len();
            let entity = Entity::from_json(row.kind, &body).map_err(|e| {
                StoreError::internal(
                    "reading the current content",
                    format!(
                        "{} '{}' has a stored body that does not parse: {e}",
                        row.kind, row.id
                    ),
                )
            })?;
            entities.push(entity);
        }
    }
    Ok(Current {
        head,
        entities,
        body_bytes,
    })
}

/// When the event's content last changed (Unix seconds): what the attendee pages show as
/// "as of"; `None` for an unknown event.
pub fn updated_at(tx: &Tx<'_>, event_id: &str) -> Result<Option<i64>> {
    tx.query_opt(
        "SELECT updated_at FROM event WHERE id = $1",
        args![event_id],
        |row| row.get(0),
    )
}

/// The entries after `since`, in seq order, at most `limit` rows and about `max_bytes` of
/// bodies (always at least one row). Tombstones up to `skip_tombstones_upto` are left out: a
/// snapshot taken at head H never held an entity deleted at or before H.
pub fn changes_since(
    tx: &Tx<'_>,
    event_id: &str,
    since: u64,
    skip_tombstones_upto: u64,
    limit: usize,
    max_bytes: usize,
) -> Result<(Vec<LogRow>, bool)> {
    let mut out = Vec::new();
    let mut bytes = 0usize;
    let mut more = false;
    let since = since.min(i64::MAX as u64) as i64;
    let rows = limit.saturating_add(1).min(i64::MAX as usize) as i64;
    let skip = skip_tombstones_upto.min(i64::MAX as u64) as i64;
    let params = args![event_id, since, rows, skip];
    let sql = "SELECT seq, kind, id, body, prev_seq, prev_body FROM entity
         WHERE event_id = $1 AND seq > $2 AND (body IS NOT NULL OR seq > $4)
         ORDER BY seq LIMIT $3";
    tx.query_each(sql, params, |row| {
        if out.len() == limit || (bytes >= max_bytes && !out.is_empty()) {
            more = true;
            return Ok(false);
        }
        let kind_text: String = row.get(1)?;
        let kind = EntityKind::parse(&kind_text).ok_or_else(|| {
            StoreError::internal(
                "reading the change log",
                format!("unknown kind {kind_text}"),
            )
        })?;
        let body: Option<String> = row.get(3)?;
        bytes += body.as_ref().map_or(0, String::len) + 48;
        let prev = match (row.get::<Option<i64>>(4)?, row.get::<Option<String>>(5)?) {
            (Some(seq), Some(body)) => Some((seq.max(0) as u64, body)),
            _ => None,
        };
        out.push(LogRow {
            seq: row.get_u64(0)?,
            kind,
            id: row.get(2)?,
            body,
            prev,
        });
        Ok(true)
    })?;
    Ok((out, more))
}

/// The current body of every live entity of the event, keyed by (kind, id).
pub fn live_bodies(
    tx: &Tx<'_>,
    event_id: &str,
) -> Result<std::collections::HashMap<(EntityKind, String), String>> {
    let mut map = std::collections::HashMap::new();
    tx.query_each(
        "SELECT kind, id, body FROM entity WHERE event_id = $1 AND body IS NOT NULL",
        args![event_id],
        |row| {
            let kind_text: String = row.get(0)?;
            if let Some(kind) = EntityKind::parse(&kind_text) {
                map.insert((kind, row.get(1)?), row.get(2)?);
            }
            Ok(true)
        },
    )?;
    Ok(map)
}

/// The live entities of one kind: id, the version (seq) an operation on it is based on, and
/// the body (the organiser console's lists).
pub fn live_of_kind(
    tx: &Tx<'_>,
    event_id: &str,
    kind: EntityKind,
) -> Result<Vec<(String, u64, String)>> {
    tx.query_all(
        "SELECT id, seq, body FROM entity
         WHERE event_id = $1 AND kind = $2 AND body IS NOT NULL ORDER BY seq DESC",
        args![event_id, kind.as_str()],
        |r| Ok((r.get(0)?, r.get_u64(1)?, r.get(2)?)),
    )
}

/// One entity with its version: the seq of its last change (which only grows, across epochs
/// too) and when that change was made; for a deleted one, its last live body.
#[derive(Clone, Debug, PartialEq)]
pub struct LiveVersion {
    pub kind: EntityKind,
    pub id: String,
    pub seq: u64,
    pub changed_at: i64,
    pub body: String,
}

/// Which versions of entities to read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Versions {
    /// The live entities, with their current body.
    Live,
    /// The deleted entities whose tombstones the log still holds: the tombstone's seq and
    /// time, with the last body they had while live (the calendar feeds keep a deleted session
    /// as cancelled for a while).
    Deleted,
}

/// The entities of the given kinds, live or deleted, with their versions (the calendar
/// feeds).
pub fn versions(
    tx: &Tx<'_>,
    event_id: &str,
    which: Versions,
    kinds: &[EntityKind],
) -> Result<Vec<LiveVersion>> {
    let sql = match which {
        Versions::Live => {
            "SELECT kind, id, seq, changed_at, body FROM entity
             WHERE event_id = $1 AND kind = $2 AND body IS NOT NULL"
        }
        Versions::Deleted => {
            "SELECT kind, id, seq, changed_at, prev_body FROM entity
             WHERE event_id = $1 AND kind = $2 AND body IS NULL AND prev_body IS NOT NULL"
        }
    };
    versions_of(tx, sql, event_id, kinds)
}

/// `sql`'s rows (kind, id, seq, changed_at, body; bound to the event and one kind) for each
/// of `kinds`.
fn versions_of(
    tx: &Tx<'_>,
    sql: &'static str,
    event_id: &str,
    kinds: &[EntityKind],
) -> Result<Vec<LiveVersion>> {
    let mut out = Vec::new();
    for kind in kinds {
        out.extend(tx.query_all(sql, args![event_id, kind.as_str()], |r| {
            Ok(LiveVersion {
                kind: *kind,
                id: r.get(1)?,
                seq: r.get_u64(2)?,
                changed_at: r.get(3)?,
                body: r.get(4)?,
            })
        })?);
    }
    Ok(out)
}

/// How many live entities of each kind the event has.
pub fn live_counts(tx: &Tx<'_>, event_id: &str) -> Result<Vec<(EntityKind, u64)>> {
    let rows = tx.query_all(
        "SELECT kind, count(*) FROM entity WHERE event_id = $1 AND body IS NOT NULL
         GROUP BY kind ORDER BY kind",
        args![event_id],
        |r| Ok((r.get::<String>(0)?, r.get_u64(1)?)),
    )?;
    Ok(rows
        .into_iter()
        .filter_map(|(kind, count)| Some((EntityKind::parse(&kind)?, count)))
        .collect())
}

/// Appends changes to the log, each with the next seq. Returns the new head. Takes the
/// event's row lock ([`lock_head`]) before it reads the head, so seqs grow in commit order on
/// PostgreSQL too.
pub fn append(tx: &Tx<'_>, event_id: &str, changes: &[NewChange]) -> Result<u64> {
    let head = lock_head(tx, event_id)?;
    if changes.is_empty() {
        return Ok(head.seq);
    }
    let stamp = now();
    let mut seq = head.seq;
    for change in changes {
        seq += 1;
        tx.execute(
            "INSERT INTO entity (event_id, kind, id, seq, body, changed_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (event_id, kind, id) DO UPDATE SET
               prev_seq = CASE WHEN entity.body IS NOT NULL THEN entity.seq END,
               prev_body = entity.body,
               seq = $4, body = $5, changed_at = $6",
            args![
                event_id,
                change.kind.as_str(),
                &change.id,
                seq as i64,
                &change.body,
                stamp
            ],
        )?;
    }
    tx.execute(
        "UPDATE event SET head_seq = $2, updated_at = $3 WHERE id = $1",
        args![event_id, seq as i64, stamp],
    )?;
    changes::announce(tx, event_id, seq)?;
    Ok(seq)
}

/// Drops tombstones older than `older_than_secs` and moves the retention horizon past them.
/// Devices whose cursor is below the horizon get 410 and re-bootstrap. Returns how many went.
pub fn purge_tombstones(tx: &Tx<'_>, event_id: &str, older_than_secs: i64) -> Result<usize> {
    let cutoff = now() - older_than_secs;
    lock_head(tx, event_id)?;
    let newest_purged: Option<i64> = tx.query_one(
        "SELECT max(seq) FROM entity WHERE event_id = $1 AND body IS NULL AND changed_at <= $2",
        args![event_id, cutoff],
        |r| r.get(0),
    )?;
    let Some(horizon) = newest_purged else {
        return Ok(0);
    };
    let purged = tx.execute(
        "DELETE FROM entity WHERE event_id = $1 AND body IS NULL AND seq <= $2",
        args![event_id, horizon],
    )?;
    let head = tx.query_one(
        "UPDATE event SET min_retained_seq =
           CASE WHEN min_retained_seq > $2 THEN min_retained_seq ELSE $2 END
         WHERE id = $1 RETURNING head_seq",
        args![event_id, horizon],
        |r| r.get_u64(0),
    )?;
    changes::announce(tx, event_id, head)?;
    Ok(purged)
}

/// Every event's id, in order.
pub fn event_ids(tx: &Tx<'_>) -> Result<Vec<String>> {
    tx.query_all("SELECT id FROM event ORDER BY id", args![], |r| {
        r.get::<String>(0)
    })
}

/// Starts a new epoch (after a restore or a history reset): every device re-bootstraps, so
/// tombstones are no longer needed and the horizon starts afresh. Returns the new epoch.
pub fn rotate_epoch(tx: &Tx<'_>, event_id: &str) -> Result<String> {
    let Head {
        epoch: old, seq, ..
    } = lock_head(tx, event_id)?;
    let mut epoch = new_epoch();
    while epoch == old {
        epoch = new_epoch();
    }
    tx.execute(
        "DELETE FROM entity WHERE event_id = $1 AND body IS NULL",
        args![event_id],
    )?;
    tx.execute(
        "UPDATE event SET epoch = $2, min_retained_seq = 0, updated_at = $3 WHERE id = $1",
        args![event_id, &epoch, now()],
    )?;
    changes::announce(tx, event_id, seq)?;
    Ok(epoch)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn change(id: &str, body: Option<&str>) -> NewChange {
        NewChange {
            kind: EntityKind::Track,
            id: id.into(),
            body: body.map(str::to_string),
        }
    }

    #[test]
    fn seqs_grow_and_compaction_keeps_latest_state_only() {
        for t in crate::store::testing::each_engine() {
            let db = &t.db;
            db.write_blocking(|tx| {
                ensure_event(tx, "e")?;
                assert_eq!(
                    append(tx, "e", &[change("a", Some("1")), change("b", Some("2"))])?,
                    2
                );
                assert_eq!(append(tx, "e", &[change("a", Some("3"))])?, 3);
                assert_eq!(append(tx, "e", &[change("b", None)])?, 4);
                Ok(())
            })
            .unwrap();
            db.read_blocking(|tx| {
                let (rows, more) = changes_since(tx, "e", 0, 4, 10, 1 << 20)?;
                assert!(!more);
                // From 0: only the live entity, at its latest seq; no tombstone.
                assert_eq!(rows.len(), 1);
                assert_eq!((rows[0].seq, rows[0].body.as_deref()), (3, Some("3")));
                let (rows, _) = changes_since(tx, "e", 2, 0, 10, 1 << 20)?;
                let seqs: Vec<u64> = rows.iter().map(|r| r.seq).collect();
                assert_eq!(seqs, vec![3, 4]);
                assert_eq!(rows[1].body, None);
                let (rows, more) = changes_since(tx, "e", 2, 0, 1, 1 << 20)?;
                assert_eq!((rows.len(), more), (1, true));
                Ok(())
            })
            .unwrap();
        }
    }

    #[test]
    fn purge_moves_the_horizon_and_rotation_changes_epoch() {
        for t in crate::store::testing::each_engine() {
            let db = &t.db;
            db.write_blocking(|tx| {
                ensure_event(tx, "e")?;
                append(tx, "e", &[change("a", Some("1")), change("b", Some("2"))])?;
                append(tx, "e", &[change("a", None)])?;
                assert_eq!(purge_tombstones(tx, "e", 0)?, 1);
                let head = require_head(tx, "e")?;
                assert_eq!((head.seq, head.min_retained_seq), (3, 3));
                let before = head.epoch;
                let after = rotate_epoch(tx, "e")?;
                assert_ne!(before, after);
                assert_eq!(require_head(tx, "e")?.min_retained_seq, 0);
                Ok(())
            })
            .unwrap();
        }
    }
}
