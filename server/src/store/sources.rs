//! Publishing sources (table `source_entity`): which entities each source of an event published
//! last, and with which body. A publish of source S removes only what S published before and no
//! other source still names (`docs/adr/0013-safe-publishing.md`).

use std::collections::{HashMap, HashSet};

use super::engine::{Row, Tx, args};

use marktplatz_model::model::EntityKind;

use super::error::{Result, StoreError};

/// An entity as one source published it: (kind, id) and its canonical body.
pub type Published = HashMap<(EntityKind, String), String>;

/// What `source` published last to `event_id` (empty for a source never published).
pub fn published_by(tx: &Tx<'_>, event_id: &str, source: &str) -> Result<Published> {
    let mut map = Published::new();
    tx.query_each(
        "SELECT kind, id, body FROM source_entity WHERE event_id = $1 AND source = $2",
        args![event_id, source],
        |row| {
            map.insert((kind_of(row)?, row.get(1)?), row.get(2)?);
            Ok(true)
        },
    )?;
    Ok(map)
}

/// The entities of `event_id` that some source other than `source` names.
pub fn named_by_others(
    tx: &Tx<'_>,
    event_id: &str,
    source: &str,
) -> Result<HashSet<(EntityKind, String)>> {
    let mut set = HashSet::new();
    tx.query_each(
        "SELECT DISTINCT kind, id FROM source_entity WHERE event_id = $1 AND source <> $2",
        args![event_id, source],
        |row| {
            set.insert((kind_of(row)?, row.get(1)?));
            Ok(true)
        },
    )?;
    Ok(set)
}

/// The entity kind in column 0 of a `source_entity` row.
fn kind_of(row: &Row<'_>) -> Result<EntityKind> {
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
    tx: &Tx<'_>,
    event_id: &str,
    source: &str,
    entities: &[(EntityKind, String, String)],
) -> Result<()> {
    tx.execute(
        "DELETE FROM source_entity WHERE event_id = $1 AND source = $2",
        args![event_id, source],
    )?;
    for (kind, id, body) in entities {
        tx.execute(
            "INSERT INTO source_entity (event_id, source, kind, id, body)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (event_id, source, kind, id) DO UPDATE SET body = excluded.body",
            args![event_id, source, kind.as_str(), id, body],
        )?;
    }
    Ok(())
}
