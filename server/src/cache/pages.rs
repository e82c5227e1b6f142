//! Finished change pages kept in memory, compressed, so that the crowd at 9:00 on the opening
//! day (every phone fetching the same first pages, or the same delta after a publication) costs
//! one database read and one compression per page, not one per phone. Measured in
//! `docs/adr/0010-performance.md`. Filled and served by `http::page_cache`.
//!
//! A page answer depends on the URL, the negotiated encoding and the event's head (pages carry
//! it), so the head is part of the key: a publication makes every older entry unreachable.
//! Callers asking for the same missing entry wait for one computation (single flight).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use axum::body::Bytes;
use axum::http::HeaderMap;
use tokio::sync::OnceCell;

/// Bytes of page bodies kept at most; past that the cache starts over (a fair's pages at one
/// head take a few megabytes).
const MAX_BYTES: usize = 64 * 1024 * 1024;
/// Entries kept at most (each encoding of each page is one).
const MAX_ENTRIES: usize = 4096;
/// Larger answers are not kept.
pub const MAX_BODY: usize = 8 * 1024 * 1024;

/// What a page answer depends on.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PageKey {
    pub event: String,
    pub epoch: String,
    pub head: u64,
    pub path_and_query: String,
    /// The encoding negotiated for the request (`http::page_encoding`), not its raw header:
    /// clients of one kind share one copy.
    pub encoding: &'static str,
}

/// Most pages waiting to be compressed again at the best level (`http::page_cache`); past
/// that a page keeps its first compression, so a burst of new pages cannot queue unbounded
/// work and memory (each waiting page holds its uncompressed body).
const MAX_WAITING_RECOMPRESSIONS: usize = 16;

/// A finished answer: its headers and (compressed) body. The body may be replaced once by the
/// same content compressed harder, with the same headers.
pub struct StoredPage {
    pub headers: HeaderMap,
    body: Mutex<Bytes>,
}

impl StoredPage {
    pub fn new(headers: HeaderMap, body: Bytes) -> StoredPage {
        StoredPage {
            headers,
            body: Mutex::new(body),
        }
    }

    pub fn body(&self) -> Bytes {
        self.body
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Replaces the body with `smaller`, the same content in the same encoding, when it is
    /// smaller; whether it was.
    pub fn replace_body(&self, smaller: Bytes) -> bool {
        let mut body = self.body.lock().unwrap_or_else(PoisonError::into_inner);
        let replaced = smaller.len() < body.len();
        if replaced {
            *body = smaller;
        }
        replaced
    }
}

/// A slot to compress one page again off the request path; given back when dropped.
pub struct RecompressionSlot {
    cache: Arc<PageCache>,
}

impl Drop for RecompressionSlot {
    fn drop(&mut self) {
        self.cache.recompressions.fetch_sub(1, Ordering::Relaxed);
    }
}

pub struct PageCache {
    entries: Mutex<Entries>,
    /// Entries filled since the start: each one page built (read, encoded, compressed).
    filled: AtomicU64,
    /// Pages waiting for or being compressed again.
    recompressions: AtomicUsize,
    /// Kept bodies replaced by a smaller recompression since the start.
    recompressed: AtomicU64,
    /// One recompression at a time: the server's other cores keep answering.
    recompressing: tokio::sync::Semaphore,
}

#[derive(Default)]
struct Entries {
    map: HashMap<PageKey, Arc<OnceCell<StoredPage>>>,
    bytes: usize,
}

impl Default for PageCache {
    fn default() -> PageCache {
        PageCache {
            entries: Mutex::default(),
            filled: AtomicU64::new(0),
            recompressions: AtomicUsize::new(0),
            recompressed: AtomicU64::new(0),
            recompressing: tokio::sync::Semaphore::new(1),
        }
    }
}

impl PageCache {
    /// A slot to recompress a page, `None` when enough are waiting already.
    pub fn recompression_slot(self: &Arc<Self>) -> Option<RecompressionSlot> {
        let before = self.recompressions.fetch_add(1, Ordering::Relaxed);
        let slot = RecompressionSlot {
            cache: self.clone(),
        };
        (before < MAX_WAITING_RECOMPRESSIONS).then_some(slot)
    }

    /// Pages waiting to be compressed again, or being so.
    pub fn recompressing(&self) -> usize {
        self.recompressions.load(Ordering::Relaxed)
    }

    /// Counts a kept body replaced by its recompression.
    pub fn count_recompressed(&self) {
        self.recompressed.fetch_add(1, Ordering::Relaxed);
    }

    /// Kept bodies replaced by a smaller recompression since the start.
    pub fn recompressed(&self) -> u64 {
        self.recompressed.load(Ordering::Relaxed)
    }

    /// Waits for the turn to run one recompression (one at a time).
    pub async fn recompression_turn(&self) -> Option<tokio::sync::SemaphorePermit<'_>> {
        self.recompressing.acquire().await.ok()
    }

    /// The entry for `key`, empty until its first caller fills it.
    pub fn cell(&self, key: PageKey) -> Arc<OnceCell<StoredPage>> {
        let mut entries = self.lock();
        if let Some(cell) = entries.map.get(&key) {
            return cell.clone();
        }
        if entries.map.len() >= MAX_ENTRIES || entries.bytes >= MAX_BYTES {
            entries.map.clear();
            entries.bytes = 0;
        }
        let cell = Arc::new(OnceCell::new());
        entries.map.insert(key, cell.clone());
        cell
    }

    /// Counts a filled entry's bytes towards the limit.
    pub fn account(&self, bytes: usize) {
        self.lock().bytes += bytes;
        self.filled.fetch_add(1, Ordering::Relaxed);
    }

    /// Pages built and kept since the start (what single flight saves is measured by it).
    pub fn filled(&self) -> u64 {
        self.filled.load(Ordering::Relaxed)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Entries held (for tests).
    pub fn len(&self) -> usize {
        self.lock().map.values().filter(|c| c.initialized()).count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
