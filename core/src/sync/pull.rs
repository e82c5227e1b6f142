//! Pulling content: pages of the change log into content.db, each page in one transaction
//! together with the cursor it leads to.
//!
//! - A replayed page (one that ends at or before the cursor) changes nothing.
//! - An interrupted pull resumes from the last committed page.
//! - A 410 (cursor behind the retention horizon), a 409 (epoch ended) or another server URL
//!   starts a re-bootstrap: the old content stays readable while the new snapshot arrives
//!   page by page; entities the snapshot did not confirm are removed with its last page.
//!   `user.db` is never touched.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use reqwest::header::HeaderMap;
use rusqlite::{OptionalExtension, params};

use super::budget;
use super::cancel::CancelToken;
use super::client::Client;
use super::http::{self, Fetched};
use super::progress::{ChangeSummary, Phase, Progress, ProgressFn};
use super::retry::with_retry;
use crate::error::{Error, Result, SqliteContext};
use crate::failpoint;
use crate::store::{
    AppliedChange, ContentTx, Store, StoredBody, SyncState, dictionary, frames, read_sync_state,
    table_of,
};
use marktplatz_model::model::{Entity, EntityKind};
use marktplatz_model::wire::{self, DecodedChange, Page};

/// Called inside each page's content transaction, before it commits, with the page's changes
/// (no-ops left out). An error rolls the page back. `PullOptions::hook` is one; the device's
/// [`PullHooks::applying`] (change alerts) runs before it.
pub type ApplyHook<'a> =
    dyn Fn(&mut ContentTx<'_>, &str, &[AppliedChange]) -> Result<()> + Send + Sync + 'a;

/// What is kept beside the content and follows it page by page: the seam through which
/// [`crate::device`] adds the favourites' change alerts and settles the organiser's outbox.
/// The pull itself knows neither.
pub trait PullHooks: Sync {
    /// Inside each page's transaction, before it commits (an [`ApplyHook`]); an error rolls the
    /// page back.
    fn applying(
        &self,
        tx: &mut ContentTx<'_>,
        event_id: &str,
        changes: &[AppliedChange],
    ) -> Result<()>;

    /// After a page committed (also the empty tail page a 304 stands for).
    fn committed(&self, event_id: &str, page: &AppliedPage) -> Result<()>;

    /// After a pull that downloaded the content afresh (re-bootstrap) ended.
    fn rebuilt(&self, event_id: &str) -> Result<()>;
}

/// A pull with nothing beside the content (benchmarks, tools).
pub struct NoHooks;

impl PullHooks for NoHooks {
    fn applying(&self, _: &mut ContentTx<'_>, _: &str, _: &[AppliedChange]) -> Result<()> {
        Ok(())
    }

    fn committed(&self, _: &str, _: &AppliedPage) -> Result<()> {
        Ok(())
    }

    fn rebuilt(&self, _: &str) -> Result<()> {
        Ok(())
    }
}

/// What applying one page did.
#[derive(Clone, Debug, Default)]
pub struct AppliedPage {
    /// The page had already been applied (replay): nothing changed.
    pub replayed: bool,
    /// Changes that changed something, including removals by a finished re-bootstrap.
    pub changes: Vec<AppliedChange>,
    pub cursor: u64,
    /// A patch did not fit the stored version: nothing was applied; fetch the page again
    /// with full bodies (`full=1`).
    pub needs_full: bool,
}

/// Checks and decodes `page` (asked for with `since`), then applies it in one transaction with
/// its cursor. Replaying a page that was already applied is a no-op.
pub fn apply_page(
    store: &Store,
    event_id: &str,
    server_url: &str,
    page: &Page,
    hook: Option<&ApplyHook<'_>>,
) -> Result<AppliedPage> {
    // Decoding happens before the transaction opens, so a bad page never holds the writer.
    let decoded = page.decode(None, page.since)?;
    store.write_content(|tx| {
        let mut state = tx.sync_state(event_id)?;
        match state.epoch.as_deref() {
            Some(epoch) if epoch == page.epoch => {
                if page.next <= state.cursor && page.since < state.cursor {
                    return Ok(AppliedPage {
                        replayed: true,
                        cursor: state.cursor,
                        ..AppliedPage::default()
                    });
                }
                if page.since != state.cursor {
                    return Err(Error::Protocol(format!(
                        "a page starting at {} arrived, but the device stands at {}",
                        page.since, state.cursor
                    )));
                }
            }
            Some(epoch) => {
                return Err(Error::Protocol(format!(
                    "a page from epoch '{}' arrived while the device follows epoch '{epoch}'",
                    page.epoch
                )));
            }
            None if page.since != 0 => {
                return Err(Error::Protocol(format!(
                    "a page starting at {} arrived, but the device has no cursor yet",
                    page.since
                )));
            }
            None => {}
        }
        // A first sync builds what is derived from the content once, with its last page.
        let deferred = if page.since == 0 {
            !holds_content(tx, event_id)?
        } else {
            snapshot_deferred(tx, event_id)?
        };
        if deferred {
            tx.defer_derived();
            tx.defer_indexes(event_id)?;
        }
        let Some(decoded) = resolve_patches(tx, event_id, &decoded)? else {
            return Ok(AppliedPage {
                needs_full: true,
                cursor: state.cursor,
                ..AppliedPage::default()
            });
        };
        let bodies: Vec<&str> = decoded
            .iter()
            .filter_map(|change| match change {
                DecodedChange::Upsert { body, .. } => Some(body.as_str()),
                _ => None,
            })
            .collect();
        // The first page of a snapshot may train the event's body dictionary; later pages use it.
        let dictionary = if page.since == 0 {
            dictionary::for_first_page(tx.sql(), event_id, &bodies)?
        } else {
            dictionary::of_event(tx.sql(), event_id)?
        };
        let mut changes = frames::compressing(&bodies, dictionary.as_deref(), |frames| {
            let mut changes = Vec::with_capacity(decoded.len());
            for (n, change) in decoded.iter().enumerate() {
                if n == 1 {
                    // Crash tests: a row written, the cursor not moved yet.
                    failpoint::hit("mid_page_transaction");
                }
                let applied = match change {
                    DecodedChange::Upsert { entity, body, seq } => {
                        tx.set_version(event_id, entity.kind(), entity.id(), Some(*seq))?;
                        tx.upsert_framed(event_id, entity, body, frames.next_frame()?)?
                    }
                    DecodedChange::Delete { kind, id, .. } => {
                        tx.set_version(event_id, *kind, id, None)?;
                        tx.delete(event_id, *kind, id)?
                    }
                    DecodedChange::Patch { .. } => {
                        return Err(Error::Protocol("an unresolved patch".to_string()));
                    }
                };
                confirm(tx, event_id, applied.kind, &applied.id)?;
                if !applied.is_noop() {
                    changes.push(applied);
                }
            }
            Ok(changes)
        })?;
        let now = chrono::Utc::now();
        if !page.more {
            changes.extend(sweep_unconfirmed(tx, event_id)?);
            if deferred {
                tx.build_derived(event_id)?;
            }
            set_snapshot_head(tx, event_id, None)?;
            state.last_synced_at = Some(now);
        } else if page.since == 0 {
            set_snapshot_head(tx, event_id, Some((page.head, deferred)))?;
        }
        state.server_url = Some(server_url.to_string());
        state.epoch = Some(page.epoch.clone());
        state.cursor = page.next;
        state.head_etag = Some(wire::page_etag(&page.epoch, page.next));
        tx.set_sync_state(event_id, &state)?;
        if let Some(hook) = hook {
            hook(tx, event_id, &changes)?;
        }
        Ok(AppliedPage {
            changes,
            cursor: page.next,
            ..AppliedPage::default()
        })
    })
}

/// Moves the cursor from `since` past a page the device cannot take, in `epoch`: nothing of
/// the page is stored. Refused when the device no longer stands at `since`.
fn step_past(
    store: &Store,
    event_id: &str,
    server_url: &str,
    epoch: &str,
    since: u64,
    next: u64,
) -> Result<()> {
    store.write_content(|tx| {
        let mut state = tx.sync_state(event_id)?;
        if state.cursor != since {
            return Err(Error::Protocol(format!(
                "stepping past a page from {since}, but the device stands at {}",
                state.cursor
            )));
        }
        state.server_url = Some(server_url.to_string());
        state.epoch = Some(epoch.to_string());
        state.cursor = next;
        state.head_etag = Some(wire::page_etag(epoch, next));
        tx.set_sync_state(event_id, &state)
    })
}

/// Starts a re-bootstrap: remembers every entity held now as unconfirmed and resets the cursor
/// so the next page asked for is the new snapshot's first. Content stays as it is.
pub fn begin_rebuild(store: &Store, event_id: &str) -> Result<()> {
    store.write_content(|tx| {
        // A first sync cut short leaves content without its derived data: build it now, so
        // what stays readable during the new snapshot is listed and searchable.
        if snapshot_deferred(tx, event_id)? {
            tx.build_derived(event_id)?;
        }
        for kind in EntityKind::ALL {
            let (table, key) = table_of(kind);
            tx.sql()
                .prepare_cached(&format!(
                    "INSERT OR IGNORE INTO sync_stale (event_id, kind, id)
                     SELECT ?1, ?2, {key} FROM {table} WHERE event_id = ?1"
                ))
                .and_then(|mut s| s.execute(params![event_id, kind.as_str()]))
                .context("remembering content to confirm")?;
        }
        set_snapshot_head(tx, event_id, None)?;
        let mut state = tx.sync_state(event_id)?;
        state.epoch = None;
        state.cursor = 0;
        state.head_etag = None;
        tx.set_sync_state(event_id, &state)
    })
}

/// Turns every patch into an upsert using the stored body it was made for. `None` when a
/// stored body is not that version (or is missing): the page must come again in full.
fn resolve_patches(
    tx: &ContentTx<'_>,
    event_id: &str,
    decoded: &[DecodedChange],
) -> Result<Option<Vec<DecodedChange>>> {
    let mut out = Vec::with_capacity(decoded.len());
    for change in decoded {
        let DecodedChange::Patch {
            seq,
            kind,
            id,
            base,
            patch,
            sha,
        } = change
        else {
            out.push(change.clone());
            continue;
        };
        let (table, key) = table_of(*kind);
        let stored: Option<StoredBody> = tx
            .sql()
            .prepare_cached(&format!(
                "SELECT body FROM {table} WHERE event_id = ?1 AND {key} = ?2"
            ))
            .and_then(|mut s| s.query_row(params![event_id, id], |r| r.get(0)).optional())
            .context("reading the version a patch applies to")?;
        let Some(stored) = stored.filter(|body| wire::short_hash(&body.0) == *base) else {
            return Ok(None);
        };
        let mut value: serde_json::Value = serde_json::from_str(&stored.0)
            .map_err(|e| Error::malformed(format!("stored {kind} '{id}'"), e))?;
        wire::merge_patch::apply(&mut value, patch);
        let Ok(entity) = Entity::from_json(*kind, &value.to_string()) else {
            return Ok(None);
        };
        let body = entity
            .to_json()
            .map_err(|e| Error::malformed(format!("{kind} '{id}'"), e))?;
        if wire::short_hash(&body) != *sha || entity.id() != id {
            return Ok(None);
        }
        out.push(DecodedChange::Upsert {
            seq: *seq,
            entity: Box::new(entity),
            body,
        });
    }
    Ok(Some(out))
}

/// The head of the snapshot in progress, if a pull from since=0 has not reached its tail.
pub fn snapshot_head(store: &Store, event_id: &str) -> Result<Option<u64>> {
    store.read(|tx| {
        tx.prepare_cached("SELECT head FROM sync_snapshot WHERE event_id = ?1")
            .and_then(|mut s| s.query_row([event_id], |r| r.get::<_, i64>(0)).optional())
            .context("reading the snapshot state")
            .map(|head| head.map(|h| h.max(0) as u64))
    })
}

/// Whether the snapshot in progress defers the derived data to its last page (a first sync).
fn snapshot_deferred(tx: &ContentTx<'_>, event_id: &str) -> Result<bool> {
    tx.sql()
        .prepare_cached("SELECT deferred FROM sync_snapshot WHERE event_id = ?1")
        .and_then(|mut s| s.query_row([event_id], |r| r.get::<_, bool>(0)).optional())
        .context("reading the snapshot state")
        .map(|deferred| deferred.unwrap_or(false))
}

/// Whether any of the event's content is stored (indexed or listed): a snapshot into an event
/// that holds nothing is a first sync.
fn holds_content(tx: &ContentTx<'_>, event_id: &str) -> Result<bool> {
    tx.sql()
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM search_doc WHERE event_id = ?1)
                 OR EXISTS (SELECT 1 FROM session WHERE event_id = ?1)
                 OR EXISTS (SELECT 1 FROM event WHERE event_id = ?1)",
        )
        .and_then(|mut s| s.query_row([event_id], |r| r.get(0)))
        .context("reading what the device holds")
}

