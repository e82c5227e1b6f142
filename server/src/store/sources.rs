//! Publishing sources (table `source_entity`): which entities each source of an event published
//! last, and with which body. A publish of source S removes only what S published before and no
//! other source still names (`docs/adr/0013-safe-publishing.md`).

use std::collections::{HashMap, HashSet};

use rusqlite::{Transaction, params};

use marktplatz_model::model::EntityKind;

use super::error::{Result, StoreError};

/// An entity as one source published it: (kind, id) and its canonical body.
pub type Published = HashMap<(EntityKind, String), String>;

/// What `source` published last to `event_id` (empty for a source never published).
pub fn published_by(tx: &Transaction<'_>, event_id: &str, source: &str) -> Result<Published> {
    let mut stmt = tx.prepare_cached(
        "SELECT kind, id, body FROM source_entity WHERE event_id = ?1 AND source = ?2",
    )?;
    let mut rows = stmt.query(params![event_id, source])?;
    let mut map = Published::new();
    while let Some(row) = rows.next()? {
        map.insert((kind_of(row)?, row.get(1)?), row.get(2)?);
    }
    Ok(map)
}

/// The entities of `event_id` that some source other than `source` names.
pub fn named_by_others(
    tx: &Transaction<'_>,
    event_id: &str,
    source: &str,
) -> Result<HashSet<(EntityKind, String)>> {
    let mut stmt = tx.prepare_cached(
        "SELECT DISTINCT kind, id FROM source_entity WHERE event_id = ?1 AND source <> ?2",
    )?;
    let mut rows = stmt.query(params![event_id, source])?;
    let mut set = HashSet::new();
    while let Some(row) = rows.next()? {
        set.insert((kind_of(row)?, row.get(1)?));
    }
    Ok(set)
}

/// The entity kind in column 0 of a `source_entity` row.
fn kind_of(row: &rusqlite::Row<'_>) -> Result<EntityKind> {
    let text: String = row.get(0)?;
    EntityKind::parse(&text).ok_or_else(|| {
        StoreError::internal(
            "reading a source's entities",
            format!("unknown kind {text}"),
        )
    })
}

/// Replaces what `source` published to `event_id` with `entities`.
pub fn record(
    tx: &Transaction<'_>,
    event_id: &str,
    source: &str,
    entities: &[(EntityKind, String, String)],
) -> Result<()> {
    tx.prepare_cached("DELETE FROM source_entity WHERE event_id = ?1 AND source = ?2")?
        .execute(params![event_id, source])?;
    let mut insert = tx.prepare_cached(
        "INSERT OR REPLACE INTO source_entity (event_id, source, kind, id, body)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (kind, id, body) in entities {
        insert.execute(params![event_id, source, kind.as_str(), id, body])?;
    }
    Ok(())
}
