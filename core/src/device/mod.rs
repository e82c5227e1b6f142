//! `Device`: what one phone app holds — the store with the search's in-memory state and the
//! change alerts' listeners beside it, the asset cache, the HTTP client and the one tokio
//! runtime that network work runs on — and the notices it tells the shells about. It composes
//! the sync with the alerts and the outbox ([`sync_event`], `sync.rs`).
//!
//! Local reads and writes are synchronous calls on [`Device::store`] (the shells call them off
//! the main thread). Network work (`sync`, asset downloads) is `async`: it runs as a task on the
//! device's own runtime and the returned future only waits for it, so it can be awaited from any
//! executor (uniffi's, a test's). Dropping that future aborts the task at its next await point —
//! never inside a page's transaction, which is synchronous — so a dropped sync leaves the last
//! committed page and its cursor.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Utc};
use tokio::runtime::Runtime;
use tokio::task::JoinHandle;

mod follow;
mod sync;

pub use follow::FollowHandle;
pub use sync::{DeviceHooks, sync_event};

use crate::error::{Error, Result};
use crate::favourites::{AlertListeners, AlertNotice};
use crate::listeners::{Listeners, Subscription};
use crate::search::SearchCache;
use crate::store::{CredentialStore, Store};
use crate::sync::outbox::{PushOptions, PushReport};
use crate::sync::{
    AssetCache, CancelToken, Client, ClientConfig, Progress, PullReport, SkippedPage, SyncOptions,
    SyncReport,
};
use follow::Followers;
use marktplatz_model::model::{AssetRef, EntityKind};
use marktplatz_model::wire::ListedEvent;

/// Bytes the asset cache may use before it evicts the least recently used unpinned files.
pub const DEFAULT_ASSET_BUDGET: u64 = 200 * 1024 * 1024;

/// A notice for the shells, delivered to every subscribed listener.
#[derive(Clone, Debug, PartialEq)]
pub enum Update {
    /// A sync made progress (for a progress bar).
    SyncProgress { progress: Progress },
    /// A sync ended; `outcome.changed` lists what changed per kind (empty for a 304).
    SyncFinished { outcome: SyncOutcome },
    /// A sync failed; content and cursor are as before it.
    SyncFailed { event_id: String, message: String },
    /// Change alerts of favourites were recorded or marked seen.
    Alerts { notice: AlertNotice },
}