/// Records the snapshot in progress (its head, whether it defers the derived data), or with
/// `None` that none is.
fn set_snapshot_head(tx: &ContentTx<'_>, event_id: &str, head: Option<(u64, bool)>) -> Result<()> {
    let sql = tx.sql();
    match head {
        Some((head, deferred)) => sql
            .prepare_cached(
                "INSERT OR REPLACE INTO sync_snapshot (event_id, head, deferred) VALUES (?1, ?2, ?3)",
            )
            .and_then(|mut s| s.execute(params![event_id, head as i64, deferred])),
        None => sql
            .prepare_cached("DELETE FROM sync_snapshot WHERE event_id = ?1")
            .and_then(|mut s| s.execute([event_id])),
    }
    .context("recording the snapshot state")?;
    Ok(())
}

fn confirm(tx: &ContentTx<'_>, event_id: &str, kind: EntityKind, id: &str) -> Result<()> {
    tx.sql()
        .prepare_cached("DELETE FROM sync_stale WHERE event_id = ?1 AND kind = ?2 AND id = ?3")
        .and_then(|mut s| s.execute(params![event_id, kind.as_str(), id]))
        .context("confirming an entity")?;
    Ok(())
}

/// Removes what a finished snapshot did not confirm.
fn sweep_unconfirmed(tx: &mut ContentTx<'_>, event_id: &str) -> Result<Vec<AppliedChange>> {
    let stale: Vec<(String, String)> = {
        let mut stmt = tx
            .sql()
            .prepare_cached("SELECT kind, id FROM sync_stale WHERE event_id = ?1")
            .context("reading unconfirmed content")?;
        let rows = stmt
            .query_map([event_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .context("reading unconfirmed content")?;
        rows.collect::<rusqlite::Result<_>>()
            .context("reading unconfirmed content")?
    };
    let mut removed = Vec::new();
    for (kind, id) in stale {
        if let Some(kind) = EntityKind::parse(&kind) {
            tx.set_version(event_id, kind, &id, None)?;
            let change = tx.delete(event_id, kind, &id)?;
            if !change.is_noop() {
                removed.push(change);
            }
        }
    }
    tx.sql()
        .prepare_cached("DELETE FROM sync_stale WHERE event_id = ?1")
        .and_then(|mut s| s.execute([event_id]))
        .context("finishing a re-bootstrap")?;
    Ok(removed)
}

/// Options of one pull.
#[derive(Clone, Default)]
pub struct PullOptions {
    pub cancel: CancelToken,
    pub progress: Option<Arc<ProgressFn>>,
    pub hook: Option<Arc<ApplyHook<'static>>>,
    /// Ask the server to hold the tail page this long for a change (long-poll, whole
    /// seconds; see `follow`). `None`: answer at once.
    pub wait: Option<std::time::Duration>,
}

/// A page the device could not take (over [`wire::MAX_PAGE_BYTES`]) and stepped past: the
/// changes after `since` up to and including `next` are missing on this device.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct SkippedPage {
    pub since: u64,
    pub next: u64,
}

#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct PullReport {
    pub epoch: Option<String>,
    pub cursor: u64,
    /// The server's head as last seen.
    pub head: u64,
    pub pages: u32,
    /// Body bytes received (after decompression).
    pub bytes: u64,
    /// The server answered 304: nothing new.
    pub not_modified: bool,
    /// The content was re-bootstrapped (410, new epoch, other server).
    pub rebootstrapped: bool,
    /// Pages stepped past because they were over [`wire::MAX_PAGE_BYTES`]: their changes are
    /// missing on this device; what follows them was synced.
    pub skipped_pages: Vec<SkippedPage>,
    /// The pull stopped at its budget ([`budget::MAX_SYNC_PAGES`], [`budget::MAX_SYNC_BYTES`])
    /// before the server's last page: what came is kept, the next pull goes on from there.
    pub budget_spent: bool,
    pub summary: ChangeSummary,
}

