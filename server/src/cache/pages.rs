//! Finished change pages kept in memory, compressed, so that the crowd at 9:00 on the opening
//! day (every phone fetching the same first pages, or the same delta after a publication) costs
//! one database read and one compression per page, not one per phone. Measured in
//! `docs/adr/0010-performance.md`. Filled and served by `http::page_cache`.
//!
//! A page answer depends on the URL, the negotiated encoding and the event's head (pages carry
//! it), so the head is part of the key: a publication makes every older entry unreachable.
//! Callers asking for the same missing entry wait for one computation (single flight).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
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
    pub accept_encoding: String,
}

/// A finished answer: its headers and (compressed) body.
pub struct StoredPage {
    pub headers: HeaderMap,
    pub body: Bytes,
}

#[derive(Default)]
pub struct PageCache {
    entries: Mutex<Entries>,
    /// Entries filled since the start: each one page built (read, encoded, compressed).
    filled: AtomicU64,
}

#[derive(Default)]
struct Entries {
    map: HashMap<PageKey, Arc<OnceCell<StoredPage>>>,
    bytes: usize,
}

impl PageCache {
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
