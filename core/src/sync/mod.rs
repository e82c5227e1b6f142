//! Pulling an event from its server: pages into content.db, small assets into the cache.
//!
//! [`sync_event`] pushes the organiser's queued operations, pulls the content ([`pull::pull`]),
//! then fetches the assets that travel with it. What the device keeps beside the content
//! (change alerts, the outbox's bookkeeping) follows through [`PullHooks`]: the apps call
//! [`crate::device::sync_event`], which hooks those in. Protocol:
//! `docs/adr/0002-sync-protocol.md`.

mod access;
pub mod assets;
pub mod budget;
pub mod cancel;
pub mod client;
pub mod events;
pub mod follow;
pub mod http;
pub mod organiser;
pub mod outbox;
pub mod progress;
pub mod pull;
pub mod request;
pub mod retry;

use std::sync::Arc;
use std::time::Instant;

use serde::Serialize;

pub use access::{has_access_code, set_access_code};
pub use assets::AssetCache;
pub use cancel::CancelToken;
pub use client::{Client, ClientConfig};
pub use follow::{FollowOptions, Followed, follow};
pub use organiser::{OrganiserInfo, forget_organiser, organiser, set_organiser};
pub use outbox::{
    OpState, OutboxEntry, OutboxPolicy, PushOptions, PushReport, PushStop, Rejection, push,
    queue_hall_plan, queue_photo,
};
pub use progress::{ChangeSummary, KindChanges, Phase, Progress, ProgressFn};
pub use pull::{
    ApplyHook, NoHooks, PullHooks, PullOptions, PullReport, SkippedPage, apply_page, pull,
};
pub use retry::RetryPolicy;

use crate::error::{Error, Result};
use crate::store::Store;

/// Options of one sync.
#[derive(Clone, Default)]
pub struct SyncOptions {
    pub cancel: CancelToken,
    pub progress: Option<Arc<ProgressFn>>,
    /// Called inside every page's transaction (change alerts).
    pub hook: Option<Arc<ApplyHook<'static>>>,
    /// Skip the small assets (content only).
    pub skip_assets: bool,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct AssetReport {
    pub wanted: u32,
    pub downloaded: u32,
    /// Assets that could not be fetched this time (hash, error); the next sync tries again.
    pub failed: Vec<(String, String)>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct SyncReport {
    pub event_id: String,
    /// An organiser's queued operations pushed before pulling (`None`: nothing was waiting).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub push: Option<PushReport>,
    /// Why that push failed outright (the pull went ahead regardless).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub push_error: Option<String>,
    #[serde(flatten)]
    pub content: PullReport,
    pub assets: AssetReport,
    pub elapsed_ms: u64,
}

/// Syncs one event: content first (each page committed as it arrives), then the small assets.
/// An asset that fails does not fail the sync: it is listed in the report and retried next
/// time. Cancellation stops between pages and between assets. `hooks` follow each page.
pub async fn sync_event(
    client: &Client,
    store: &Store,
    cache: Option<&AssetCache>,
    server_url: &str,
    event_id: &str,
    options: &SyncOptions,
    hooks: &dyn PullHooks,
) -> Result<SyncReport> {
    let started = Instant::now();
    // An organiser's operations go out first, so the pull that follows brings them back as
    // content (and marks them done). A failed push never keeps attendees' content from coming.
    let (push, push_error) = if outbox::has_waiting(store, event_id)? {
        let push_options = PushOptions {
            cancel: options.cancel.clone(),
            ..PushOptions::default()
        };
        match outbox::push(client, store, event_id, &push_options).await {
            Ok(report) => (Some(report), None),
            Err(Error::Cancelled) => return Err(Error::Cancelled),
            Err(error) => (None, Some(error.to_string())),
        }
    } else {
        (None, None)
    };
    let pull_options = PullOptions {
        cancel: options.cancel.clone(),
        progress: options.progress.clone(),
        hook: options.hook.clone(),
        wait: None,
    };
    let content = pull(client, store, server_url, event_id, &pull_options, hooks).await?;
    // Then what later publishes undid of the organiser's applied operations.
    let push_error =
        match outbox::refresh_overridden(client, store, event_id, &options.cancel).await {
            Ok(None) => push_error,
            Ok(Some(PushStop::Offline(m) | PushStop::Unauthorized(m))) => push_error.or(Some(m)),
            Err(Error::Cancelled) => return Err(Error::Cancelled),
            Err(error) => push_error.or_else(|| Some(error.to_string())),
        };
    let mut report = SyncReport {
        event_id: event_id.to_string(),
        push,
        push_error,
        content,
        ..SyncReport::default()
    };
    if let (Some(cache), false) = (cache, options.skip_assets) {
        let pins = cache.event_pins(store, event_id)?;
        cache.set_pins(store, &format!("event:{event_id}"), &pins)?;
        let wanted = cache.prefetch_list(store, event_id)?;
        report.assets.wanted = wanted.len() as u32;
        let mut progress = Progress {
            event_id: event_id.to_string(),
            phase: Phase::Assets,
            bytes: report.content.bytes,
            entities: 0,
            seq_done: 0,
            seq_total: 0,
            assets_done: 0,
            assets_total: wanted.len() as u32,
        };
        for asset in &wanted {
            options.cancel.check()?;
            match cache
                .fetch(client, store, server_url, asset, &options.cancel)
                .await
            {
                Ok(_) => report.assets.downloaded += 1,
                Err(Error::Cancelled) => return Err(Error::Cancelled),
                Err(error) => report
                    .assets
                    .failed
                    .push((asset.sha256.clone(), error.to_string())),
            }
            progress.assets_done += 1;
            if let Some(callback) = &options.progress {
                callback(&progress);
            }
        }
    }
    if let Some(callback) = &options.progress {
        callback(&Progress {
            event_id: event_id.to_string(),
            phase: Phase::Done,
            bytes: report.content.bytes,
            entities: 0,
            seq_done: 0,
            seq_total: 0,
            assets_done: report.assets.downloaded,
            assets_total: report.assets.wanted,
        });
    }
    report.elapsed_ms = started.elapsed().as_millis() as u64;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send<T: Send>(_: &T) {}

    /// The FFI runs syncs on a multi-threaded runtime: the futures must be `Send`.
    #[test]
    fn sync_futures_are_send() {
        let Ok(client) = Client::new(ClientConfig::default()) else {
            panic!("client");
        };
        let dir = std::env::temp_dir();
        let cache = AssetCache::new(&dir, 1);
        let store: Option<&Store> = None;
        if let Some(store) = store {
            let options = SyncOptions::default();
            let future = sync_event(
                &client,
                store,
                Some(&cache),
                "http://x",
                "e",
                &options,
                &NoHooks,
            );
            assert_send(&future);
            let token = CancelToken::new();
            let asset = marktplatz_model::model::AssetRef {
                sha256: String::new(),
                media_type: String::new(),
                bytes: 0,
                width: None,
                height: None,
            };
            let fetch = cache.fetch(&client, store, "http://x", &asset, &token);
            assert_send(&fetch);
        }
    }
}
