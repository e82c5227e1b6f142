//! One search on the device: the engine ([`marktplatz_search::engine`]) over the store's FTS5
//! index. This module only reads SQLite: the MATCH query of a tier (written by the engine's
//! planner, every term quoted), the short fields of a hit, its long text.

use std::collections::HashSet;

use rusqlite::{Connection, OptionalExtension};

use super::cancel::{Checkpoint, SearchCancel};
use super::snapshot::SearchCache;
use crate::error::{Error, Result, SqliteContext};
use crate::favourites::favourite_keys;
use crate::store::Store;
use crate::store::search_index::{Document, load_body};
use marktplatz_search::engine::{CHECK_EVERY, LongText, MAX_LONG_TEXT_ROWS};
use marktplatz_search::plan::Tier;
use marktplatz_search::snapshot::Snapshot;
use marktplatz_search::{SearchHit, SearchQuery};

const STATEMENT_CACHE: usize = 64;

pub(crate) fn search(
    store: &Store,
    cache: &SearchCache,
    query: &SearchQuery,
    cancel: Option<&SearchCancel>,
) -> Result<Vec<SearchHit>> {
    if marktplatz_search::parse::parse(&query.text).is_empty() || query.limit == 0 {
        return Ok(Vec::new());
    }
    let favourites = if query.favourites_only {
        Some(favourite_keys(store, &query.event_id)?)
    } else {
        None
    };
    store.read(|tx| {
        let checkpoint = match cancel {
            Some(cancel) => cancel.attach(tx.get_interrupt_handle()),
            None => Checkpoint::never(),
        };
        run(cache, tx, query, favourites.as_ref(), &checkpoint).map_err(|e| checkpoint.map_error(e))
    })
}

fn run(
    cache: &SearchCache,
    conn: &Connection,
    query: &SearchQuery,
    favourites: Option<&HashSet<(String, String)>>,
    checkpoint: &Checkpoint,
) -> Result<Vec<SearchHit>> {
    checkpoint.check()?;
    // The search prepares a dozen statements per keystroke; the default cache of 16 would evict
    // them between keystrokes together with the store's own.
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    let snapshot = cache.get(conn)?;
    let index = Fts {
        conn,
        snapshot: &snapshot,
        checkpoint,
    };
    marktplatz_search::engine::search(&snapshot, &index, query, favourites)
}

/// The store's FTS5 index as the engine's long text.
struct Fts<'a> {
    conn: &'a Connection,
    snapshot: &'a Snapshot,
    checkpoint: &'a Checkpoint,
}

impl LongText for Fts<'_> {
    type Error = Error;

    fn check(&self) -> Result<()> {
        self.checkpoint.check()
    }

    fn matching(&self, tier: &Tier) -> Result<Vec<u32>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT rowid FROM search_fts WHERE search_fts MATCH ?1")
            .context("searching")?;
        let mut rows = stmt.query([tier.to_fts()]).context("searching")?;
        let mut positions = Vec::new();
        let mut read = 0usize;
        while let Some(row) = rows.next().context("searching")? {
            read += 1;
            if let Some(position) = self.snapshot.position_of(row.get(0).context("searching")?) {
                positions.push(position);
            }
            if read >= MAX_LONG_TEXT_ROWS {
                break;
            }
            if read.is_multiple_of(CHECK_EVERY) {
                self.checkpoint.check()?;
            }
        }
        Ok(positions)
    }

    fn short_fields(&self, position: u32) -> Result<Option<Document>> {
        let rowid = self.snapshot.doc(position).rowid;
        self.conn
            .prepare_cached("SELECT title, people, place FROM search_doc WHERE doc_id = ?1")
            .and_then(|mut s| {
                s.query_row([rowid], |r| {
                    Ok(Document {
                        title: r.get(0)?,
                        people: r.get(1)?,
                        place: r.get(2)?,
                        body: String::new(),
                    })
                })
                .optional()
            })
            .context("reading a search hit")
    }

    fn body(&self, position: u32) -> Result<String> {
        let doc = self.snapshot.doc(position);
        load_body(
            self.conn,
            self.snapshot.event_id(doc.event),
            doc.kind,
            &doc.id,
        )
    }
}
