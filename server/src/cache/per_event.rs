//! Something read per event (its head, its read policy), remembered under two rules: used
//! only at the write generation it was read at (`Db::generation`), and for at most
//! [`MAX_AGE`] (the hot paths: up to twice that, below).
//!
//! Exact for writes made in this process through any `Db` on the same file: every committed
//! write bumps the file's generation, and a value remembered at an older generation is not
//! used. A write from another process (the CLI's `Admin` on the data directory while the server
//! runs) is seen within [`MAX_AGE`] (`get`) or `2 × MAX_AGE` (`get_or_refresh`), well inside
//! the 5 seconds for which heads and tails may be cached anyway (`Cache-Control: max-age=5`,
//! ADR 0002).
//!
//! Past [`MAX_AGE`], the hot paths ([`PerEvent::get_or_refresh`]: the access gate, the 304 from
//! memory) let one caller read the value again and hand the others the old one meanwhile.
//! When every caller read it again, every second each of the 1,000–10,000 polls in flight
//! queued for one of the store's 8 read slots and a blocking thread: the 304s' p99 of 1–4 s
//! while their p50 was nginx's (`docs/adr/0010-performance.md`, issue 23 part 6).

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::sync::atomic::{AtomicBool, Ordering};
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
    /// Set by the caller that reads it again once past `MAX_AGE`.
    refreshing: AtomicBool,
}

/// Stripes of events whose values are read one at a time ([`PerEvent::reading`]): more than the
/// store's read slots, so that reads for different events (made-up ids among them) still run
/// side by side.
const READING_STRIPES: usize = 16;

pub struct PerEvent<T> {
    entries: RwLock<HashMap<String, Remembered<T>>>,
    reading: [tokio::sync::Mutex<()>; READING_STRIPES],
    /// Random keys: no one can pick ids that share a real event's stripe.
    stripe_of: RandomState,
}

impl<T> Default for PerEvent<T> {
    fn default() -> Self {
        PerEvent {
            entries: RwLock::default(),
            reading: std::array::from_fn(|_| tokio::sync::Mutex::new(())),
            stripe_of: RandomState::new(),
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

    /// As [`PerEvent::get`], except past [`MAX_AGE`] (at the same generation, for up to another
    /// `MAX_AGE`): the first caller gets `None` and is to read the value again and
    /// [`put`](PerEvent::put) it, the others get the old value meanwhile. So a write from
    /// another process is seen within `2 × MAX_AGE`; a write in this process at once.
    pub fn get_or_refresh(&self, event: &str, generation: u64) -> Option<Arc<T>> {
        let entries = self.entries.read().unwrap_or_else(PoisonError::into_inner);
        let entry = entries.get(event)?;
        if entry.generation != generation {
            return None;
        }
        let age = entry.at.elapsed();
        let usable =
            age < MAX_AGE || (age < 2 * MAX_AGE && entry.refreshing.swap(true, Ordering::AcqRel));
        usable.then(|| entry.value.clone())
    }

    /// Held by the caller that reads `event`'s value from the store: a crowd missing the same
    /// value (the start of a crowd, or right after a write) waits for one read and then finds
    /// it remembered ([`PerEvent::get`] again under the guard), instead of each queueing for
    /// the store's read slots while holding its request (issue 23, parts 6 and 7).
    pub async fn reading(&self, event: &str) -> tokio::sync::MutexGuard<'_, ()> {
        let stripe = self.stripe_of.hash_one(event) as usize % READING_STRIPES;
        self.reading[stripe].lock().await
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
                refreshing: AtomicBool::new(false),
            },
        );
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn past_its_age_one_caller_reads_again_and_the_old_value_serves_at_most_another_age() {
        let remembered = PerEvent::default();
        remembered.put("e", Arc::new(1), 7);
        assert_eq!(remembered.get_or_refresh("e", 7).as_deref(), Some(&1));
        // A write in this process: nobody gets the old value, at any age.
        assert!(remembered.get_or_refresh("e", 8).is_none());
        assert!(remembered.get_or_refresh("e", 8).is_none());

        std::thread::sleep(MAX_AGE + Duration::from_millis(20));
        assert!(remembered.get("e", 7).is_none(), "past its age for `get`");
        assert!(
            remembered.get_or_refresh("e", 7).is_none(),
            "the first caller reads again"
        );
        assert_eq!(remembered.get_or_refresh("e", 7).as_deref(), Some(&1));
        assert_eq!(remembered.get_or_refresh("e", 7).as_deref(), Some(&1));
        assert!(remembered.get_or_refresh("e", 8).is_none());

        // The read did not come back (an error): after another age, everyone reads.
        std::thread::sleep(MAX_AGE);
        assert!(remembered.get_or_refresh("e", 7).is_none());
        assert!(remembered.get_or_refresh("e", 7).is_none());

        // The read came back: current again.
        remembered.put("e", Arc::new(2), 7);
        assert_eq!(remembered.get_or_refresh("e", 7).as_deref(), Some(&2));
        assert_eq!(remembered.get("e", 7).as_deref(), Some(&2));
    }
}
