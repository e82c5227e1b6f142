//! The engine's documents ([`marktplatz_search::document`]) of stored entities: the names a
//! document shows (speakers, track, location, station, hall) are read from content.db.

use rusqlite::{Connection, OptionalExtension, params};

use crate::error::{Error, Result, SqliteContext};
use crate::store::entities::read_entity;
use marktplatz_model::model::{Entity, EntityKind};
use marktplatz_search::document::{Document, SEARCHED_KINDS, body_of};

/// The document for an entity, reading the names it refers to from content.db.
/// `None` for kinds that are not searched.
pub(crate) fn document_of(
    conn: &Connection,
    event_id: &str,
    entity: &Entity,
) -> Result<Option<Document>> {
    marktplatz_search::document::document_of(entity, |kind, id| name_of(conn, kind, event_id, id))
}

/// The long text of a stored entity (empty when it is gone).
pub fn load_body(conn: &Connection, event_id: &str, kind: EntityKind, id: &str) -> Result<String> {
    Ok(load_entity(conn, event_id, kind, id)?
        .map(|entity| body_of(&entity))
        .unwrap_or_default())
}

/// The document of a stored entity; `None` when it is gone or not searched.
pub(crate) fn load_document(
    conn: &Connection,
    event_id: &str,
    kind: EntityKind,
    id: &str,
) -> Result<Option<Document>> {
    match load_entity(conn, event_id, kind, id)? {
        Some(entity) => document_of(conn, event_id, &entity),
        None => Ok(None),
    }
}

/// A stored entity of a searched kind (`None` for the kinds that are not searched).
fn load_entity(
    conn: &Connection,
    event_id: &str,
    kind: EntityKind,
    id: &str,
) -> Result<Option<Entity>> {
    if !SEARCHED_KINDS.contains(&kind) {
        return Ok(None);
    }
    read_entity(conn, event_id, kind, id)
}

/// The `name` column of a speaker, track or location; `None` when it has not arrived yet.
fn name_of(
    conn: &Connection,
    kind: EntityKind,
    event_id: &str,
    id: &str,
) -> Result<Option<String>> {
    // Only these three tables are ever named here: the table name is never user input.
    let sql = match kind {
        EntityKind::Speaker => "SELECT name FROM speaker WHERE event_id = ?1 AND id = ?2",
        EntityKind::Track => "SELECT name FROM track WHERE event_id = ?1 AND id = ?2",
        EntityKind::Location => "SELECT name FROM location WHERE event_id = ?1 AND id = ?2",
        other => {
            return Err(Error::invalid(
                other.as_str(),
                id,
                "a search document names only speakers, tracks and locations",
            ));
        }
    };
    conn.prepare_cached(sql)
        .and_then(|mut s| s.query_row(params![event_id, id], |r| r.get(0)).optional())
        .context("reading a name to index")
}
