//! The engine's in-memory [`Snapshot`] of the device's index, kept between keystrokes: loaded
//! from content.db (`search_vocab`, `search_doc` and the filter columns of the content tables) and
//! rebuilt when content.db changed (every content write bumps a `content_version`).
//!
//! Rebuilding it takes a scan of the whole FTS5 index (`search_vocab` counts every term's
//! documents) and the tokenizing of every entity's short fields: a third of a second for 20,000
//! entities. A device's cache ([`SearchCache::persisted_in`]) therefore also keeps it in a file,
//! [`SNAPSHOT_FILE`] in the store's folder, written whenever it was rebuilt (after a sync, by
//! `warm_search`) and read back by the first search of the next process
//! (`docs/adr/0022-persisted-search-snapshot.md`). The file is named by what it was built from
//! (content.db's identity, its schema version, each event's content version): a file built from
//! anything else, or damaged in any way, is removed and rebuilt, never used.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use rusqlite::Connection;

use crate::error::{Error, Result, SqliteContext};
use crate::store::CONTENT_DB;
use marktplatz_model::model::EntityKind;
use marktplatz_search::snapshot::{IndexedDoc, Snapshot};
use marktplatz_search::stored::{self, StoredSnapshotError};
use marktplatz_search::vocab::Vocabulary;

/// The persisted snapshot, in the store's folder.
pub const SNAPSHOT_FILE: &str = "search.snapshot";
/// Written first, then renamed over [`SNAPSHOT_FILE`]: a reader sees the old file or the new
/// one, never half of one. One fixed name, so a crash mid-write leaves at most this one file,
/// which the next write replaces.
const PARTIAL_FILE: &str = "search.snapshot.partial";

/// The store's search cache: the latest snapshot, replaced when the content changes.
#[derive(Default)]
pub struct SearchCache {
    current: Mutex<Option<(ContentKey, Arc<Snapshot>)>>,
    /// The store's folder when the snapshot is persisted there (a device's cache).
    folder: Option<PathBuf>,
    persisted: Mutex<Persisted>,
}

/// What happened to the persisted snapshot, for the stats and the tests.
#[derive(Default)]
struct Persisted {
    /// The current snapshot was read from the file (not rebuilt).
    loaded_from_file: bool,
    /// The last failure to read or write the file other than "absent" or "stale": the search
    /// went on with a rebuilt snapshot, but the next process will rebuild it again.
    problem: Option<String>,
}

/// Changes whenever any event's content changes: the content schema's version and each event's
/// content version, as bytes.
type ContentKey = Vec<u8>;

impl SearchCache {
    /// A cache that also keeps the snapshot in [`SNAPSHOT_FILE`] in `folder` (the store's), so
    /// a new process's first search reads it instead of rebuilding it.
    pub fn persisted_in(folder: impl Into<PathBuf>) -> SearchCache {
        SearchCache {
            folder: Some(folder.into()),
            ..SearchCache::default()
        }
    }

    /// The snapshot matching the content `conn` sees: the one in memory, else the persisted
    /// one if it was built from this content, else rebuilt (and persisted).
    pub(crate) fn get(&self, conn: &Connection) -> Result<Arc<Snapshot>> {
        let key = content_key(conn)?;
        let mut current = self.lock();
        if let Some((loaded, snapshot)) = current.as_ref()
            && *loaded == key
        {
            return Ok(snapshot.clone());
        }
        let snapshot = Arc::new(match &self.folder {
            Some(folder) => self.load_or_rebuild(conn, folder, &key)?,
            None => load(conn)?,
        });
        *current = Some((key, snapshot.clone()));
        Ok(snapshot)
    }

    fn load_or_rebuild(&self, conn: &Connection, folder: &Path, key: &[u8]) -> Result<Snapshot> {
        let file = folder.join(SNAPSHOT_FILE);
        let file_key = persisted_key(folder, key);
        let read_problem = match read_persisted(&file, &file_key) {
            Ok(Some(snapshot)) => {
                self.note(true, None);
                return Ok(snapshot);
            }
            Ok(None) => None,
            Err(problem) => Some(problem),
        };
        let snapshot = load(conn)?;
        let write_problem = write_persisted(folder, &snapshot, &file_key)
            .err()
            .map(|e| e.to_string());
        self.note(false, write_problem.or(read_problem));
        Ok(snapshot)
    }

    fn note(&self, loaded_from_file: bool, problem: Option<String>) {
        *self
            .persisted
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Persisted {
            loaded_from_file,
            problem,
        };
    }

    /// Words in the vocabulary and indexed entities of the current snapshot, if one is loaded.
    pub fn stats(&self) -> Option<CacheStats> {
        let loaded_from_file = self
            .persisted
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .loaded_from_file;
        self.lock().as_ref().map(|(_, s)| CacheStats {
            terms: s.vocabulary.len(),
            documents: s.doc_count(),
            vocabulary_bytes: s.vocabulary.heap_bytes(),
            loaded_from_file,
        })
    }

    /// Why the persisted snapshot could not be read or written the last time it was tried
    /// (`None`: it was, or there is none to read yet, or it was built from older content).
    pub fn persist_problem(&self) -> Option<String> {
        self.persisted
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .problem
            .clone()
    }

