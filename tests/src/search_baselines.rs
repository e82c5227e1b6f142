//! The two baselines the search is measured against, as the anchor apps do it:
//! a `LIKE '%q%'` scan over titles and text, and plain FTS5 (default unicode61 tokenizer) with
//! every typed word quoted and the last one as a prefix, ranked by bm25.

// Test harness code: anything unexpected should stop the run loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use marktplatz_model::bundle::Bundle;
use marktplatz_model::model::EntityKind;
use rusqlite::{Connection, params};

/// The queries the search benchmarks type on 36C3 (`bench-search`, `bench web-search`): German
/// and English words, transliterations, typos, a phrase.
pub const QUERIES_36C3: &[&str] = &[
    "Sicherheit",
    "Datenschutz",
    "Klimawandel",
    "Haecksen",
    "Podcast",
    "Fahrradkino",
    "Rohstoffe",
    "Lebensdauer Computer",
    "Überwachung",
    "Ueberwachung",
    "Sicherhiet",
    "Netzpolitik Schweiz",
    "Infrastruktur",
    "E-Autos",
    "Bits & Bäume",
    "Hardware Making",
    "Wikipedia",
    "\"Chaos West\"",
    "Digitalisirung",
    "Stammtisch",
];

/// One searchable entity, flattened the way a simple app would.
pub struct FlatDoc {
    pub kind: EntityKind,
    pub id: String,
    pub title: String,
    pub text: String,
}

/// The same entities and fields the real index covers.
pub fn flatten(bundle: &Bundle) -> Vec<FlatDoc> {
    let name = |list: &[(String, String)], id: &Option<String>| -> String {
        id.as_ref()
            .and_then(|id| list.iter().find(|(i, _)| i == id))
            .map(|(_, n)| n.clone())
            .unwrap_or_default()
    };
    let speakers: Vec<(String, String)> = bundle
        .speakers
        .iter()
        .map(|s| (s.id.clone(), s.name.clone()))
        .collect();
    let locations: Vec<(String, String)> = bundle
        .locations
        .iter()
        .map(|l| (l.id.clone(), l.name.clone()))
        .collect();
    let tracks: Vec<(String, String)> = bundle
        .tracks
        .iter()
        .map(|t| (t.id.clone(), t.name.clone()))
        .collect();
    let mut docs = Vec::new();
    for s in &bundle.sessions {
        let people: Vec<String> = s
            .speaker_ids
            .iter()
            .map(|id| name(&speakers, &Some(id.clone())))
            .collect();
        docs.push(FlatDoc {
            kind: EntityKind::Session,
            id: s.id.clone(),
            title: s.title.clone(),
            text: [
                people.join(", "),
                name(&tracks, &s.track_id),
                name(&locations, &s.location_id),
                s.subtitle.clone().unwrap_or_default(),
                s.abstract_text.clone(),
                s.description.clone(),
            ]
            .join("\n"),
        });
    }
    for s in &bundle.speakers {
        docs.push(FlatDoc {
            kind: EntityKind::Speaker,
            id: s.id.clone(),
            title: s.name.clone(),
            text: [
                s.organisation.clone().unwrap_or_default(),
                s.role.clone().unwrap_or_default(),
                s.bio.clone(),
            ]
            .join("\n"),
        });
    }
    for x in &bundle.exhibitors {
        docs.push(FlatDoc {
            kind: EntityKind::Exhibitor,
            id: x.id.clone(),
            title: x.name.clone(),
            text: [
                x.topics.join(", "),
                name(&locations, &x.station_id),
                x.description.clone(),
            ]
            .join("\n"),
        });
    }
    for l in &bundle.locations {
        docs.push(FlatDoc {
            kind: EntityKind::Location,
            id: l.id.clone(),
            title: l.name.clone(),
            text: [name(&locations, &l.parent_id), l.description.clone()].join("\n"),
        });
    }
    for t in &bundle.tracks {
        docs.push(FlatDoc {
            kind: EntityKind::Track,
            id: t.id.clone(),
            title: t.name.clone(),
            text: t.description.clone(),
        });
    }
    for a in &bundle.announcements {
        docs.push(FlatDoc {
            kind: EntityKind::Announcement,
            id: a.id.clone(),
            title: a.title.clone(),
            text: a.body.clone(),
        });
    }
    for p in &bundle.info_pages {
        docs.push(FlatDoc {
            kind: EntityKind::InfoPage,
            id: p.id.clone(),
            title: p.title.clone(),
            text: p.body.clone(),
        });
    }
    docs
}