/// Pulls every page after the device's cursor. Cancellation is checked between pages; a page
/// already received is applied before returning. `hooks` follow each page (see [`PullHooks`]).
pub async fn pull(
    client: &Client,
    store: &Store,
    server_url: &str,
    event_id: &str,
    options: &PullOptions,
    hooks: &dyn PullHooks,
) -> Result<PullReport> {
    if !wire::is_valid_event_id(event_id) {
        return Err(Error::invalid(
            "sync",
            "event",
            format!("'{event_id}' is not an event id"),
        ));
    }
    let server_url = server_url.trim_end_matches('/');
    let mut state = store.read(|tx| read_sync_state(tx, event_id))?;
    let mut report = PullReport::default();
    if state.cursor > 0 && state.server_url.as_deref() != Some(server_url) {
        begin_rebuild(store, event_id)?;
        report.rebootstrapped = true;
        state = store.read(|tx| read_sync_state(tx, event_id))?;
    }
    let start_cursor = state.cursor;
    let credentials = super::access::read_headers(store, event_id, server_url)?;
    let mut progress = Progress {
        event_id: event_id.to_string(),
        phase: Phase::Checking,
        bytes: 0,
        entities: 0,
        seq_done: 0,
        seq_total: 0,
        assets_done: 0,
        assets_total: 0,
    };
    let report_progress = |p: &Progress| {
        if let Some(callback) = &options.progress {
            callback(p);
        }
    };
    report_progress(&progress);
    let hook = |tx: &mut ContentTx<'_>, event: &str, changes: &[AppliedChange]| {
        hooks.applying(tx, event, changes)?;
        match &options.hook {
            Some(extra) => extra(tx, event, changes),
            None => Ok(()),
        }
    };
    let mut prefetched: Option<Prefetch> = None;
    loop {
        options.cancel.check()?;
        let pages_taken = report.pages + report.skipped_pages.len() as u32;
        if budget::is_spent(pages_taken, report.bytes) {
            report.budget_spent = true;
            break;
        }
        let since = if state.epoch.is_some() {
            state.cursor
        } else {
            0
        };
        let mut url = format!(
            "{server_url}{}",
            wire::changes_path(event_id, state.epoch.as_deref(), since)
        );
        let snapshot = if since > 0 {
            snapshot_head(store, event_id)?
        } else {
            None
        };
        if let Some(head) = snapshot {
            url.push_str(&format!("?snapshot={head}"));
        } else if since > 0
            && let Some(wait) = options.wait.filter(|w| w.as_secs() > 0)
        {
            url.push_str(&long_poll_query(wait));
        }
        let etag = state.epoch.as_deref().map(|e| wire::page_etag(e, since));
        let fetched = match prefetched.take() {
            Some(next) if next.url == url && next.etag == etag => {
                let (fetched, received) = next.finish(client, &credentials, &options.cancel).await;
                report.bytes += received;
                fetched
            }
            // A page asked for in advance that is not the one wanted is dropped (and stopped).
            _ => {
                let received = AtomicU64::new(0);
                let fetched = fetch(
                    client,
                    &url,
                    etag.as_deref(),
                    &credentials,
                    &options.cancel,
                    &received,
                )
                .await;
                report.bytes += received.load(Ordering::Relaxed);
                fetched
            }
        };
        let bytes = match fetched {
            Ok(Fetched::NotModified) => {
                // Nothing after the cursor: apply it as an empty tail page, which records the
                // time and, should a snapshot have been waiting for its tail, completes it.
                let Some(epoch) = state.epoch.clone() else {
                    return Err(Error::Protocol(
                        "a first page was answered with 304".to_string(),
                    ));
                };
                let tail = Page {
                    epoch,
                    since,
                    next: since,
                    head: since,
                    more: false,
                    changes: Vec::new(),
                };
                let applied = apply_page(store, event_id, server_url, &tail, Some(&hook))?;
                hooks.committed(event_id, &applied)?;
                for change in &applied.changes {
                    report.summary.record(change);
                }
                report.not_modified = report.pages == 0 && applied.changes.is_empty();
                report.head = state.cursor;
                break;
            }
            Ok(Fetched::Body { bytes, .. }) => bytes,
            Ok(Fetched::TooLarge { next, epoch }) => {
                // One page too large to take must not stall the event for good: step past it
                // to where its headers say it ends (or by one seq), record that, go on.
                let Some(epoch) = state.epoch.clone().or(epoch) else {
                    return Err(Error::Protocol(format!(
                        "a first page from {server_url} is larger than {} bytes and names no epoch",
                        wire::MAX_PAGE_BYTES
                    )));
                };
                let next = next.filter(|n| *n > since).unwrap_or(since + 1);
                step_past(store, event_id, server_url, &epoch, since, next)?;
                report.skipped_pages.push(SkippedPage { since, next });
                state.epoch = Some(epoch);
                state.cursor = next;
                continue;
            }
            Err(Error::Server {
                status: 409 | 410,
                ref code,
                ..
            }) if !report.rebootstrapped
                && (code == wire::code::EPOCH_MISMATCH || code == wire::code::CURSOR_EXPIRED) =>
            {
                begin_rebuild(store, event_id)?;
                report.rebootstrapped = true;
                state = store.read(|tx| read_sync_state(tx, event_id))?;
                continue;
            }
            Err(error) => return Err(error),
        };
        let mut page: Page = serde_json::from_slice(&bytes).map_err(|e| {
            Error::Protocol(format!(
                "a changes page from {server_url} is not valid: {e}"
            ))
        })?;
        progress.phase = Phase::Content;
        // A snapshot's next page is asked for while this one is applied: the server and the
        // network work beside the device's writes instead of between them. It is used only if
        // the next request turns out to be exactly this one (the page applied normally), and
        // not asked for when the budget ends the pull with this page.
        let pages_after = report.pages + report.skipped_pages.len() as u32 + 1;
        if page.more && !budget::is_spent(pages_after, report.bytes) {
            let head = if page.since == 0 {
                Some(page.head)
            } else {
                snapshot
            };
            if let Some(head) = head {
                let next_url = format!(
                    "{server_url}{}?snapshot={head}",
                    wire::changes_path(event_id, Some(&page.epoch), page.next)
                );
                let next_etag = Some(wire::page_etag(&page.epoch, page.next));
                prefetched = Some(Prefetch::start(
                    client,
                    next_url,
                    next_etag,
                    &credentials,
                    &options.cancel,
                ));
            }
        }
        failpoint::hit("before_page_apply");
        let mut applied = apply_page(store, event_id, server_url, &page, Some(&hook))?;
        if applied.needs_full {
            // Our copy of some entity is not the version its patch was made for (a page
            // raced with a publication, or an older app wrote it): ask for whole bodies.
            let separator = if url.contains('?') { '&' } else { '?' };
            let full_url = format!("{url}{separator}full=1");
            let received = AtomicU64::new(0);
            let fetched = fetch(
                client,
                &full_url,
                None,
                &credentials,
                &options.cancel,
                &received,
            )
            .await;
            report.bytes += received.load(Ordering::Relaxed);
            let fetched = fetched?;
            let bytes = match fetched {
                Fetched::Body { bytes } => bytes,
                Fetched::NotModified => {
                    return Err(Error::Protocol(
                        "a full page was answered with 304".to_string(),
                    ));
                }
                Fetched::TooLarge { .. } => {
                    return Err(Error::Protocol(format!(
                        "a full page is larger than {} bytes",
                        wire::MAX_PAGE_BYTES
                    )));
                }
            };
            page = serde_json::from_slice(&bytes).map_err(|e| {
                Error::Protocol(format!(
                    "a changes page from {server_url} is not valid: {e}"
                ))
            })?;
            applied = apply_page(store, event_id, server_url, &page, Some(&hook))?;
            if applied.needs_full {
                return Err(Error::Protocol(
                    "the server sent a patch where whole bodies were asked for".to_string(),
                ));
            }
        }
        failpoint::hit("after_page_apply");
        hooks.committed(event_id, &applied)?;
        report.pages += 1;
        for change in &applied.changes {
            report.summary.record(change);
        }
        progress.bytes = report.bytes;
        progress.entities += page.changes.len() as u64;
        let base = if report.rebootstrapped {
            0
        } else {
            start_cursor
        };
        progress.seq_total = page.head.saturating_sub(base);
        progress.seq_done = page.next.saturating_sub(base);
        report_progress(&progress);
        report.head = page.head;
        state.epoch = Some(page.epoch.clone());
        state.cursor = applied.cursor;
        if !page.more {
            break;
        }
    }
    // A re-bootstrap the budget cut short is not finished: like an interrupted one, it is
    // not reported as rebuilt.
    if report.rebootstrapped && !report.budget_spent {
        hooks.rebuilt(event_id)?;
    }
    report.epoch = state.epoch.clone();
    report.cursor = state.cursor;
    Ok(report)
}

