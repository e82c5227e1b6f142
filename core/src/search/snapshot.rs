//! The engine's in-memory [`Snapshot`] of the device's index, kept between keystrokes: loaded
//! from content.db (`search_vocab`, `search_doc` and the filter columns of the content tables) and
//! rebuilt when content.db changed (every content write bumps a `content_version`).

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use rusqlite::Connection;

use crate::error::{Result, SqliteContext};
use marktplatz_model::model::EntityKind;
use marktplatz_search::snapshot::{IndexedDoc, Snapshot};
use marktplatz_search::vocab::Vocabulary;

/// The store's search cache: the latest snapshot, replaced when the content changes.
#[derive(Default)]
pub struct SearchCache {
    current: Mutex<Option<(ContentKey, Arc<Snapshot>)>>,
}

/// Changes whenever any event's content changes.
type ContentKey = (i64, i64);

impl SearchCache {
    /// The snapshot matching the content `conn` sees, building it if needed.
    pub(crate) fn get(&self, conn: &Connection) -> Result<Arc<Snapshot>> {
        let key = content_key(conn)?;
        let mut current = self.lock();
        if let Some((loaded, snapshot)) = current.as_ref()
            && *loaded == key
        {
            return Ok(snapshot.clone());
        }
        let snapshot = Arc::new(load(conn)?);
        *current = Some((key, snapshot.clone()));
        Ok(snapshot)
    }

    /// Words in the vocabulary and indexed entities of the current snapshot, if one is loaded.
    pub fn stats(&self) -> Option<CacheStats> {
        self.lock().as_ref().map(|(_, s)| CacheStats {
            terms: s.vocabulary.len(),
            documents: s.doc_count(),
            vocabulary_bytes: s.vocabulary.heap_bytes(),
        })
    }

    /// Forgets the expansions computed for typed words (the benchmark repeats keystrokes and
    /// must not measure the cache instead of the work).
    #[doc(hidden)]
    pub fn forget_expansions(&self) {
        if let Some((_, snapshot)) = self.lock().as_ref() {
            snapshot.forget_expansions();
        }
    }

    /// Forgets the snapshot (the benchmark times cold queries with it).
    pub fn clear(&self) {
        *self.lock() = None;
    }

    fn lock(&self) -> MutexGuard<'_, Option<(ContentKey, Arc<Snapshot>)>> {
        self.current.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CacheStats {
    pub terms: usize,
    pub documents: usize,
    /// Rough heap size of the in-memory vocabulary.
    pub vocabulary_bytes: usize,
}

fn content_key(conn: &Connection) -> Result<ContentKey> {
    conn.prepare_cached("SELECT count(*), coalesce(sum(content_version), 0) FROM sync_state")
        .and_then(|mut s| s.query_row([], |r| Ok((r.get(0)?, r.get(1)?))))
        .context("reading the content version")
}

fn load(conn: &Connection) -> Result<Snapshot> {
    let vocabulary = load_vocabulary(conn)?;
    let mut stmt = conn
        .prepare_cached(
            "SELECT d.doc_id, d.event_id, d.kind, d.entity_id, d.title, d.people, d.place,
                    s.start_ts, s.end_ts, s.day, s.track_id,
                    coalesce(s.location_id, x.station_id)
             FROM search_doc d
             LEFT JOIN session s
               ON d.kind = 'session' AND s.event_id = d.event_id AND s.id = d.entity_id
             LEFT JOIN exhibitor x
               ON d.kind = 'exhibitor' AND x.event_id = d.event_id AND x.id = d.entity_id",
        )
        .context("loading the search index")?;
    let mut rows = stmt.query([]).context("loading the search index")?;
    let mut docs = Vec::new();
    while let Some(row) = rows.next().context("loading the search index")? {
        let kind: String = row.get(2).context("loading the search index")?;
        let day: Option<String> = row.get(9).context("loading the search index")?;
        docs.push(
            (|| -> rusqlite::Result<IndexedDoc> {
                Ok(IndexedDoc {
                    rowid: row.get(0)?,
                    event_id: row.get(1)?,
                    kind: EntityKind::parse(&kind),
                    id: row.get(3)?,
                    title: row.get(4)?,
                    people: row.get(5)?,
                    place: row.get(6)?,
                    start: row.get(7)?,
                    end: row.get(8)?,
                    day: day.and_then(|d| d.parse().ok()),
                    track_id: row.get(10)?,
                    location_id: row.get(11)?,
                })
            })()
            .context("loading the search index")?,
        );
    }
    Ok(Snapshot::build(vocabulary, docs))
}

fn load_vocabulary(conn: &Connection) -> Result<Vocabulary> {
    let mut stmt = conn
        .prepare_cached("SELECT term, doc FROM search_vocab")
        .context("reading the search vocabulary")?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
        .context("reading the search vocabulary")?;
    let mut terms = Vec::new();
    for row in rows {
        let (term, docs) = row.context("reading the search vocabulary")?;
        terms.push((term, docs.clamp(0, i64::from(u32::MAX)) as u32));
    }
    Ok(Vocabulary::from_terms(terms))
}
