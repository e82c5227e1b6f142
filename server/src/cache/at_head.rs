//! Something made from an event's content at one head, kept in memory until the head moves:
//! the web programme's loaded content (`programme::Loaded`) and its search index
//! (`marktplatz_search::MemoryIndex`). Made once when a head is first asked for, even by a
//! crowd; replaced when the head moves (the same head the page cache and the ETags key on);
//! bounded in memory.
//!
//! When a new value would take the total over the bound, the others are dropped (a server
//! holds a few events; the one being asked for is kept).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use marktplatz_model::wire::Head;

/// A value made at a head, with what it weighs.
pub struct Made<T> {
    /// The head the value was made at (for content read in one transaction, the head read
    /// there, which may be newer than the one asked for).
    pub head: Head,
    pub value: T,
    /// Roughly the bytes the value holds.
    pub bytes: usize,
}

struct Held<T> {
    epoch: String,
    seq: u64,
    value: Arc<T>,
    bytes: usize,
}

pub struct AtHead<T> {
    max_bytes: usize,
    held: Mutex<HashMap<String, Held<T>>>,
    /// Held while a value is made, so a crowd asking for a new head makes it once.
    making: tokio::sync::Mutex<()>,
}

impl<T> AtHead<T> {
    /// A cache whose values together hold at most about `max_bytes`.
    pub fn new(max_bytes: usize) -> AtHead<T> {
        AtHead {
            max_bytes,
            held: Mutex::default(),
            making: tokio::sync::Mutex::new(()),
        }
    }

    /// The value of `event` at `head`, made by `make` when it is not held yet.
    pub async fn get<E>(
        &self,
        event: &str,
        head: &Head,
        make: impl AsyncFnOnce() -> Result<Made<T>, E>,
    ) -> Result<Arc<T>, E> {
        if let Some(value) = self.held_at(event, head) {
            return Ok(value);
        }
        let _making = self.making.lock().await;
        if let Some(value) = self.held_at(event, head) {
            return Ok(value);
        }
        let made = make().await?;
        let value = Arc::new(made.value);
        self.keep(event, &made.head, value.clone(), made.bytes);
        Ok(value)
    }

    /// Values held and their bytes (for tests and the benchmark).
    pub fn held_bytes(&self) -> (usize, usize) {
        let held = self.lock();
        (held.len(), held.values().map(|h| h.bytes).sum())
    }

    fn held_at(&self, event: &str, head: &Head) -> Option<Arc<T>> {
        self.lock()
            .get(event)
            .filter(|h| h.seq == head.seq && h.epoch == head.epoch)
            .map(|h| h.value.clone())
    }

    fn keep(&self, event: &str, head: &Head, value: Arc<T>, bytes: usize) {
        let mut held = self.lock();
        held.remove(event);
        let total: usize = held.values().map(|h| h.bytes).sum();
        if total + bytes > self.max_bytes {
            held.clear();
        }
        if bytes <= self.max_bytes {
            held.insert(
                event.to_string(),
                Held {
                    epoch: head.epoch.clone(),
                    seq: head.seq,
                    value,
                    bytes,
                },
            );
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, Held<T>>> {
        self.held.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    fn head(seq: u64) -> Head {
        Head {
            event: "a".into(),
            epoch: "e1".into(),
            seq,
            min_retained_seq: 0,
        }
    }

    async fn get(cache: &AtHead<u64>, event: &str, at: u64, made: &AtomicUsize) -> u64 {
        let value = cache
            .get(event, &head(at), async || {
                made.fetch_add(1, Ordering::SeqCst);
                Ok::<_, ()>(Made {
                    head: head(at),
                    value: at * 10,
                    bytes: 40,
                })
            })
            .await
            .unwrap();
        *value
    }

    #[tokio::test]
    async fn a_value_is_made_once_per_head_and_again_when_the_head_moves() {
        let cache = AtHead::new(100);
        let made = AtomicUsize::new(0);
        assert_eq!(get(&cache, "a", 1, &made).await, 10);
        assert_eq!(get(&cache, "a", 1, &made).await, 10);
        assert_eq!(made.load(Ordering::SeqCst), 1);
        assert_eq!(get(&cache, "a", 2, &made).await, 20);
        assert_eq!(made.load(Ordering::SeqCst), 2);
        assert_eq!(
            cache.held_bytes(),
            (1, 40),
            "the old head's value is replaced"
        );
    }

    #[tokio::test]
    async fn the_bound_drops_the_others_and_keeps_the_new_one() {
        let cache = AtHead::new(100);
        let made = AtomicUsize::new(0);
        get(&cache, "a", 1, &made).await;
        get(&cache, "b", 1, &made).await;
        assert_eq!(cache.held_bytes(), (2, 80));
        get(&cache, "c", 1, &made).await;
        assert_eq!(cache.held_bytes(), (1, 40));
        get(&cache, "c", 1, &made).await;
        assert_eq!(made.load(Ordering::SeqCst), 3, "c was kept");
    }

    #[tokio::test]
    async fn a_value_made_at_a_newer_head_is_kept_at_that_head() {
        let cache = AtHead::new(100);
        let value = cache
            .get("a", &head(1), async || {
                Ok::<_, ()>(Made {
                    head: head(2),
                    value: 7u64,
                    bytes: 1,
                })
            })
            .await
            .unwrap();
        assert_eq!(*value, 7);
        assert!(cache.held_at("a", &head(1)).is_none());
        assert_eq!(cache.held_at("a", &head(2)).as_deref(), Some(&7));
    }

    #[tokio::test]
    async fn a_failure_to_make_keeps_nothing() {
        let cache: AtHead<u64> = AtHead::new(100);
        let failed = cache.get("a", &head(1), async || Err("no")).await;
        assert_eq!(failed.err(), Some("no"));
        assert_eq!(cache.held_bytes(), (0, 0));
    }
}