/// What one sync did, in plain fields the shells can show ("3 sessions updated").
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SyncOutcome {
    pub event_id: String,
    pub changed: Vec<KindCount>,
    /// The server had nothing new (one 304).
    pub not_modified: bool,
    /// The content was downloaded afresh (history reset on the server, or another server).
    pub rebootstrapped: bool,
    pub cursor: u64,
    /// Body bytes and pages this sync received: what it spent of its budget
    /// ([`crate::sync::budget`]).
    pub bytes: u64,
    pub pages: u32,
    /// The sync stopped at its budget before the server's last page: what came is kept, the
    /// next sync goes on from there.
    pub budget_spent: bool,
    /// Pages too large to take that this sync stepped past: their changes are missing.
    pub skipped_pages: Vec<SkippedPage>,
    pub assets_downloaded: u32,
    /// Assets that failed this time and will be retried by the next sync.
    pub assets_failed: u32,
    /// The organiser's queued operations pushed first (`None`: nothing was waiting).
    pub push: Option<PushReport>,
    /// Why that push failed outright (the pull went ahead regardless).
    pub push_error: Option<String>,
    pub elapsed_ms: u64,
    pub synced_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KindCount {
    pub kind: EntityKind,
    pub added: u32,
    pub updated: u32,
    pub removed: u32,
}

impl SyncOutcome {
    fn from_report(report: SyncReport) -> SyncOutcome {
        SyncOutcome {
            assets_downloaded: report.assets.downloaded,
            assets_failed: report.assets.failed.len() as u32,
            push: report.push,
            push_error: report.push_error,
            elapsed_ms: report.elapsed_ms,
            ..SyncOutcome::from_pull(&report.event_id, &report.content)
        }
    }

    /// What one answer of a pull (or of a follow round) applied.
    pub fn from_pull(event_id: &str, report: &PullReport) -> SyncOutcome {
        SyncOutcome {
            event_id: event_id.to_string(),
            changed: report
                .summary
                .kinds
                .iter()
                .map(|(kind, counts)| KindCount {
                    kind: *kind,
                    added: counts.added,
                    updated: counts.updated,
                    removed: counts.removed,
                })
                .collect(),
            not_modified: report.not_modified,
            rebootstrapped: report.rebootstrapped,
            cursor: report.cursor,
            bytes: report.bytes,
            pages: report.pages,
            budget_spent: report.budget_spent,
            skipped_pages: report.skipped_pages.clone(),
            synced_at: Utc::now(),
            ..SyncOutcome::default()
        }
    }

    pub fn total_changed(&self) -> u32 {
        self.changed
            .iter()
            .map(|c| c.added + c.updated + c.removed)
            .sum()
    }
}

pub struct Device {
    inner: Arc<Inner>,
    runtime: Option<Runtime>,
    _alerts: Subscription,
}

struct Inner {
    store: Store,
    /// The search's in-memory state for this store (rebuilt when the content changes).
    search: SearchCache,
    /// Who is told when change alerts change (the device forwards them as [`Update::Alerts`]).
    alerts: AlertListeners,
    cache: AssetCache,
    client: Client,
    updates: Listeners<Update>,
    /// The cancel token of each event's running sync.
    running: Mutex<HashMap<String, CancelToken>>,
    /// One sync per event at a time: a second one waits its turn (then is usually a 304).
    turns: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    /// The followed events (one loop each).
    followers: Followers,
}

impl Device {
    /// Opens the store in `dir` and starts the device's network runtime (two worker threads).
    pub fn open(dir: impl AsRef<Path>) -> Result<Device> {
        Device::open_with(dir, ClientConfig::default(), DEFAULT_ASSET_BUDGET)
    }

    /// Opens the device with secrets in the platform's `credentials` (the apps).
    pub fn open_with_credentials(
        dir: impl AsRef<Path>,
        credentials: Arc<dyn CredentialStore>,
    ) -> Result<Device> {
        let store = Store::open_with_credentials(&dir, credentials)?;
        Device::start(dir, store, ClientConfig::default(), DEFAULT_ASSET_BUDGET)
    }

    pub fn open_with(
        dir: impl AsRef<Path>,
        client: ClientConfig,
        asset_budget: u64,
    ) -> Result<Device> {
        let store = Store::open(&dir)?;
        Device::start(dir, store, client, asset_budget)
    }

    fn start(
        dir: impl AsRef<Path>,
        store: Store,
        client: ClientConfig,
        asset_budget: u64,
    ) -> Result<Device> {
        let dir = dir.as_ref();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("marktplatz-net")
            .enable_all()
            .build()
            .map_err(|e| Error::io("starting the network runtime", e))?;
        let inner = Arc::new(Inner {
            cache: AssetCache::new(dir, asset_budget),
            client: Client::new(client)?,
            updates: Listeners::default(),
            running: Mutex::new(HashMap::new()),
            turns: Mutex::new(HashMap::new()),
            followers: Followers::default(),
            store,
            // Kept in the store's folder too: a new process's first search reads it.
            search: SearchCache::persisted_in(dir),
            alerts: AlertListeners::default(),
        });
        let forward = Arc::downgrade(&inner);
        let alerts = inner.alerts.subscribe(Box::new(move |notice: AlertNotice| {
            if let Some(inner) = forward.upgrade() {
                inner.updates.emit(&Update::Alerts { notice });
            }
        }));
        Ok(Device {
            inner,
            runtime: Some(runtime),
            _alerts: alerts,
        })
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// The search's in-memory state kept beside the store (pass it to `search::search`).
    pub fn search_cache(&self) -> &SearchCache {
        &self.inner.search
    }

    /// Who hears of change alerts (pass it to the favourites' calls that change alerts).
    pub fn alerts(&self) -> &AlertListeners {
        &self.inner.alerts
    }

    pub fn dir(&self) -> &Path {
        self.inner.store.dir()
    }

    /// Registers a listener for every [`Update`]; dropping the subscription stops it. A
    /// listener that panics is skipped, the others still hear.
    pub fn subscribe(&self, listener: Box<dyn Fn(Update) + Send + Sync>) -> Subscription {
        self.inner.updates.subscribe(listener)
    }

    /// Syncs an event from `server_url` (or, when `None`, from the server it was synced from
    /// before). One sync per event runs at a time: a second call waits for the first to end
    /// (pull-to-refresh during a background sync), then checks for anything newer.
    pub async fn sync(&self, server_url: Option<String>, event_id: String) -> Result<SyncOutcome> {
        let inner = self.inner.clone();
        self.spawn(async move { inner.sync(server_url, event_id).await })?
            .await
    }

    /// Sends the organiser's queued operations (also done first by every sync). The shells call
    /// this when connectivity returns and at `next_attempt_at`; a failure to reach the server
    /// is reported in the result (`stopped`), not as an error, and nothing queued is lost.
    pub async fn push(&self, event_id: String) -> Result<PushReport> {
        let inner = self.inner.clone();
        self.spawn(async move {
            crate::sync::outbox::push(
                &inner.client,
                &inner.store,
                &event_id,
                &PushOptions::default(),
            )
            .await
        })?
        .await
    }

    /// Cancels the event's running sync (it stops between pages); no-op when none runs.
    pub fn cancel_sync(&self, event_id: &str) {
        if let Some(token) = lock(&self.inner.running).get(event_id) {
            token.cancel();
        }
    }

    /// The events `server_url` offers to anyone (the event picker's list; protected events are
    /// not listed). Nothing is stored: choosing one syncs it.
    pub async fn server_events(&self, server_url: String) -> Result<Vec<ListedEvent>> {
        let inner = self.inner.clone();
        self.spawn(async move {
            crate::sync::events::server_events(&inner.client, &server_url, &CancelToken::new())
                .await
        })?
        .await
    }

    /// The local file of an asset, downloading it first if needed (full-size gallery images
    /// are fetched on demand this way).
    pub async fn asset_file(&self, event_id: String, asset: AssetRef) -> Result<PathBuf> {
        let inner = self.inner.clone();
        self.spawn(async move {
            if let Some(path) = inner.cache.get(&inner.store, &asset.sha256)? {
                return Ok(path);
            }
            let server = inner.server_of(&event_id)?;
            inner
                .cache
                .fetch(
                    &inner.client,
                    &inner.store,
                    &server,
                    &asset,
                    &CancelToken::new(),
                )
                .await
        })?
        .await
    }

    /// The local file of an asset if it is already cached (no network).
    pub fn cached_asset_file(&self, sha256: &str) -> Result<Option<PathBuf>> {
        self.inner.cache.get(&self.inner.store, sha256)
    }

    /// Follows the event from `server_url` (or the server it was synced from) until the
    /// handle is cancelled or dropped: one long-poll held at a time, each answer applied as a
    /// sync applies it and told to the listeners as [`Update::SyncFinished`]. Following an
    /// event already followed replaces the older loop; never two run for one event. While the
    /// device is suspended the loop waits for [`Device::resume`].
    pub fn follow(&self, server_url: Option<String>, event_id: String) -> Result<FollowHandle> {
        let server = match server_url {
            Some(url) => url,
            None => self.inner.server_of(&event_id)?,
        };
        let suspended = self.inner.store.gate().is_suspended();
        let (id, start) = self.inner.followers.register(&event_id, server, suspended);
        let handle = FollowHandle::new(&self.inner, &event_id, id);
        if let Some(start) = start {
            self.spawn_follower(start)?;
        }
        Ok(handle)
    }

    fn spawn_follower(&self, start: follow::Start) -> Result<()> {
        let runtime = self
            .runtime
            .as_ref()
            .ok_or_else(|| Error::Protocol("the device is shutting down".into()))?;
        // Detached: the loop ends when its token is cancelled (by its handle or `suspend`).
        drop(runtime.spawn(follow::run(self.inner.clone(), start)));
        Ok(())
    }

    /// Returns once no database transaction is open; store calls then fail with `Suspended`
    /// until [`Device::resume`]. Running syncs and follow loops are cancelled (syncs resume
    /// from their last page next time; loops start again on `resume`).
    pub fn suspend(&self) {
        for token in lock(&self.inner.running).values() {
            token.cancel();
        }
        self.inner.followers.suspend();
        self.inner.store.suspend();
    }

    /// Opens the store again and restarts the follow loops `suspend` stopped.
    pub fn resume(&self) {
        self.inner.store.resume();
        for start in self.inner.followers.resumed() {
            let running = start.running.clone();
            if self.spawn_follower(start).is_err() {
                // Only while the device is dropped: its handles then report not running.
                running.store(false, std::sync::atomic::Ordering::Release);
            }
        }
    }

    /// Runs `work` on the device's runtime; the returned future aborts it when dropped.
    fn spawn<T: Send + 'static>(
        &self,
        work: impl Future<Output = Result<T>> + Send + 'static,
    ) -> Result<AbortOnDrop<T>> {
        let runtime = self
            .runtime
            .as_ref()
            .ok_or_else(|| Error::Protocol("the device is shutting down".into()))?;
        Ok(AbortOnDrop(runtime.spawn(work)))
    }
}

impl Drop for Device {
    fn drop(&mut self) {
        // Never block the thread that drops the device (it may be a UI thread or a runtime).
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

impl Inner {
    async fn sync(
        self: Arc<Self>,
        server_url: Option<String>,
        event_id: String,
    ) -> Result<SyncOutcome> {
        let server = match server_url {
            Some(url) => url,
            None => self.server_of(&event_id)?,
        };
        let turn = self.turn(&event_id);
        let _my_turn = turn.lock().await;
        let running = self.begin(&event_id);
        let cancel = running.token.clone();
        let progress_target = Arc::downgrade(&self);
        let options = SyncOptions {
            cancel: cancel.clone(),
            progress: Some(Arc::new(move |progress: &Progress| {
                if let Some(inner) = progress_target.upgrade() {
                    inner.updates.emit(&Update::SyncProgress {
                        progress: progress.clone(),
                    });
                }
            })),
            hook: None,
            skip_assets: false,
        };
        let result = sync_event(
            &self.client,
            &self.store,
            Some(&self.cache),
            &self.alerts,
            &server,
            &event_id,
            &options,
        )
        .await;
        drop(running);
        match result {
            Ok(report) => {
                let outcome = SyncOutcome::from_report(report);
                if outcome.total_changed() > 0 {
                    // Loads search's in-memory state now rather than on the next keystroke. An
                    // optimisation only: if it fails, the next search reports the same error.
                    let _warming = crate::search::warm_search(&self.store, &self.search);
                }
                self.updates.emit(&Update::SyncFinished {
                    outcome: outcome.clone(),
                });
                Ok(outcome)
            }
            Err(error) => {
                self.updates.emit(&Update::SyncFailed {
                    event_id,
                    message: error.to_string(),
                });
                Err(error)
            }
        }
    }

    fn turn(&self, event_id: &str) -> Arc<tokio::sync::Mutex<()>> {
        lock(&self.turns)
            .entry(event_id.to_string())
            .or_default()
            .clone()
    }

    /// Registers the event's running sync so `cancel_sync` can reach it.
    fn begin(self: &Arc<Self>, event_id: &str) -> RunningSync {
        let token = CancelToken::new();
        lock(&self.running).insert(event_id.to_string(), token.clone());
        RunningSync {
            inner: self.clone(),
            event_id: event_id.to_string(),
            token,
        }
    }

    fn server_of(&self, event_id: &str) -> Result<String> {
        crate::sync::pull::sync_state(&self.store, event_id)?
            .server_url
            .ok_or_else(|| {
                Error::invalid(
                    format!("event '{event_id}'"),
                    "server",
                    "this event was never synced: give the server's address",
                )
            })
    }
}

/// Marks an event's sync as running until dropped (also when the task is aborted).
struct RunningSync {
    inner: Arc<Inner>,
    event_id: String,
    token: CancelToken,
}

impl Drop for RunningSync {
    fn drop(&mut self) {
        lock(&self.inner.running).remove(&self.event_id);
    }
}

/// A task's result; dropping this aborts the task (at its next await point).
struct AbortOnDrop<T>(JoinHandle<Result<T>>);

impl<T> Future for AbortOnDrop<T> {
    type Output = Result<T>;

    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        std::pin::Pin::new(&mut self.0)
            .poll(cx)
            .map(|joined| match joined {
                Ok(result) => result,
                Err(error) if error.is_cancelled() => Err(Error::Cancelled),
                Err(error) => Err(Error::Protocol(format!("the sync task failed: {error}"))),
            })
    }
}

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