/// One page request with retries; `received` counts the body bytes as they arrive.
async fn fetch(
    client: &Client,
    url: &str,
    etag: Option<&str>,
    credentials: &HeaderMap,
    cancel: &CancelToken,
    received: &AtomicU64,
) -> Result<Fetched> {
    with_retry(&client.config.retry, cancel, move || async move {
        let mut count = move |n: u64| {
            received.fetch_add(n, Ordering::Relaxed);
        };
        http::get(
            client,
            url,
            etag,
            credentials,
            wire::MAX_PAGE_BYTES,
            cancel,
            &mut count,
        )
        .await
    })
    .await
}

/// A page request started before the page is asked for (a snapshot's next page, while the
/// page before it is applied). Dropping it stops the request.
struct Prefetch {
    url: String,
    etag: Option<String>,
    received: Arc<AtomicU64>,
    task: tokio::task::JoinHandle<Result<Fetched>>,
}

impl Prefetch {
    fn start(
        client: &Client,
        url: String,
        etag: Option<String>,
        credentials: &HeaderMap,
        cancel: &CancelToken,
    ) -> Prefetch {
        let received = Arc::new(AtomicU64::new(0));
        let task = {
            let (client, url, etag, credentials, cancel, received) = (
                client.clone(),
                url.clone(),
                etag.clone(),
                credentials.clone(),
                cancel.clone(),
                received.clone(),
            );
            tokio::spawn(async move {
                fetch(
                    &client,
                    &url,
                    etag.as_deref(),
                    &credentials,
                    &cancel,
                    &received,
                )
                .await
            })
        };
        Prefetch {
            url,
            etag,
            received,
            task,
        }
    }

