//! An event's whole index, built afresh at the end of a first sync, whose pages skipped
//! indexing (ADR 0010 parts 5, 6 and 10).
//!
//! Each searched table is read once, in batches, and the names a document shows come from
//! memory: looking each entity and each name up by its key was a third of the build. Turning a
//! stored body into its document and FTS row (decompressing, parsing, the engine's
//! `index_text`) was another third, all on the thread that holds the transaction: a helper
//! thread now prepares one batch while this thread writes the batch before it. Per batch the
//! `search_doc` rows are written first and the FTS rows after them: a write needing a statement
//! journal between two FTS5 inserts makes FTS5 flush its pending terms to disk, a segment per
//! entity to merge later. Documents are written in the order they were read, as before.

use std::collections::HashMap;
use std::sync::mpsc;

use rusqlite::Transaction;
use rusqlite::types::{FromSql, Value, ValueRef};

use super::{Document, FtsRow, SEARCHED_KINDS, digest, insert_doc, insert_fts, on_clear};
use crate::error::{Error, Result, SqliteContext};
use crate::store::StoredBody;
use marktplatz_model::model::{Entity, EntityKind};

/// Entities per batch: the documents of at most [`IN_FLIGHT`] batches are held in memory.
pub(super) const BUILD_BATCH: usize = 256;

/// Batches read and not yet written: the helper prepares one while this thread writes another.
const IN_FLIGHT: usize = 2;

/// Rows of one searched table as stored: id and body.
struct ReadBatch {
    kind: EntityKind,
    rows: Vec<(String, Value)>,
}

/// The rows of a [`ReadBatch`] ready to write (entities without a document left out).
struct ReadyBatch {
    kind: EntityKind,
    documents: Vec<Prepared>,
}

struct Prepared {
    id: String,
    document: Document,
    digest: i64,
    fts: FtsRow,
}

/// Builds the event's whole index from its content tables, in `tx`.
pub(crate) fn build_event(tx: &Transaction<'_>, event_id: &str) -> Result<()> {
    on_clear(tx, event_id)?;
    let names = Names::of_event(tx, event_id)?;
    std::thread::scope(|scope| {
        let (to_helper, read) = mpsc::channel::<ReadBatch>();
        let (to_writer, ready) = mpsc::channel::<Result<ReadyBatch>>();
        let names = &names;
        let helper = std::thread::Builder::new()
            .name("marktplatz-index".to_string())
            .spawn_scoped(scope, move || {
                // Every batch is answered, a failed one with its error, until the writer stops.
                for batch in read {
                    if to_writer.send(prepare(batch, names)).is_err() {
                        break;
                    }
                }
            })
            .map_err(|e| Error::io("starting the thread that prepares the search index", e))?;
        let written = read_and_write(tx, event_id, to_helper, &ready);
        // A helper still preparing stops at its next answer.
        drop(ready);
        match helper.join() {
            Ok(()) => written,
            Err(_) => Err(helper_gone()),
        }
    })
}

/// Reads every searched table of the event in batches, hands each to the helper and writes
/// what it prepared, at most [`IN_FLIGHT`] batches behind.
fn read_and_write(
    tx: &Transaction<'_>,
    event_id: &str,
    to_helper: mpsc::Sender<ReadBatch>,
    ready: &mpsc::Receiver<Result<ReadyBatch>>,
) -> Result<()> {
    let mut in_flight = 0;
    let mut hand_over = |batch: ReadBatch| -> Result<()> {
        to_helper.send(batch).map_err(|_| helper_gone())?;
        in_flight += 1;
        if in_flight == IN_FLIGHT {
            write_next(tx, event_id, ready)?;
            in_flight -= 1;
        }
        Ok(())
    };
    for kind in SEARCHED_KINDS {
        // Every searched kind's table is named like the kind and keyed by `id`.
        let mut stmt = tx
            .prepare_cached(&format!(
                "SELECT id, body FROM {} WHERE event_id = ?1 ORDER BY id",
                kind.as_str()
            ))
            .context("listing content to index")?;
        let mut rows = stmt.query([event_id]).context("listing content to index")?;
        let mut batch = Vec::with_capacity(BUILD_BATCH);
        while let Some(row) = rows.next().context("listing content to index")? {
            batch.push((
                row.get(0).context("listing content to index")?,
                row.get(1).context("listing content to index")?,
            ));
            if batch.len() == BUILD_BATCH {
                let rows = std::mem::replace(&mut batch, Vec::with_capacity(BUILD_BATCH));
                hand_over(ReadBatch { kind, rows })?;
            }
        }
        if !batch.is_empty() {
            hand_over(ReadBatch { kind, rows: batch })?;
        }
    }
    drop(to_helper);
    for _ in 0..in_flight {
        write_next(tx, event_id, ready)?;
    }
    Ok(())
}

