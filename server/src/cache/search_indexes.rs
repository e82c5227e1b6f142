//! The web programme's search indexes ([`MemoryIndex`]), one per event at its current head:
//! built once when a head is first searched, replaced when the head moves (the same head the
//! page cache and the ETags key on), and bounded in memory.
//!
//! A 36C3-sized event takes a few megabytes; [`MAX_BYTES`] holds dozens of them. When a new
//! index would exceed it, the others are dropped (a server holds a few events; the one being
//! searched is kept).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use marktplatz_model::bundle::Bundle;
use marktplatz_model::wire::Head;
use marktplatz_search::MemoryIndex;

/// Most bytes (roughly) the indexes of all events may hold together.
pub const MAX_BYTES: usize = 256 * 1024 * 1024;

struct Held {
    epoch: String,
    seq: u64,
    index: Arc<MemoryIndex>,
    bytes: usize,
}

#[derive(Default)]
pub struct SearchIndexes {
    held: Mutex<HashMap<String, Held>>,
    /// Held while an index is built, so a crowd searching a new head builds it once.
    building: tokio::sync::Mutex<()>,
}

impl SearchIndexes {
    /// The index of `event` at `head`, building it from `bundle` (the content at that head)
    /// when it is not held yet. The build runs off the async threads; its error is only a
    /// panic or cancellation of that thread.
    pub async fn get(
        &self,
        event: &str,
        head: &Head,
        bundle: impl FnOnce() -> Bundle,
    ) -> Result<Arc<MemoryIndex>, tokio::task::JoinError> {
        if let Some(index) = self.held_at(event, head) {
            return Ok(index);
        }
        let _building = self.building.lock().await;
        if let Some(index) = self.held_at(event, head) {
            return Ok(index);
        }
        let bundle = bundle();
        let index =
            Arc::new(tokio::task::spawn_blocking(move || MemoryIndex::build(&bundle)).await?);
        self.keep(event, head, index.clone());
        Ok(index)
    }

    /// Indexes held and their bytes (for tests and the benchmark).
    pub fn held_bytes(&self) -> (usize, usize) {
        let held = self.lock();
        (held.len(), held.values().map(|h| h.bytes).sum())
    }

    fn held_at(&self, event: &str, head: &Head) -> Option<Arc<MemoryIndex>> {
        self.lock()
            .get(event)
            .filter(|h| h.seq == head.seq && h.epoch == head.epoch)
            .map(|h| h.index.clone())
    }

    fn keep(&self, event: &str, head: &Head, index: Arc<MemoryIndex>) {
        let bytes = index.heap_bytes();
        let mut held = self.lock();
        held.remove(event);
        let total: usize = held.values().map(|h| h.bytes).sum();
        if total + bytes > MAX_BYTES {
            held.clear();
        }
        if bytes <= MAX_BYTES {
            held.insert(
                event.to_string(),
                Held {
                    epoch: head.epoch.clone(),
                    seq: head.seq,
                    index,
                    bytes,
                },
            );
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, Held>> {
        self.held.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
