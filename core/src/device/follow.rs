//! Following events while the app is in the foreground: at most one follow loop
//! ([`crate::sync::follow`]) per event, with the device's hooks (alerts, outbox), its listeners
//! told after every applied answer (as [`Update::SyncFinished`], the same notice a sync gives),
//! stopped by `suspend` and started again by `resume`.
//!
//! A [`FollowHandle`] stops its loop when cancelled or dropped. Following an event already
//! followed replaces the older loop (its handle then reports not running); the new loop starts
//! only once the old one has ended, so two never run for one event.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Weak};

use super::sync::DeviceHooks;
use super::{Inner, SyncOutcome, Update, lock};
use crate::error::Error;
use crate::sync::{CancelToken, FollowOptions, Followed, PullReport, follow};

/// The followed events of a device.
#[derive(Default)]
pub(super) struct Followers {
    by_event: std::sync::Mutex<HashMap<String, Follower>>,
    /// Held by an event's running loop: the next one waits for it.
    turns: std::sync::Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    next_id: AtomicU64,
}

struct Follower {
    id: u64,
    server: String,
    cancel: CancelToken,
    /// Cleared by the loop when it ends (cancelled, suspended, or an error it cannot get past).
    running: Arc<AtomicBool>,
    /// Stopped by `suspend`; `resume` starts it again.
    suspended: bool,
}

/// What a new loop needs: spawned by the device on its runtime.
pub(super) struct Start {
    id: u64,
    pub event_id: String,
    pub server: String,
    pub cancel: CancelToken,
    pub running: Arc<AtomicBool>,
}

impl Followers {
    /// Registers a follower of `event_id`, replacing (and cancelling) an older one. One
    /// registered while the store is suspended waits for `resume` (nothing to spawn yet).
    pub(super) fn register(
        &self,
        event_id: &str,
        server: String,
        suspended: bool,
    ) -> (u64, Option<Start>) {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let follower = Follower {
            id,
            server: server.clone(),
            cancel: CancelToken::new(),
            running: Arc::new(AtomicBool::new(!suspended)),
            suspended,
        };
        let start = Start {
            id,
            event_id: event_id.to_string(),
            server,
            cancel: follower.cancel.clone(),
            running: follower.running.clone(),
        };
        if let Some(older) = lock(&self.by_event).insert(event_id.to_string(), follower) {
            older.cancel.cancel();
        }
        (id, (!suspended).then_some(start))
    }

    /// A loop ended because the store was suspended under it (a `suspend` racing its start):
    /// `resume` starts it again, as if `suspend` had stopped it.
    fn stopped_by_suspend(&self, start: &Start) {
        if let Some(follower) = lock(&self.by_event).get_mut(&start.event_id)
            && follower.id == start.id
        {
            follower.suspended = true;
        }
    }

    /// Stops every loop, remembering them for [`Followers::resumed`].
    pub(super) fn suspend(&self) {
        for follower in lock(&self.by_event).values_mut() {
            if follower.running.load(Ordering::Acquire) {
                follower.suspended = true;
                follower.cancel.cancel();
            }
        }
    }

    /// The loops `suspend` stopped, registered afresh (same handles) and ready to spawn.
    pub(super) fn resumed(&self) -> Vec<Start> {
        let mut starts = Vec::new();
        for (event_id, follower) in lock(&self.by_event).iter_mut() {
            if !follower.suspended {
                continue;
            }
            follower.suspended = false;
            follower.cancel = CancelToken::new();
            follower.running = Arc::new(AtomicBool::new(true));
            starts.push(Start {
                id: follower.id,
                event_id: event_id.clone(),
                server: follower.server.clone(),
                cancel: follower.cancel.clone(),
                running: follower.running.clone(),
            });
        }
        starts
    }

    fn cancel(&self, event_id: &str, id: u64) {
        let mut by_event = lock(&self.by_event);
        if by_event.get(event_id).is_some_and(|f| f.id == id)
            && let Some(follower) = by_event.remove(event_id)
        {
            follower.cancel.cancel();
        }
    }

    fn is_running(&self, event_id: &str, id: u64) -> bool {
        lock(&self.by_event)
            .get(event_id)
            .is_some_and(|f| f.id == id && !f.suspended && f.running.load(Ordering::Acquire))
    }

    fn turn(&self, event_id: &str) -> Arc<tokio::sync::Mutex<()>> {
        lock(&self.turns)
            .entry(event_id.to_string())
            .or_default()
            .clone()
    }
}

/// Keeps an event followed until cancelled or dropped.
pub struct FollowHandle {
    inner: Weak<Inner>,
    event_id: String,
    id: u64,
}

impl FollowHandle {
    pub(super) fn new(inner: &Arc<Inner>, event_id: &str, id: u64) -> FollowHandle {
        FollowHandle {
            inner: Arc::downgrade(inner),
            event_id: event_id.to_string(),
            id,
        }
    }

    pub fn event_id(&self) -> &str {
        &self.event_id
    }

    /// Stops the loop (mid-request too; a page already received is applied first).
    pub fn cancel(&self) {
        if let Some(inner) = self.inner.upgrade() {
            inner.followers.cancel(&self.event_id, self.id);
        }
    }

    /// Whether the loop is running: not cancelled, replaced, suspended, or ended by an error
    /// it could not get past (told to the listeners as `SyncFailed`).
    pub fn is_running(&self) -> bool {
        self.inner
            .upgrade()
            .is_some_and(|inner| inner.followers.is_running(&self.event_id, self.id))
    }
}

impl Drop for FollowHandle {
    fn drop(&mut self) {
        self.cancel();
    }
}

/// One loop: waits for the event's previous loop to end, then follows until cancelled.
pub(super) async fn run(inner: Arc<Inner>, start: Start) {
    let turn = inner.followers.turn(&start.event_id);
    let _only_loop = turn.lock().await;
    if !start.cancel.is_cancelled() {
        let hooks = DeviceHooks::new(&inner.store, &inner.alerts);
        let options = FollowOptions {
            cancel: start.cancel.clone(),
            ..FollowOptions::default()
        };
        let told = |followed: Followed<'_>| {
            if let Followed::Applied(report) = followed {
                inner.applied(&start.event_id, report);
            }
        };
        let result = follow(
            &inner.client,
            &inner.store,
            &start.server,
            &start.event_id,
            &options,
            &hooks,
            &told,
        )
        .await;
        match result {
            // `suspend` closed the store mid-page: the stop asked for.
            Err(_) if start.cancel.is_cancelled() => {}
            // Suspended before its token was cancelled: waits for `resume` like the others.
            Err(Error::Suspended) => inner.followers.stopped_by_suspend(&start),
            Err(error) => {
                // How many listeners heard does not matter here.
                let _heard = inner.updates.emit(&Update::SyncFailed {
                    event_id: start.event_id.clone(),
                    message: error.to_string(),
                });
            }
            Ok(()) => {}
        }
    }
    start.running.store(false, Ordering::Release);
}

impl Inner {
    /// A followed answer was applied: search warmed, listeners told as after a sync.
    fn applied(&self, event_id: &str, report: &PullReport) {
        let outcome = SyncOutcome::from_pull(event_id, report);
        if outcome.total_changed() > 0 {
            // An optimisation only: if it fails, the next search reports the same error.
            let _warming = crate::search::warm_search(&self.store, &self.search);
        }
        self.updates.emit(&Update::SyncFinished { outcome });
    }
}
