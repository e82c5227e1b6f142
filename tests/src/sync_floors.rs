//! The least any device must do with an initial sync's content, timed beside ours in the same
//! run (`bench-sync`; ADR 0010 part 11). They show how far a target is from what SQLite and a
//! general compressor can do at all:
//! - storing the entities as they arrive: one bare table, one transaction, no indexes;
//! - storing them searchable: the same, plus each searched entity's words in an FTS5 table made
//!   like the device's (`search_fts`), from the same documents (`marktplatz_search`);
//! - the pages' bytes in one zstd frame at level 19 with a long window: what no per-page
//!   compression can beat by much.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::time::Instant;

use rusqlite::{Connection, params};

use marktplatz_model::model::{Entity, EntityKind};
use marktplatz_search::document::document_of;
use marktplatz_search::normalize::index_text;

/// One entity as a page carries it: its kind, id and body (JSON text).
pub struct Arrived {
    pub kind: EntityKind,
    pub id: String,
    pub body: String,
}

/// Milliseconds to store `entities` in a fresh SQLite file in `dir` as one bare table, in one
/// transaction (committed). With `searchable`, each body is also parsed and its document's
/// words written to an FTS5 table made like the device's, in the same transaction.
pub fn store(dir: &Path, entities: &[Arrived], searchable: bool) -> Result<f64, String> {
    let path = dir.join(if searchable {
        "floor-searchable.db"
    } else {
        "floor-bare.db"
    });
    for suffix in ["", "-wal", "-shm"] {
        let file = format!("{}{suffix}", path.display());
        if let Err(e) = std::fs::remove_file(&file)
            && e.kind() != std::io::ErrorKind::NotFound
        {
            return Err(format!("removing {file}: {e}"));
        }
    }
    let sql = |what: &str, e: rusqlite::Error| format!("floor database, {what}: {e}");
    let mut conn = Connection::open(&path).map_err(|e| sql("opening", e))?;
    // The device's content.db: WAL, synchronous NORMAL (rebuildable from the server).
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY;
         CREATE TABLE entity (kind TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL);
         CREATE VIRTUAL TABLE search_fts USING fts5 (
             title, people, place, body,
             content = '', contentless_delete = 1, tokenize = 'ascii', detail = full
         );
         INSERT INTO search_fts (search_fts, rank) VALUES ('hashsize', 4194304);",
    )
    .map_err(|e| sql("creating the tables", e))?;

    let started = Instant::now();
    let tx = conn.transaction().map_err(|e| sql("beginning", e))?;
    {
        let mut insert = tx
            .prepare_cached("INSERT INTO entity (kind, id, body) VALUES (?1, ?2, ?3)")
            .map_err(|e| sql("preparing the insert", e))?;
        for arrived in entities {
            insert
                .execute(params![arrived.kind.as_str(), arrived.id, arrived.body])
                .map_err(|e| sql("inserting an entity", e))?;
        }
        if searchable {
            index(&tx, entities)?;
        }
    }
    tx.commit().map_err(|e| sql("committing", e))?;
    Ok(started.elapsed().as_secs_f64() * 1000.0)
}

/// Each searched entity's document, its fields' words in `search_fts`.
fn index(conn: &Connection, entities: &[Arrived]) -> Result<(), String> {
    let parsed = entities
        .iter()
        .map(|a| {
            Entity::from_json(a.kind, &a.body)
                .map_err(|e| format!("{} {}: body does not parse: {e}", a.kind.as_str(), a.id))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let names: HashMap<(EntityKind, &str), &str> = parsed
        .iter()
        .filter_map(|entity| {
            let name = match entity {
                Entity::Speaker(s) => &s.name,
                Entity::Track(t) => &t.name,
                Entity::Location(l) => &l.name,
                _ => return None,
            };
            Some(((entity.kind(), entity.id()), name.as_str()))
        })
        .collect();
    let mut insert = conn
        .prepare_cached(
            "INSERT INTO search_fts (title, people, place, body) VALUES (?1, ?2, ?3, ?4)",
        )
        .map_err(|e| format!("floor database, preparing the index insert: {e}"))?;
    for entity in &parsed {
        let document = document_of(entity, |kind, id| {
            Ok::<_, String>(names.get(&(kind, id)).map(|name| name.to_string()))
        })?;
        if let Some(d) = document {
            insert
                .execute(params![
                    index_text(&d.title),
                    index_text(&d.people),
                    index_text(&d.place),
                    index_text(&d.body)
                ])
                .map_err(|e| format!("floor database, indexing {}: {e}", entity.id()))?;
        }
    }
    Ok(())
}

/// `bytes` as one zstd frame at level 19 with a 128 MiB long-distance window.
pub fn best_compressed(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let failed = |e: std::io::Error| format!("compressing the pages for the floor: {e}");
    let mut encoder = zstd::stream::Encoder::new(Vec::new(), 19).map_err(failed)?;
    encoder.long_distance_matching(true).map_err(failed)?;
    encoder.window_log(27).map_err(failed)?;
    encoder.write_all(bytes).map_err(failed)?;
    encoder.finish().map_err(failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arrived(kind: EntityKind, body: serde_json::Value) -> Arrived {
        Arrived {
            kind,
            id: body["id"].as_str().unwrap_or_default().to_string(),
            body: body.to_string(),
        }
    }

    #[test]
    fn the_searchable_floor_stores_every_entity_and_finds_its_words() {
        let dir = tempfile::tempdir().unwrap();
        let entities = vec![
            arrived(
                EntityKind::Speaker,
                serde_json::json!({"id": "sp1", "name": "Ada Lovelace"}),
            ),
            arrived(
                EntityKind::Session,
                serde_json::json!({
                    "id": "s1", "title": "Digitale Verwaltung",
                    "start": "2026-05-06T09:00:00Z", "end": "2026-05-06T10:00:00Z",
                    "speaker_ids": ["sp1"], "abstract": "Onlinezugangsgesetz im Alltag"
                }),
            ),
        ];
        store(dir.path(), &entities, true).unwrap();
        let conn = Connection::open(dir.path().join("floor-searchable.db")).unwrap();
        let stored: i64 = conn
            .query_row("SELECT count(*) FROM entity", [], |r| r.get(0))
            .unwrap();
        assert_eq!(stored, 2);
        let by_speaker: i64 = conn
            .query_row(
                "SELECT count(*) FROM search_fts WHERE search_fts MATCH 'people : lovelace'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(by_speaker, 1, "the session is found by its speaker's name");
    }

    #[test]
    fn a_body_that_does_not_parse_fails_the_searchable_floor_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let broken = Arrived {
            kind: EntityKind::Session,
            id: "s9".into(),
            body: "{not json".into(),
        };
        let error = store(dir.path(), &[broken], true).unwrap_err();
        assert!(error.contains("session s9"), "{error}");
    }

    #[test]
    fn the_compression_floor_is_one_frame_that_decompresses_to_the_pages() {
        let pages = "{\"changes\":[{\"kind\":\"session\"}]}".repeat(500);
        let frame = best_compressed(pages.as_bytes()).unwrap();
        assert!(
            frame.len() < pages.len() / 20,
            "{} of {}",
            frame.len(),
            pages.len()
        );
        let back = zstd::stream::decode_all(frame.as_slice()).unwrap();
        assert_eq!(back, pages.as_bytes());
    }
}