/// A hit of a baseline: kind and id, best first.
pub type BaselineHit = (EntityKind, String);

pub struct Baselines {
    pub conn: Connection,
}

impl Baselines {
    /// Builds both baseline tables in a new database file.
    pub fn build(path: &Path, docs: &[FlatDoc]) -> Baselines {
        let mut conn = Connection::open(path).unwrap();
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             CREATE TABLE like_doc (kind TEXT, id TEXT, title TEXT, text TEXT);
             CREATE VIRTUAL TABLE plain_fts USING fts5 (kind UNINDEXED, id UNINDEXED, title, text);",
        )
        .unwrap();
        let tx = conn.transaction().unwrap();
        for doc in docs {
            tx.execute(
                "INSERT INTO like_doc (kind, id, title, text) VALUES (?1, ?2, ?3, ?4)",
                params![doc.kind.as_str(), doc.id, doc.title, doc.text],
            )
            .unwrap();
        }
        tx.commit().unwrap();
        Baselines { conn }
    }

    /// Fills the plain FTS5 table (timed separately by the benchmark).
    pub fn build_fts(&self) {
        self.conn
            .execute_batch(
                "INSERT INTO plain_fts (kind, id, title, text) SELECT kind, id, title, text FROM like_doc;",
            )
            .unwrap();
    }

    /// `LIKE '%q%'` on title or text, title hits first.
    pub fn like(&self, typed: &str, limit: usize) -> Vec<BaselineHit> {
        let trimmed = typed.trim();
        if trimmed.is_empty() {
            return Vec::new();
        }
        let escaped = trimmed
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        let pattern = format!("%{escaped}%");
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT kind, id FROM like_doc
                 WHERE title LIKE ?1 ESCAPE '\\' OR text LIKE ?1 ESCAPE '\\'
                 ORDER BY title LIKE ?1 ESCAPE '\\' DESC, rowid LIMIT ?2",
            )
            .unwrap();
        collect(stmt.query(params![pattern, limit as i64]).unwrap())
    }

    /// Plain FTS5: each typed word quoted, the last as a prefix, ordered by bm25.
    pub fn fts(&self, typed: &str, limit: usize) -> Vec<BaselineHit> {
        let words: Vec<String> = typed
            .split_whitespace()
            .map(|w| w.replace('"', ""))
            .filter(|w| !w.is_empty())
            .collect();
        if words.is_empty() {
            return Vec::new();
        }
        let open = !typed.ends_with(char::is_whitespace);
        let expr = words
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let star = if open && i + 1 == words.len() {
                    "*"
                } else {
                    ""
                };
                format!("\"{w}\"{star}")
            })
            .collect::<Vec<_>>()
            .join(" ");
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT kind, id FROM plain_fts WHERE plain_fts MATCH ?1 ORDER BY rank LIMIT ?2",
            )
            .unwrap();
        match stmt.query(params![expr, limit as i64]) {
            Ok(rows) => collect(rows),
            Err(_) => Vec::new(),
        }
    }

    /// Bytes of a table family in this database (dbstat).
    pub fn size_of(&self, like: &str) -> u64 {
        self.conn
            .query_row(
                "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE ?1",
                [like],
                |r| r.get::<_, i64>(0),
            )
            .unwrap() as u64
    }
}

fn collect(mut rows: rusqlite::Rows<'_>) -> Vec<BaselineHit> {
    let mut hits = Vec::new();
    while let Ok(Some(row)) = rows.next() {
        let kind: String = row.get(0).unwrap();
        let id: String = row.get(1).unwrap();
        if let Some(kind) = EntityKind::parse(&kind) {
            hits.push((kind, id));
        }
    }
    hits
}
