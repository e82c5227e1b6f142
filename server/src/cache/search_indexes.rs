//! The web programme's search indexes ([`MemoryIndex`]), one per event at its current head
//! (an [`AtHead`] cache): built once when a head is first searched, off the async threads.
//!
//! A 36C3-sized event takes a few megabytes; [`MAX_BYTES`] holds dozens of them.

use std::sync::Arc;

use marktplatz_model::bundle::Bundle;
use marktplatz_model::wire::Head;
use marktplatz_search::MemoryIndex;

use super::at_head::{AtHead, Made};

/// Most bytes (roughly) the indexes of all events may hold together.
pub const MAX_BYTES: usize = 256 * 1024 * 1024;

pub struct SearchIndexes {
    indexes: AtHead<MemoryIndex>,
}

impl Default for SearchIndexes {
    fn default() -> Self {
        SearchIndexes {
            indexes: AtHead::new(MAX_BYTES),
        }
    }
}

impl SearchIndexes {
    /// The index of `event` at `head`, building it from `bundle` (the content at that head)
    /// when it is not held yet. The build's error is only a panic or cancellation of its
    /// thread.
    pub async fn get(
        &self,
        event: &str,
        head: &Head,
        bundle: impl FnOnce() -> Bundle,
    ) -> Result<Arc<MemoryIndex>, tokio::task::JoinError> {
        self.indexes
            .get(event, head, async || {
                let bundle = bundle();
                let index =
                    tokio::task::spawn_blocking(move || MemoryIndex::build(&bundle)).await?;
                Ok(Made {
                    head: head.clone(),
                    bytes: index.heap_bytes(),
                    value: index,
                })
            })
            .await
    }

    /// Indexes held and their bytes (for tests and the benchmark).
    pub fn held_bytes(&self) -> (usize, usize) {
        self.indexes.held_bytes()
    }
}
