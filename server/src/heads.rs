//! Each event's head kept in memory (and, with the same rules, its read policy: `access.rs`), so that a poll answered 304 (nearly every request at 9:00 on
//! the opening day: every phone asks "anything new?") touches neither SQLite nor a blocking
//! thread. Measured in `docs/adr/0010-performance.md`.
//!
//! Exact for writes made in this process through any [`Db`] on the same file: every committed
//! write bumps the file's generation, and a head remembered at an older generation is not used.
//! A write from another process (the CLI's `Admin` on the data directory while the server runs)
//! is seen within [`MAX_AGE`], well inside the 5 seconds for which heads and tails may be cached
//! anyway (`Cache-Control: max-age=5`, ADR 0002).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError, RwLock, Weak};
use std::time::{Duration, Instant};

use marktplatz_model::wire::Head;

use crate::db::Db;
use crate::error::ApiResult;
use crate::log;

/// How long a remembered head is trusted without a write in this process.
pub const MAX_AGE: Duration = Duration::from_secs(1);

/// Most events remembered; beyond that the table is emptied (a server holds a few events).
const MAX_EVENTS: usize = 1024;

/// The write generation of one database file, shared by every [`Db`] of this process on it.
pub(crate) fn generation_of(path: &Path) -> Arc<AtomicU64> {
    static FILES: OnceLock<Mutex<HashMap<PathBuf, Weak<AtomicU64>>>> = OnceLock::new();
    let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let mut files = FILES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    if let Some(generation) = files.get(&key).and_then(Weak::upgrade) {
        return generation;
    }
    files.retain(|_, g| g.strong_count() > 0);
    let generation = Arc::new(AtomicU64::new(0));
    files.insert(key, Arc::downgrade(&generation));
    generation
}

struct Remembered<T> {
    value: Arc<T>,
    generation: u64,
    at: Instant,
}

/// Something read per event (its head, its read policy), remembered under the rules above:
/// used only at the write generation it was read at and for at most [`MAX_AGE`].
pub(crate) struct PerEvent<T> {
    entries: RwLock<HashMap<String, Remembered<T>>>,
}

impl<T> Default for PerEvent<T> {
    fn default() -> Self {
        PerEvent {
            entries: RwLock::default(),
        }
    }
}

impl<T> PerEvent<T> {
    pub(crate) fn get(&self, event: &str, generation: u64) -> Option<Arc<T>> {
        let entries = self.entries.read().unwrap_or_else(PoisonError::into_inner);
        let entry = entries.get(event)?;
        (entry.generation == generation && entry.at.elapsed() < MAX_AGE)
            .then(|| entry.value.clone())
    }

    /// Remembers `value`, read in a transaction that began after the generation was taken.
    pub(crate) fn put(&self, event: &str, value: Arc<T>, generation: u64) {
        let mut entries = self.entries.write().unwrap_or_else(PoisonError::into_inner);
        if entries.len() >= MAX_EVENTS && !entries.contains_key(event) {
            entries.clear();
        }
        entries.insert(
            event.to_string(),
            Remembered {
                value,
                generation,
                at: Instant::now(),
            },
        );
    }
}

/// The remembered heads of one [`Db`].
pub(crate) type HeadCache = PerEvent<Head>;

impl Db {
    /// The event's head if one is remembered and still current; no I/O.
    pub fn cached_head(&self, event: &str) -> Option<Arc<Head>> {
        self.heads().get(event, self.generation())
    }

    /// Remembers `head`, read in a transaction that began after [`Db::generation`] returned
    /// `generation` (so a write committed meanwhile makes it stale, never wrong).
    pub fn remember_head(&self, head: Head, generation: u64) -> Arc<Head> {
        let head = Arc::new(head);
        self.heads().put(&head.event, head.clone(), generation);
        head
    }

    /// The event's current head: from memory, or read (and remembered).
    pub async fn current_head(&self, event: &str) -> ApiResult<Arc<Head>> {
        if let Some(head) = self.cached_head(event) {
            return Ok(head);
        }
        let generation = self.generation();
        let id = event.to_string();
        let head = self.read(move |tx| log::require_head(tx, &id)).await?;
        Ok(self.remember_head(head, generation))
    }

    /// Bumped after every committed write through any `Db` of this process on the same file.
    pub fn generation(&self) -> u64 {
        self.generation_counter().load(Ordering::Acquire)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::log::{NewChange, append, ensure_event};
    use marktplatz_model::model::EntityKind;

    fn publish(db: &Db, id: &str) -> u64 {
        db.write_blocking(|tx| {
            ensure_event(tx, "e")?;
            append(
                tx,
                "e",
                &[NewChange {
                    kind: EntityKind::Track,
                    id: id.into(),
                    body: Some("{}".into()),
                }],
            )
        })
        .unwrap()
    }

    #[tokio::test]
    async fn a_write_through_any_db_on_the_file_makes_the_remembered_head_stale() {
        let dir = tempfile::tempdir().unwrap();
        let server = Db::open(dir.path()).unwrap();
        // Another handle on the same file, as `Admin` is in tests and tools.
        let admin = Db::open(dir.path()).unwrap();
        publish(&admin, "a");
        assert!(server.cached_head("e").is_none(), "nothing read yet");
        let first = server.current_head("e").await.unwrap();
        assert_eq!(first.seq, 1);
        assert_eq!(server.cached_head("e").unwrap().seq, 1);

        let seq = publish(&admin, "b");
        assert_eq!(seq, 2);
        assert!(
            server.cached_head("e").is_none(),
            "the write through the other handle must retire the remembered head"
        );
        assert_eq!(server.current_head("e").await.unwrap().seq, 2);
        publish(&server, "c");
        assert_eq!(server.current_head("e").await.unwrap().seq, 3);
    }

    #[tokio::test]
    async fn a_head_read_before_a_write_is_never_served_after_it() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(dir.path()).unwrap();
        publish(&db, "a");
        // A reader took the generation, then a write committed before it remembered its head.
        let generation = db.generation();
        let old = db
            .read_blocking(|tx| crate::log::require_head(tx, "e"))
            .unwrap();
        publish(&db, "b");
        db.remember_head(old, generation);
        assert!(db.cached_head("e").is_none());
        assert_eq!(db.current_head("e").await.unwrap().seq, 2);
    }

    #[tokio::test]
    async fn a_remembered_head_expires_for_writers_in_other_processes() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(dir.path()).unwrap();
        publish(&db, "a");
        db.current_head("e").await.unwrap();
        assert!(db.cached_head("e").is_some());
        std::thread::sleep(MAX_AGE + Duration::from_millis(50));
        assert!(db.cached_head("e").is_none());
    }

    #[tokio::test]
    async fn unknown_events_are_not_remembered() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(dir.path()).unwrap();
        assert!(db.current_head("nope").await.is_err());
        assert!(db.cached_head("nope").is_none());
    }
}
