//! Something read per event (its head, its read policy), remembered under two rules: used
//! only at the write generation it was read at (`Db::generation`), and for at most
//! [`MAX_AGE`].
//!
//! Exact for writes made in this process through any `Db` on the same file: every committed
//! write bumps the file's generation, and a value remembered at an older generation is not
//! used. A write from another process (the CLI's `Admin` on the data directory while the server
//! runs) is seen within [`MAX_AGE`], well inside the 5 seconds for which heads and tails may be
//! cached anyway (`Cache-Control: max-age=5`, ADR 0002).

use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, Instant};

/// How long a remembered value is trusted without a write in this process.
pub const MAX_AGE: Duration = Duration::from_secs(1);

/// Most events remembered; beyond that the table is emptied (a server holds a few events).
const MAX_EVENTS: usize = 1024;

struct Remembered<T> {
    value: Arc<T>,
    generation: u64,
    at: Instant,
}

pub struct PerEvent<T> {
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
    pub fn get(&self, event: &str, generation: u64) -> Option<Arc<T>> {
        let entries = self.entries.read().unwrap_or_else(PoisonError::into_inner);
        let entry = entries.get(event)?;
        (entry.generation == generation && entry.at.elapsed() < MAX_AGE)
            .then(|| entry.value.clone())
    }

    /// Remembers `value`, read in a transaction that began after the generation was taken.
    pub fn put(&self, event: &str, value: Arc<T>, generation: u64) {
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
