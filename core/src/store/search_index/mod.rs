//! The search index (`search_doc`, `search_fts`, `search_state` in content.db): kept in step
//! with the content inside the writer's transaction, so a committed page is always searchable
//! and never half indexed. Words are written by the engine's rules ([`marktplatz_search`]);
//! `crate::search` reads them.
//!
//! A session's row holds its speakers', track's and location's names, an exhibitor's its
//! station's, a location's its hall's: when one of those changes (or arrives after the session,
//! which sync allows), the rows that show it are written again.

use rusqlite::{Connection, OptionalExtension, Transaction, params};

mod build;
mod document;

use crate::error::{Result, SqliteContext};
use crate::store::id_ref::ref_of_id;
pub(crate) use build::build_event;
pub use document::load_body;
use document::{document_of, load_document};
use marktplatz_model::model::{Entity, EntityKind};
pub use marktplatz_search::document::{Document, SEARCHED_KINDS};
use marktplatz_search::normalize::index_text;

pub(crate) fn on_upsert(tx: &Transaction<'_>, event_id: &str, entity: &Entity) -> Result<()> {
    if let Some(document) = document_of(tx, event_id, entity)? {
        write(tx, event_id, entity.kind(), entity.id(), &document)?;
    }
    reindex_dependents(tx, event_id, entity.kind(), entity.id())
}

pub(crate) fn on_delete(
    tx: &Transaction<'_>,
    event_id: &str,
    kind: EntityKind,
    id: &str,
) -> Result<()> {
    remove(tx, event_id, kind, id)?;
    reindex_dependents(tx, event_id, kind, id)
}

pub(crate) fn on_clear(tx: &Transaction<'_>, event_id: &str) -> Result<()> {
    let ids: Vec<i64> = {
        let mut stmt = tx
            .prepare_cached("SELECT doc_id FROM search_doc WHERE event_id = ?1")
            .context("clearing the search index")?;
        let rows = stmt
            .query_map([event_id], |r| r.get(0))
            .context("clearing the search index")?;
        rows.collect::<rusqlite::Result<_>>()
            .context("clearing the search index")?
    };
    let mut delete = tx
        .prepare_cached("DELETE FROM search_fts WHERE rowid = ?1")
        .context("clearing the search index")?;
    for id in ids {
        delete.execute([id]).context("clearing the search index")?;
    }
    tx.prepare_cached("DELETE FROM search_doc WHERE event_id = ?1")
        .and_then(|mut s| s.execute([event_id]))
        .context("clearing the search index")?;
    Ok(())
}

/// Builds the index from the content tables when a migration left it empty. Called by the store
/// when it opens content.db; a no-op once built.
pub(crate) fn ensure_built(conn: &mut Connection) -> Result<()> {
    let built: Option<i64> = conn
        .query_row(
            "SELECT value FROM search_state WHERE key = 'built'",
            [],
            |r| r.get(0),
        )
        .optional()
        .context("reading the search index state")?;
    if built == Some(1) {
        return Ok(());
    }
    let tx = conn.transaction().context("building the search index")?;
    rebuild_all(&tx)?;
    tx.execute(
        "INSERT OR REPLACE INTO search_state (key, value) VALUES ('built', 1)",
        [],
    )
    .context("building the search index")?;
    tx.commit().context("building the search index")
}

/// Drops and rewrites the whole index from the content tables (also used by the benchmark to
/// time a full build).
pub fn rebuild_all(tx: &Connection) -> Result<()> {
    tx.execute_batch(
        "INSERT INTO search_fts (search_fts) VALUES ('delete-all'); DELETE FROM search_doc;",
    )
    .context("emptying the search index")?;
    for kind in SEARCHED_KINDS {
        // Every searched kind's table is named like the kind and keyed by `id`.
        let table = kind.as_str();
        let keys: Vec<(String, String)> = {
            let mut stmt = tx
                .prepare(&format!("SELECT event_id, id FROM {table}"))
                .context("listing content to index")?;
            let rows = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .context("listing content to index")?;
            rows.collect::<rusqlite::Result<_>>()
                .context("listing content to index")?
        };
        for (event_id, id) in keys {
            reindex(tx, &event_id, kind, &id)?;
        }
    }
    Ok(())
}

/// Writes the row of a stored entity again (or removes it when the entity is gone).
fn reindex(conn: &Connection, event_id: &str, kind: EntityKind, id: &str) -> Result<()> {
    match load_document(conn, event_id, kind, id)? {
        Some(document) => write(conn, event_id, kind, id, &document),
        None => remove(conn, event_id, kind, id),
    }
}