/// The helper's work: each stored body decoded into its document and FTS row.
fn prepare(batch: ReadBatch, names: &Names) -> Result<ReadyBatch> {
    let ReadBatch { kind, rows } = batch;
    let mut documents = Vec::with_capacity(rows.len());
    for (id, body) in rows {
        let body = StoredBody::column_result(ValueRef::from(&body))
            .map_err(|e| Error::malformed(format!("stored {kind} '{id}'"), e))?;
        let entity = Entity::from_json(kind, &body.0)
            .map_err(|e| Error::malformed(format!("stored {kind} '{id}'"), e))?;
        let document =
            marktplatz_search::document::document_of(&entity, |kind, id| names.get(kind, id))?;
        if let Some(document) = document {
            documents.push(Prepared {
                id,
                digest: digest(&document),
                fts: FtsRow::of(&document),
                document,
            });
        }
    }
    Ok(ReadyBatch { kind, documents })
}

/// Writes the next prepared batch: its `search_doc` rows, then their FTS rows.
fn write_next(
    tx: &Transaction<'_>,
    event_id: &str,
    ready: &mpsc::Receiver<Result<ReadyBatch>>,
) -> Result<()> {
    let ReadyBatch { kind, documents } = ready.recv().map_err(|_| helper_gone())??;
    let mut doc_ids = Vec::with_capacity(documents.len());
    for prepared in &documents {
        doc_ids.push(insert_doc(
            tx,
            event_id,
            kind,
            &prepared.id,
            &prepared.document,
            prepared.digest,
        )?);
    }
    for (doc_id, prepared) in doc_ids.into_iter().zip(&documents) {
        insert_fts(tx, doc_id, &prepared.fts)?;
    }
    Ok(())
}

fn helper_gone() -> Error {
    Error::io(
        "preparing the search index",
        std::io::Error::other("its helper thread stopped (panicked)"),
    )
}

/// The names of an event's speakers, tracks and locations, which documents show.
struct Names {
    speakers: HashMap<String, String>,
    tracks: HashMap<String, String>,
    locations: HashMap<String, String>,
}

impl Names {
    fn of_event(tx: &Transaction<'_>, event_id: &str) -> Result<Names> {
        let read = |table: &str| -> Result<HashMap<String, String>> {
            let mut stmt = tx
                .prepare_cached(&format!("SELECT id, name FROM {table} WHERE event_id = ?1"))
                .context("reading names to index")?;
            let rows = stmt
                .query_map([event_id], |r| Ok((r.get(0)?, r.get(1)?)))
                .context("reading names to index")?;
            rows.collect::<rusqlite::Result<_>>()
                .context("reading names to index")
        };
        Ok(Names {
            speakers: read("speaker")?,
            tracks: read("track")?,
            locations: read("location")?,
        })
    }

