//! Each event's head kept in memory, so that a poll answered 304 (nearly every request at 9:00
//! on the opening day: every phone asks "anything new?") touches neither SQLite nor a blocking
//! thread. Remembered under the rules of [`PerEvent`]. Measured in
//! `docs/adr/0010-performance.md`.
//!
//! Also each event's waker: long-polls of the tail page park on it (no thread), and a write
//! to the event's log wakes exactly that event's waiters ([`Heads::wake`]).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::Notify;

use marktplatz_model::wire::Head;

use super::per_event::PerEvent;
use crate::store::{Db, Result, change_log};

pub struct Heads {
    db: Db,
    remembered: PerEvent<Head>,
    /// One waker per event that has been waited on (events are few and known: a waker is
    /// made only after the event's head was read).
    wakers: Mutex<HashMap<String, Arc<Notify>>>,
}

impl Heads {
    pub fn new(db: Db) -> Heads {
        Heads {
            db,
            remembered: PerEvent::default(),
            wakers: Mutex::default(),
        }
    }

    /// The waker of `event`: register with `notified()` (and `enable()` it) before reading
    /// the head, so that no write slips between the read and the wait.
    pub fn waker(&self, event: &str) -> Arc<Notify> {
        let mut wakers = self.wakers.lock().unwrap_or_else(PoisonError::into_inner);
        wakers.entry(event.to_string()).or_default().clone()
    }

    /// Wakes everyone waiting on `event` (after a write to its log has committed).
    pub fn wake(&self, event: &str) {
        let wakers = self.wakers.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(waker) = wakers.get(event) {
            waker.notify_waiters();
        }
    }

    /// Wakes every waiter of every event (after news that may concern any of them).
    pub fn wake_all(&self) {
        let wakers = self.wakers.lock().unwrap_or_else(PoisonError::into_inner);
        for waker in wakers.values() {
            waker.notify_waiters();
        }
    }

    /// The event's head if one is remembered and still current; no I/O.
    pub fn cached(&self, event: &str) -> Option<Arc<Head>> {
        self.remembered.get(event, self.db.generation())
    }

    /// The head to answer a no-change poll with; no I/O. As [`Heads::cached`], but past its
    /// age, while one caller reads it again (it gets `None`, and [`Heads::current`] reads), the
    /// others get the old one: a crowd of polls does not queue for the store every second.
    pub fn for_poll(&self, event: &str) -> Option<Arc<Head>> {
        self.remembered.get_or_refresh(event, self.db.generation())
    }

    /// Remembers `head`, read in a transaction that began after [`Db::generation`] returned
    /// `generation` (so a write committed meanwhile makes it stale, never wrong).
    pub fn remember(&self, head: Head, generation: u64) -> Arc<Head> {
        let head = Arc::new(head);
        self.remembered.put(&head.event, head.clone(), generation);
        head
    }

    /// The event's current head: from memory, or read (and remembered).
    pub async fn current(&self, event: &str) -> Result<Arc<Head>> {
        if let Some(head) = self.cached(event) {
            return Ok(head);
        }
        // A crowd missing the same stale head (10,000 held long-polls rechecking at once)
        // waits for one read instead of making one each.
        let _reading = self.remembered.reading(event).await;
        if let Some(head) = self.cached(event) {
            return Ok(head);
        }
        let generation = self.db.generation();
        let id = event.to_string();
        let head = self
            .db
            .read(move |tx| change_log::require_head(tx, &id))
            .await?;
        Ok(self.remember(head, generation))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::time::Duration;

    use super::*;
    use crate::cache::per_event::MAX_AGE;
    use crate::store::change_log::{NewChange, append, ensure_event};
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
        let heads = Heads::new(server.clone());
        // Another handle on the same file, as `Admin` is in tests and tools.
        let admin = Db::open(dir.path()).unwrap();
        publish(&admin, "a");
        assert!(heads.cached("e").is_none(), "nothing read yet");
        let first = heads.current("e").await.unwrap();
        assert_eq!(first.seq, 1);
        assert_eq!(heads.cached("e").unwrap().seq, 1);

        let seq = publish(&admin, "b");
        assert_eq!(seq, 2);
        assert!(
            heads.cached("e").is_none(),
            "the write through the other handle must retire the remembered head"
        );
        assert_eq!(heads.current("e").await.unwrap().seq, 2);
        publish(&server, "c");
        assert_eq!(heads.current("e").await.unwrap().seq, 3);
    }

    #[tokio::test]
    async fn a_head_read_before_a_write_is_never_served_after_it() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(dir.path()).unwrap();
        let heads = Heads::new(db.clone());
        publish(&db, "a");
        // A reader took the generation, then a write committed before it remembered its head.
        let generation = db.generation();
        let old = db
            .read_blocking(|tx| change_log::require_head(tx, "e"))
            .unwrap();
        publish(&db, "b");
        heads.remember(old, generation);
        assert!(heads.cached("e").is_none());
        assert_eq!(heads.current("e").await.unwrap().seq, 2);
    }

    #[tokio::test]
    async fn a_remembered_head_expires_for_writers_in_other_processes() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(dir.path()).unwrap();
        let heads = Heads::new(db.clone());
        publish(&db, "a");
        heads.current("e").await.unwrap();
        assert!(heads.cached("e").is_some());
        std::thread::sleep(MAX_AGE + Duration::from_millis(50));
        assert!(heads.cached("e").is_none());
    }

    #[tokio::test]
    async fn unknown_events_are_not_remembered() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(dir.path()).unwrap();
        let heads = Heads::new(db);
        assert!(heads.current("nope").await.is_err());
        assert!(heads.cached("nope").is_none());
    }
}