    /// Forgets the expansions computed for typed words (the benchmark repeats keystrokes and
    /// must not measure the cache instead of the work).
    #[doc(hidden)]
    pub fn forget_expansions(&self) {
        if let Some((_, snapshot)) = self.lock().as_ref() {
            snapshot.forget_expansions();
        }
    }

    /// Forgets the snapshot in memory (the benchmark times cold queries with it); a persisted
    /// one stays and is read again by the next search.
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
    /// The snapshot was read from the persisted file rather than rebuilt from content.db.
    pub loaded_from_file: bool,
}

fn content_key(conn: &Connection) -> Result<ContentKey> {
    // Read on every keystroke: a cached statement, not one prepared each time.
    let schema: i64 = conn
        .prepare_cached("PRAGMA user_version")
        .and_then(|mut s| s.query_row([], |r| r.get(0)))
        .context("reading the content schema's version")?;
    let mut stmt = conn
        .prepare_cached("SELECT event_id, content_version FROM sync_state ORDER BY event_id")
        .context("reading the content version")?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
        .context("reading the content version")?;
    let mut key = format!("schema {schema}");
    for row in rows {
        let (event, version) = row.context("reading the content version")?;
        // Lengths first: no event id can make two different lists read the same.
        key.push_str(&format!("\n{} {event} {version}", event.len()));
    }
    Ok(key.into_bytes())
}

/// What the persisted file must have been built from: this build of the engine, this very
/// content.db file (its identity: a database set aside as damaged and downloaded again starts
/// its content versions afresh, and its index's rowids differ) and its content.
fn persisted_key(folder: &Path, content: &[u8]) -> Vec<u8> {
    let mut key = format!(
        "marktplatz-search {}\n{}\n",
        env!("CARGO_PKG_VERSION"),
        file_identity(&folder.join(CONTENT_DB))
    )
    .into_bytes();
    key.extend_from_slice(content);
    key
}

/// The device and inode of a file and its creation time where the platform keeps one: changes
/// when the file is replaced by another.
fn file_identity(path: &Path) -> String {
    let Ok(metadata) = std::fs::metadata(path) else {
        return "no file".to_string();
    };
    let created = metadata
        .created()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    format!("{} {created}", inode(&metadata))
}

#[cfg(unix)]
fn inode(metadata: &std::fs::Metadata) -> String {
    use std::os::unix::fs::MetadataExt;
    format!("{} {}", metadata.dev(), metadata.ino())
}

#[cfg(not(unix))]
fn inode(_metadata: &std::fs::Metadata) -> String {
    String::new()
}

/// The persisted snapshot if it was built from `key`; `Ok(None)` if there is none or it was
/// built from other content (then it is removed: a stale snapshot never stays in the folder);
/// `Err` with what was wrong if it could not be read or is damaged (removed too).
fn read_persisted(file: &Path, key: &[u8]) -> std::result::Result<Option<Snapshot>, String> {
    let bytes = match std::fs::read(file) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("reading {}: {e}", file.display())),
    };
    match stored::decode(&bytes, key) {
        Ok(snapshot) => Ok(Some(snapshot)),
        Err(error) => {
            let removed = std::fs::remove_file(file)
                .map_err(|e| format!("; removing it failed: {e}"))
                .err()
                .unwrap_or_default();
            match error {
                StoredSnapshotError::Stale | StoredSnapshotError::Format { .. }
                    if removed.is_empty() =>
                {
                    Ok(None)
                }
                error => Err(format!("{}: {error}{removed}", file.display())),
            }
        }
    }
}

/// Writes `snapshot` to [`SNAPSHOT_FILE`] in `folder` (a partial file renamed over it),
/// streaming (the warm-up after a sync writes it; the sync's peak memory has a target). Not
/// synced to disk: a file a crash tore fails its checksum and is rebuilt.
fn write_persisted(folder: &Path, snapshot: &Snapshot, key: &[u8]) -> Result<()> {
    let partial = folder.join(PARTIAL_FILE);
    let written = std::fs::File::create(&partial).and_then(|file| {
        let mut out = std::io::BufWriter::with_capacity(64 * 1024, file);
        stored::write(snapshot, key, &mut out)?;
        out.flush()
    });
    if let Err(e) = written {
        // The partial file is useless now; the error to report is the write's.
        let _ignored = std::fs::remove_file(&partial);
        return Err(Error::io(format!("writing {}", partial.display()), e));
    }
    let file = folder.join(SNAPSHOT_FILE);
    std::fs::rename(&partial, &file).map_err(|e| {
        Error::io(
            format!("renaming {} to {}", partial.display(), file.display()),
            e,
        )
    })
}

pub(crate) fn load(conn: &Connection) -> Result<Snapshot> {
    let vocabulary = load_vocabulary(conn)?;
    let mut stmt = conn
        .prepare_cached(
            "SELECT d.doc_id, d.event_id, d.kind, d.entity_id, d.title, d.people, d.place,
                    s.start_ts, s.end_ts, s.day, track.id,
                    coalesce(place.id, x.station_id)
             FROM search_doc d
             LEFT JOIN session s
               ON d.kind = 'session' AND s.event_id = d.event_id AND s.id = d.entity_id
             LEFT JOIN id_ref track ON track.ref = s.track_ref
             LEFT JOIN id_ref place ON place.ref = s.location_ref
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
