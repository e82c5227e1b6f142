//! Where each kind of entity is stored, and reading one stored entity (its body, the version it
//! was pulled at): shared by the content writer, the search index, the overlay and the reads.

use marktplatz_model::model::{Entity, EntityKind};
use rusqlite::{OptionalExtension, params};

use super::body::StoredBody;
use crate::error::{Error, Result, SqliteContext};

/// The table holding an entity kind and the column holding its id.
pub(crate) fn table_of(kind: EntityKind) -> (&'static str, &'static str) {
    match kind {
        EntityKind::Event => ("event", "event_id"),
        EntityKind::Location => ("location", "id"),
        EntityKind::Track => ("track", "id"),
        EntityKind::Session => ("session", "id"),
        EntityKind::Speaker => ("speaker", "id"),
        EntityKind::Exhibitor => ("exhibitor", "id"),
        EntityKind::Announcement => ("announcement", "id"),
        EntityKind::GalleryItem => ("gallery_item", "id"),
        EntityKind::InfoPage => ("info_page", "id"),
    }
}

/// An entity as stored (`None`: not there).
pub(crate) fn read_entity(
    tx: &rusqlite::Connection,
    event_id: &str,
    kind: EntityKind,
    id: &str,
) -> Result<Option<Entity>> {
    let (table, key) = table_of(kind);
    let body: Option<StoredBody> = tx
        .prepare_cached(&format!(
            "SELECT body FROM {table} WHERE event_id = ?1 AND {key} = ?2"
        ))
        .and_then(|mut s| s.query_row(params![event_id, id], |r| r.get(0)).optional())
        .context("reading an entity")?;
    body.map(|json| {
        Entity::from_json(kind, &json.0)
            .map_err(|e| Error::malformed(format!("stored {kind} '{id}'"), e))
    })
    .transpose()
}

/// The version (change-log seq) of an entity as pulled from the server; `None` for content
/// that did not come from a server (a local load) or is not there.
pub(crate) fn read_version(
    tx: &rusqlite::Connection,
    event_id: &str,
    kind: EntityKind,
    id: &str,
) -> Result<Option<u64>> {
    tx.prepare_cached(
        "SELECT seq FROM entity_version WHERE event_id = ?1 AND kind = ?2 AND id = ?3",
    )
    .and_then(|mut s| {
        s.query_row(params![event_id, kind.as_str(), id], |r| r.get::<_, i64>(0))
            .optional()
    })
    .context("reading an entity version")
    .map(|seq| seq.map(|s| s.max(0) as u64))
}