fn write(
    conn: &Connection,
    event_id: &str,
    kind: EntityKind,
    id: &str,
    document: &Document,
) -> Result<()> {
    let digest = digest(document);
    let existing: Option<(i64, i64)> = conn
        .prepare_cached(
            "SELECT doc_id, digest FROM search_doc
             WHERE event_id = ?1 AND kind = ?2 AND entity_id = ?3",
        )
        .and_then(|mut s| {
            s.query_row(params![event_id, kind.as_str(), id], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()
        })
        .context("indexing an entity")?;
    let doc_id = match existing {
        // Sync replays pages and re-sends unchanged entities: nothing to do.
        Some((_, old)) if old == digest => return Ok(()),
        Some((doc_id, _)) => {
            conn.prepare_cached(
                "UPDATE search_doc SET title = ?2, people = ?3, place = ?4, digest = ?5
                 WHERE doc_id = ?1",
            )
            .and_then(|mut s| {
                s.execute(params![
                    doc_id,
                    document.title,
                    document.people,
                    document.place,
                    digest
                ])
            })
            .context("indexing an entity")?;
            // Only rows that exist are deleted: in a contentless_delete table every delete
            // leaves a tombstone that later merges must process.
            conn.prepare_cached("DELETE FROM search_fts WHERE rowid = ?1")
                .and_then(|mut s| s.execute([doc_id]))
                .context("indexing an entity")?;
            doc_id
        }
        None => insert_doc(conn, event_id, kind, id, document, digest)?,
    };
    insert_fts(conn, doc_id, &FtsRow::of(document))
}

/// A new `search_doc` row; its `doc_id`. Callers insert only rows that are not there.
///
/// `OR IGNORE`: a plain INSERT may abort on the key after writing the table, so it runs in a
/// statement savepoint, and every savepoint makes FTS5 flush its pending terms as a new segment
/// (a first sync's index build wrote one per batch, then merged them: ADR 0010 part 6). A row
/// that was there after all is ignored and returns no `doc_id`: an error below, as before.
fn insert_doc(
    conn: &Connection,
    event_id: &str,
    kind: EntityKind,
    id: &str,
    document: &Document,
    digest: i64,
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT OR IGNORE INTO search_doc (event_id, kind, entity_id, title, people, place, digest)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING doc_id",
    )
    .and_then(|mut s| {
        s.query_row(
            params![
                event_id,
                kind.as_str(),
                id,
                document.title,
                document.people,
                document.place,
                digest
            ],
            |r| r.get(0),
        )
    })
    .context("indexing an entity")
}

/// The FTS row of a document: its fields as the engine indexes them ([`index_text`]).
/// Made on the build's helper thread, or beside the write that needs it.
struct FtsRow {
    title: String,
    people: String,
    place: String,
    body: String,
}

impl FtsRow {
    fn of(document: &Document) -> FtsRow {
        FtsRow {
            title: index_text(&document.title),
            people: index_text(&document.people),
            place: index_text(&document.place),
            body: index_text(&document.body),
        }
    }
}

/// The FTS row of a `search_doc` row.
fn insert_fts(conn: &Connection, doc_id: i64, row: &FtsRow) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO search_fts (rowid, title, people, place, body) VALUES (?1, ?2, ?3, ?4, ?5)",
    )
    .and_then(|mut s| s.execute(params![doc_id, row.title, row.people, row.place, row.body]))
    .context("indexing an entity")?;
    Ok(())
}

