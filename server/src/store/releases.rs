//! Releases (table `release`): every publish, numbered per event, with who published which
//! source, the note and the summary of its diff (`docs/adr/0013-safe-publishing.md`).

use super::engine::{Tx, args};

use marktplatz_model::model::EntityKind;
use marktplatz_model::source::Release;
use marktplatz_model::wire::{PublishOutcome, code};

use super::db::now;
use super::error::{Result, StoreError};
use super::steps::Encoded;

/// Who publishes what: the source, the token's subject and the organiser's note.
#[derive(Clone, Debug)]
pub struct Publisher {
    pub source: String,
    pub subject: String,
    pub note: String,
    /// Publish even if the plan has refusals (`?confirm=yes`).
    pub confirmed: bool,
}

/// Records the publish `outcome` of `entities` (the source's snapshot) as the event's next
/// release; returns its number.
pub fn record(
    tx: &Tx<'_>,
    event_id: &str,
    by: &Publisher,
    outcome: &PublishOutcome,
    entities: &[Encoded],
) -> Result<u64> {
    let number: i64 = tx.query_one(
        "SELECT COALESCE(MAX(number), 0) + 1 FROM release WHERE event_id = $1",
        args![event_id],
        |r| r.get(0),
    )?;
    tx.execute(
        "INSERT INTO release (event_id, number, published_at, subject, source, note, seq,
                              added, updated, removed, unchanged)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        args![
            event_id,
            number,
            now(),
            by.subject,
            by.source,
            by.note,
            outcome.seq.min(i64::MAX as u64) as i64,
            outcome.added.min(i64::MAX as u64) as i64,
            outcome.updated.min(i64::MAX as u64) as i64,
            outcome.removed.min(i64::MAX as u64) as i64,
            outcome.unchanged.min(i64::MAX as u64) as i64
        ],
    )?;
    for (position, (kind, id, body)) in entities.iter().enumerate() {
        let position = i64::try_from(position).unwrap_or(i64::MAX);
        tx.execute(
            "INSERT INTO release_entity (event_id, number, position, kind, id, body)
             VALUES ($1, $2, $3, $4, $5, $6)",
            args![event_id, number, position, kind.as_str(), id, body],
        )?;
    }
    Ok(number.max(0) as u64)
}

/// What release `number` published: its source and snapshot (kind, id, canonical body).
/// `NotFound` for a release that does not exist or was published before releases kept their
/// content (server v7).
pub fn content(tx: &Tx<'_>, event_id: &str, number: u64) -> Result<(String, Vec<Encoded>)> {
    let number = i64::try_from(number).unwrap_or(i64::MAX);
    let source: Option<String> = tx.query_opt(
        "SELECT source FROM release WHERE event_id = $1 AND number = $2",
        args![event_id, number],
        |r| r.get(0),
    )?;
    let Some(source) = source else {
        return Err(StoreError::NotFound(format!(
            "event '{event_id}' has no release {number}"
        )));
    };
    let mut entities = Vec::new();
    tx.query_each(
        "SELECT kind, id, body FROM release_entity WHERE event_id = $1 AND number = $2
         ORDER BY position",
        args![event_id, number],
        |row| {
            let kind: String = row.get(0)?;
            let kind = EntityKind::parse(&kind).ok_or_else(|| {
                StoreError::internal("reading a release", format!("unknown kind {kind}"))
            })?;
            entities.push((kind, row.get(1)?, row.get(2)?));
            Ok(true)
        },
    )?;
    if entities.is_empty() {
        return Err(StoreError::refused(
            code::NOT_FOUND,
            format!(
                "release {number} of event '{event_id}' was published before releases kept their content; it cannot be restored"
            ),
        ));
    }
    Ok((source, entities))
}

/// The event's releases, newest first.
pub fn list(tx: &Tx<'_>, event_id: &str) -> Result<Vec<Release>> {
    tx.query_all(
        "SELECT number, published_at, subject, source, note, seq, added, updated, removed,
                unchanged
         FROM release WHERE event_id = $1 ORDER BY number DESC",
        args![event_id],
        |r| {
            Ok(Release {
                number: r.get_u64(0)?,
                published_at: r.get(1)?,
                subject: r.get(2)?,
                source: r.get(3)?,
                note: r.get(4)?,
                seq: r.get_u64(5)?,
                added: r.get_u64(6)?,
                updated: r.get_u64(7)?,
                removed: r.get_u64(8)?,
                unchanged: r.get_u64(9)?,
            })
        },
    )
}