    /// The page as fetched, and the body bytes received for it. Should the task have ended
    /// without an answer (it panicked), the page is asked for again here.
    async fn finish(
        mut self,
        client: &Client,
        credentials: &HeaderMap,
        cancel: &CancelToken,
    ) -> (Result<Fetched>, u64) {
        match (&mut self.task).await {
            Ok(fetched) => (fetched, self.received.load(Ordering::Relaxed)),
            Err(_) => {
                let received = AtomicU64::new(0);
                let fetched = fetch(
                    client,
                    &self.url,
                    self.etag.as_deref(),
                    credentials,
                    cancel,
                    &received,
                )
                .await;
                let bytes =
                    self.received.load(Ordering::Relaxed) + received.load(Ordering::Relaxed);
                (fetched, bytes)
            }
        }
    }
}

impl Drop for Prefetch {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The device's standing with an event's server.
pub fn sync_state(store: &Store, event_id: &str) -> Result<SyncState> {
    store.read(|tx| read_sync_state(tx, event_id))
}

/// The URL's cursor bucket lasts as long as a hold: followers share one URL per round, so a
/// caching proxy collapses them, and a follower's next round (after a full hold) is a new URL.
const BUCKET_SECS: u64 = 20;

/// The query of a long-poll held up to `wait`, in the current cursor bucket.
pub fn long_poll_query(wait: std::time::Duration) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    format!(
        "?wait={}&cursor={}",
        wait.as_secs().max(1),
        now / BUCKET_SECS
    )
}