    /// As `document::name_of` reads it: `None` for a name not stored (yet).
    fn get(&self, kind: EntityKind, id: &str) -> Result<Option<String>> {
        let names = match kind {
            EntityKind::Speaker => &self.speakers,
            EntityKind::Track => &self.tracks,
            EntityKind::Location => &self.locations,
            other => {
                return Err(Error::invalid(
                    other.as_str(),
                    id,
                    "a search document names only speakers, tracks and locations",
                ));
            }
        };
        Ok(names.get(id).cloned())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::store::{ContentTx, Store};
    use marktplatz_search::normalize::index_text;

    const EVENT: &str = "mp-nordwest";

    fn entity(kind: EntityKind, json: String) -> Entity {
        Entity::from_json(kind, &json).unwrap()
    }

    /// A room, a track, speakers and sessions naming two speakers each, written as the pages
    /// of a first sync write them (the caller defers the derived data, or not).
    fn write_event(tx: &mut ContentTx<'_>, speakers: usize) -> Result<()> {
        let mut entities = vec![
            entity(
                EntityKind::Location,
                r#"{"id":"r1","name":"Markthalle Station 3"}"#.to_string(),
            ),
            entity(
                EntityKind::Track,
                r#"{"id":"t1","name":"Digitale Verwaltung"}"#.to_string(),
            ),
        ];
        for n in 0..speakers {
            entities.push(entity(
                EntityKind::Speaker,
                format!(
                    r#"{{"id":"sp{n:04}","name":"Referentin Nummer{n}","organisation":"Gemeinde {}","bio":"Spricht über Thema{n} und Wärmepumpen"}}"#,
                    n % 60
                ),
            ));
            entities.push(entity(
                EntityKind::Session,
                format!(
                    r#"{{"id":"s{n:04}","title":"Vortrag {n} über Onlinezugang","start":"2027-02-01T09:00:00Z","end":"2027-02-01T09:45:00Z","location_id":"r1","track_id":"t1","speaker_ids":["sp{n:04}","sp{:04}"]}}"#,
                    (n + 1) % speakers
                ),
            ));
        }
        for entity in &entities {
            tx.upsert(EVENT, entity, &entity.to_json().unwrap())?;
        }
        Ok(())
    }

    /// Every `search_doc` row (all but its `doc_id`, as one text) and how many FTS rows match
    /// some words.
    fn index_of(store: &Store) -> (Vec<String>, Vec<i64>) {
        store
            .read(|tx| {
                let docs: Vec<String> = tx
                    .prepare(
                        "SELECT concat_ws(char(31), kind, entity_id, title, people, place, digest)
                         FROM search_doc WHERE event_id = ?1 ORDER BY kind, entity_id",
                    )
                    .and_then(|mut s| s.query_map([EVENT], |r| r.get(0))?.collect())
                    .context("test")?;
                let mut found = Vec::new();
                for word in [
                    "Wärmepumpen",
                    "Onlinezugang",
                    "Nummer300",
                    "Markthalle",
                    "Verwaltung",
                ] {
                    found.push(
                        tx.query_row(
                            "SELECT count(*) FROM search_fts WHERE search_fts MATCH ?1",
                            [index_text(word).trim()],
                            |r| r.get(0),
                        )
                        .context("test")?,
                    );
                }
                Ok((docs, found))
            })
            .unwrap()
    }

    /// The helper thread changes where documents are made, not what they are: the index a
    /// first sync builds at its end (several batches of each kind) is the one written entity by
    /// entity.
    #[test]
    fn the_built_index_is_the_one_written_entity_by_entity() {
        let speakers = BUILD_BATCH * 2 + 30;
        let built = tempfile::tempdir().unwrap();
        let built = Store::open(built.path()).unwrap();
        built
            .write_content(|tx| {
                tx.defer_derived();
                write_event(tx, speakers)?;
                tx.build_derived(EVENT)
            })
            .unwrap();
        let one_by_one = tempfile::tempdir().unwrap();
        let one_by_one = Store::open(one_by_one.path()).unwrap();
        one_by_one
            .write_content(|tx| write_event(tx, speakers))
            .unwrap();
        let (docs, found) = index_of(&built);
        assert!(docs.len() > 2 * speakers, "{} documents", docs.len());
        let speakers = speakers as i64;
        // Bios, titles; speaker 300 and the two sessions naming it; the room and its sessions.
        assert_eq!(found[..4], [speakers, speakers, 3, speakers + 1]);
        assert_eq!((docs, found), index_of(&one_by_one));
    }

    /// A body that cannot be read fails the build, naming the entity, in whatever batch it
    /// is; the transaction is rolled back, so the index built before stays as it was.
    #[test]
    fn a_damaged_body_fails_the_build_by_name_and_keeps_the_index_before() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let speakers = BUILD_BATCH * 2 + 30;
        store
            .write_content(|tx| {
                tx.defer_derived();
                write_event(tx, speakers)?;
                tx.build_derived(EVENT)
            })
            .unwrap();
        let before = index_of(&store);
        for (damage, id) in [("x'28b52ffd00'", "sp0300"), ("'{not json'", "sp0001")] {
            let failed = store
                .write_content(|tx| {
                    tx.sql()
                        .execute(
                            &format!("UPDATE speaker SET body = {damage} WHERE id = ?1"),
                            [id],
                        )
                        .context("test")?;
                    tx.defer_derived();
                    tx.build_derived(EVENT)
                })
                .unwrap_err();
            assert!(
                failed
                    .to_string()
                    .contains(&format!("stored speaker '{id}'")),
                "{failed}"
            );
            assert_eq!(index_of(&store), before);
        }
    }
}