/// A stable 63-bit FNV-1a hash of the indexed text (std's hasher may change between releases,
/// and this value is stored).
fn digest(document: &Document) -> i64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for field in [
        &document.title,
        &document.people,
        &document.place,
        &document.body,
    ] {
        for byte in field.bytes().chain([0xff]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    (hash >> 1) as i64
}

fn remove(conn: &Connection, event_id: &str, kind: EntityKind, id: &str) -> Result<()> {
    let doc_id: Option<i64> = conn
        .prepare_cached(
            "DELETE FROM search_doc WHERE event_id = ?1 AND kind = ?2 AND entity_id = ?3
             RETURNING doc_id",
        )
        .and_then(|mut s| {
            s.query_row(params![event_id, kind.as_str(), id], |r| r.get(0))
                .optional()
        })
        .context("removing an entity from the search index")?;
    if let Some(doc_id) = doc_id {
        conn.prepare_cached("DELETE FROM search_fts WHERE rowid = ?1")
            .and_then(|mut s| s.execute([doc_id]))
            .context("removing an entity from the search index")?;
    }
    Ok(())
}

/// Re-indexes the entities whose rows show the name of the changed one.
fn reindex_dependents(conn: &Connection, event_id: &str, kind: EntityKind, id: &str) -> Result<()> {
    let queries: &[(&str, EntityKind)] = match kind {
        EntityKind::Speaker => &[(
            "SELECT session_id FROM session_speaker WHERE event_id = ?1 AND speaker_id = ?2",
            EntityKind::Session,
        )],
        EntityKind::Track => &[(
            concat!(
                "SELECT id FROM session WHERE event_id = ?1 AND track_ref = ",
                ref_of_id!()
            ),
            EntityKind::Session,
        )],
        EntityKind::Location => &[
            (
                concat!(
                    "SELECT id FROM session WHERE event_id = ?1 AND location_ref = ",
                    ref_of_id!()
                ),
                EntityKind::Session,
            ),
            (
                "SELECT id FROM exhibitor WHERE event_id = ?1 AND station_id = ?2",
                EntityKind::Exhibitor,
            ),
            (
                "SELECT id FROM location WHERE event_id = ?1 AND parent_id = ?2",
                EntityKind::Location,
            ),
        ],
        _ => &[],
    };
    for (sql, dependent_kind) in queries {
        let ids: Vec<String> = {
            let mut stmt = conn
                .prepare_cached(sql)
                .context("finding entities to re-index")?;
            let rows = stmt
                .query_map(params![event_id, id], |r| r.get(0))
                .context("finding entities to re-index")?;
            rows.collect::<rusqlite::Result<_>>()
                .context("finding entities to re-index")?
        };
        for dependent in ids {
            reindex(conn, event_id, *dependent_kind, &dependent)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::store::Store;
    use marktplatz_model::model::Speaker;

    /// The FTS5 segments of content.db's search index (a segment's pages are stored under ids
    /// `segid << 37`, fts5_index.c; tombstone pages under segid + 2^16).
    fn fts_segments(store: &Store) -> usize {
        let ids: Vec<i64> = store
            .read(|tx| {
                tx.prepare("SELECT id FROM search_fts_data")
                    .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
                    .context("test")
            })
            .unwrap();
        let segments: std::collections::BTreeSet<i64> = ids
            .into_iter()
            .map(|id| id >> 37)
            .filter(|&segid| segid > 0 && segid < 1 << 16)
            .collect();
        segments.len()
    }

    /// Writes `count` speakers (bios by `bio`) as a first sync does: indexed once at its end.
    fn first_sync_of_speakers(store: &Store, count: usize, bio: impl Fn(usize) -> String) {
        let event = "mp-nordwest";
        store
            .write_content(|tx| {
                tx.defer_derived();
                tx.defer_indexes(event)?;
                for n in 0..count {
                    let entity = Entity::Speaker(Speaker {
                        id: format!("sp{n}"),
                        name: format!("Referentin Nummer{n}"),
                        organisation: None,
                        role: None,
                        bio: bio(n),
                        photo: None,
                        links: Vec::new(),
                    });
                    tx.upsert(event, &entity, &entity.to_json().unwrap())?;
                }
                tx.build_derived(event)
            })
            .unwrap();
    }

    /// How many rows the FTS index finds for one indexed word.
    fn matching(store: &Store, word: &str) -> i64 {
        store
            .read(|tx| {
                tx.query_row(
                    "SELECT count(*) FROM search_fts WHERE search_fts MATCH ?1",
                    [word],
                    |r| r.get(0),
                )
                .context("test")
            })
            .unwrap()
    }

    /// A first sync's index larger than FTS5's default hash (1 MiB of pending terms, which
    /// 36C3's filled three times) is still written as one segment: each segment would hold
    /// the common terms' lists again (content v9).
    #[test]
    fn a_first_sync_index_over_a_mebibyte_of_pending_terms_is_written_as_one_segment() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let count = 700;
        first_sync_of_speakers(&store, count, |n| {
            let words: Vec<String> = (0..60).map(|k| format!("begriff{n}x{k}")).collect();
            words.join(" ")
        });
        assert_eq!(fts_segments(&store), 1);
        assert_eq!(matching(&store, "referentin"), count as i64);
        assert_eq!(matching(&store, "begriff699x59"), 1);
    }

    /// A first sync's index build writes its FTS rows without flushing FTS5's pending terms
    /// between batches: one segment for a small event, not one per batch merged later.
    #[test]
    fn a_first_sync_builds_the_search_index_as_one_segment_and_finds_every_entity() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let count = build::BUILD_BATCH * 3 + 7;
        first_sync_of_speakers(&store, count, |n| {
            format!("Spricht über Thema{n} und Wärmepumpen")
        });
        assert_eq!(fts_segments(&store), 1);
        let found = |word: &str| matching(&store, index_text(word).trim());
        assert_eq!(found("Wärmepumpen"), count as i64);
        assert_eq!(found("Nummer700"), 1);
        let docs: i64 = store
            .read(|tx| {
                tx.query_row("SELECT count(*) FROM search_doc", [], |r| r.get(0))
                    .context("test")
            })
            .unwrap();
        assert_eq!(docs, count as i64);
    }
}
