//! `GET /v1/events/{event}/changes[/{epoch}/{since}]`: one page of the change log.
//!
//! The first page (no epoch, cursor 0) starts a snapshot taken at the current head H (no tombstones: a device starting
//! from nothing has nothing to delete); its next pages are asked for with `?snapshot=H`, so
//! they skip tombstones up to H too and are not refused (410) for being below the retention
//! horizon unless a tombstone after H was purged.
//!
//! A full page asked for with its epoch is immutable in the CDN sense: its content may later be
//! superseded by newer versions further on in the log, but it is never wrong, because a row
//! with a given seq never changes and every later change of an entity gets a larger seq.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::value::RawValue;

use marktplatz_model::wire::{
    Change, Head, PAGE_EPOCH_HEADER, PAGE_NEXT_HEADER, Page, code, merge_patch, page_etag,
    short_hash,
};

use crate::cache::pages::PageKey;
use crate::http::caching::{IMMUTABLE, SHORT, if_none_match, json, not_modified};
use crate::http::error::{ApiError, ApiResult};
use crate::http::extract::{Query, Readable};
use crate::http::long_poll::{
    ClientKey, HeldPoll, Hold, HoldMode, next_cursor, requested_wait, until_changed, with_cursor,
};
use crate::http::page_cache::store_page;
use crate::http::poll::{Poll, unchanged};
use crate::http::state::AppState;
use crate::store::change_log;

/// `?snapshot=H` (the next pages of a snapshot taken at head H), `?full=1` (bodies, no
/// patches). Numbers are parsed here, to say which one was wrong.
#[derive(Deserialize, Default)]
pub struct PageQuery {
    snapshot: Option<String>,
    full: Option<String>,
    /// `?wait=N`: hold a tail page at the head up to N seconds for a change (`long_poll`).
    wait: Option<String>,
    /// `?cursor=B`: the bucket the last long-poll's answer named; only makes the URL new.
    cursor: Option<String>,
}

/// `GET /v1/events/{event}/changes`: the first page of a snapshot of the current epoch.
pub async fn get_first_page(
    State(state): State<AppState>,
    Readable(event): Readable,
    Query(query): Query<PageQuery>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    changes(state, event, None, 0, query, headers).await
}

/// `GET /v1/events/{event}/changes/{epoch}/{since}`: the page after cursor `since`.
#[allow(clippy::too_many_arguments)] // axum extractors, one per part of the request
pub async fn get_page(
    State(state): State<AppState>,
    Readable(event): Readable,
    Path((_, epoch, since)): Path<(String, String, String)>,
    Query(query): Query<PageQuery>,
    ClientKey(client): ClientKey,
    mode: HoldMode,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let since = since.parse().map_err(|_| {
        ApiError::bad_request(format!("the cursor must be a seq number, not '{since}'"))
    })?;
    let wait = requested_wait(query.wait.as_deref(), state.config.long_poll_max_wait)?;
    // Only a delta's tail waits: a snapshot or a full page has its answer now.
    let Some(wait) = wait.filter(|_| since > 0 && query.snapshot.is_none() && query.full.is_none())
    else {
        return Box::pin(changes(state, event, Some(epoch), since, query, headers)).await;
    };
    if let HoldMode::Ended = mode {
        let cursor = next_cursor(query.cursor.as_deref());
        let response = Box::pin(woken_tail(state, event, epoch, since, headers)).await?;
        return Ok(with_cursor(response, cursor));
    }
    let slot = state.waiters.admit(
        client,
        state.config.max_waiters,
        state.config.max_waiters_per_ip,
    )?;
    if let HoldMode::Outside = mode {
        // Admitted: `held_polls` waits with only this, and asks again when the hold ends.
        let mut response = Response::new(Body::empty());
        response.extensions_mut().insert(HeldPoll::new(Hold {
            heads: state.heads.clone(),
            event,
            epoch,
            since,
            wait,
            slot,
        }));
        return Ok(response);
    }
    until_changed(&state.heads, &event, &epoch, since, wait).await?;
    drop(slot);
    let cursor = next_cursor(query.cursor.as_deref());
    let response = Box::pin(woken_tail(state, event, epoch, since, headers)).await?;
    Ok(with_cursor(response, cursor))
}

/// The answer to a long-poll whose hold ended. The page after `since` at the current head is
/// read and encoded once for all the waiters one write woke (they ask for the same page; kept
/// in `cache::pages`, uncompressed), not once per waiter on a blocking thread each.
async fn woken_tail(
    state: AppState,
    event: String,
    epoch: String,
    since: u64,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let head = state.heads.current(&event).await?;
    if head.epoch == epoch && head.seq == since {
        // Nothing changed in the hold: the unchanged answer, from the head in memory.
        return changes(
            state,
            event,
            Some(epoch),
            since,
            PageQuery::default(),
            headers,
        )
        .await;
    }
    let key = PageKey {
        path_and_query: format!("long-poll {epoch}/{since}"),
        encoding: "identity",
        event: event.clone(),
        epoch: head.epoch.clone(),
        head: head.seq,
    };
    let cell = state.pages.cell(key);
    let built = cell
        .get_or_try_init(|| async {
            let pages = state.pages.clone();
            let response = changes(
                state,
                event,
                Some(epoch),
                since,
                PageQuery::default(),
                HeaderMap::new(),
            )
            .await
            .map_err(IntoResponse::into_response)?;
            store_page(&pages, response).await
        })
        .await;
    let stored = match built {
        Ok(stored) => stored,
        // An error, or a page too large to keep: this waiter's own answer.
        Err(response) => return Ok(response),
    };
    let etag = stored
        .headers
        .get(header::ETAG)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if if_none_match(&headers, etag) {
        let mut response = Response::new(Body::empty());
        *response.status_mut() = StatusCode::NOT_MODIFIED;
        for name in [header::ETAG, header::CACHE_CONTROL] {
            if let Some(value) = stored.headers.get(&name) {
                response.headers_mut().insert(name, value.clone());
            }
        }
        return Ok(response);
    }
    let mut response = Response::new(Body::from(stored.body()));
    *response.headers_mut() = stored.headers.clone();
    Ok(response)
}

async fn changes(
    state: AppState,
    event: String,
    epoch: Option<String>,
    since: u64,
    query: PageQuery,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let snapshot: Option<u64> = query
        .snapshot
        .map(|value| {
            value.parse().map_err(|_| {
                ApiError::bad_request(format!("snapshot must be a seq number, not '{value}'"))
            })
        })
        .transpose()?;
    let full = query.full.as_deref() == Some("1");
    // The no-change poll of a device at the head, answered from memory when it is there.
    if snapshot.is_none()
        && !full
        && let Some(epoch) = &epoch
        && let Some(head) = state.heads.cached(&event)
        && let Some(not_modified) = unchanged(&head, Poll::Tail { epoch, since }, &headers)
    {
        return Ok(not_modified);
    }
    // Patches only for deltas: a snapshot's device holds nothing to patch.
    let patches_allowed = since > 0 && snapshot.is_none() && !full;
    let limit = state.config.page_limit;
    let max_bytes = state.config.page_max_bytes;
    let asked_epoch = epoch.clone();
    let generation = state.db.generation();
    let (head, page) = state
        .db
        .read(move |tx| {
            let head = change_log::require_head(tx, &event)?;
            let page = match refusal(&head, asked_epoch.as_deref(), since, snapshot) {
                Some(refusal) => Err(refusal),
                None => {
                    // A snapshot taken at head H never held an entity deleted at or before H.
                    let skip_tombstones_upto = match snapshot {
                        _ if since == 0 => head.seq,
                        Some(snapshot_head) => snapshot_head,
                        None => 0,
                    };
                    Ok(change_log::changes_since(
                        tx,
                        &event,
                        since,
                        skip_tombstones_upto,
                        limit,
                        max_bytes,
                    )?)
                }
            };
            Ok((head, page))
        })
        .await?;
    let (rows, more) = page?;
    state.heads.remember(head.clone(), generation);
    let next = match rows.last() {
        Some(last) if more => last.seq,
        _ => head.seq,
    };
    let etag = page_etag(&head.epoch, next);
    // Only a full page named by its epoch is fixed forever; a tail grows, and a page asked
    // for without an epoch belongs to whatever epoch is current.
    let cache = if more && epoch.is_some() {
        IMMUTABLE
    } else {
        SHORT
    };
    if if_none_match(&headers, &etag) {
        return Ok(not_modified(&etag, cache));
    }
    let mut changes = Vec::with_capacity(rows.len());
    for row in rows {
        changes.push(to_change(row, since, patches_allowed)?);
    }
    let epoch_header = HeaderValue::from_str(&head.epoch).ok();
    let page = Page {
        epoch: head.epoch,
        since,
        next,
        head: head.seq,
        more,
        changes,
    };
    let body = serde_json::to_vec(&page).map_err(|e| ApiError::internal("encoding a page", e))?;
    let mut response = json(body, &etag, cache);
    // Readable before the body: a device that cannot take this page steps past it.
    response
        .headers_mut()
        .insert(PAGE_NEXT_HEADER, HeaderValue::from(next));
    if let Some(epoch) = epoch_header {
        response.headers_mut().insert(PAGE_EPOCH_HEADER, epoch);
    }
    Ok(response)
}

/// Why a page cannot be answered from the log as it stands: an ended epoch, a cursor ahead of
/// the head, or tombstones the device needs that were purged.
fn refusal(
    head: &Head,
    epoch: Option<&str>,
    since: u64,
    snapshot: Option<u64>,
) -> Option<ApiError> {
    if let Some(epoch) = epoch
        && epoch != head.epoch
    {
        return Some(ApiError::new(
            StatusCode::CONFLICT,
            code::EPOCH_MISMATCH,
            format!(
                "epoch '{epoch}' has ended (the event's history was reset); start again from the first page"
            ),
        ));
    }
    if since > head.seq {
        return Some(ApiError::new(
            StatusCode::CONFLICT,
            code::EPOCH_MISMATCH,
            format!(
                "cursor {since} is ahead of the log (head {}); start again from the first page",
                head.seq
            ),
        ));
    }
    // A snapshot taken at head H only needs tombstones after H; a delta needs all tombstones
    // after its cursor. Either way, purged ones mean starting over.
    let needs_tombstones_from = match snapshot {
        Some(snapshot_head) if since > 0 => snapshot_head.max(since),
        _ => since,
    };
    if since > 0 && needs_tombstones_from < head.min_retained_seq {
        return Some(ApiError::new(
            StatusCode::GONE,
            code::CURSOR_EXPIRED,
            format!(
                "changes before seq {} are no longer kept; start again from the first page",
                head.min_retained_seq
            ),
        ));
    }
    None
}

/// The wire form of a log row: a patch when the device at `since` most likely holds the
/// previous version (it changed at or before `since`) and the patch is smaller; else the body.
fn to_change(row: change_log::LogRow, since: u64, patches_allowed: bool) -> ApiResult<Change> {
    let raw = |text: String| {
        RawValue::from_string(text).map_err(|e| ApiError::internal("reading a stored entity", e))
    };
    let mut change = Change {
        seq: row.seq,
        kind: row.kind,
        id: row.id,
        body: None,
        base: None,
        patch: None,
        sha: None,
    };
    let Some(body) = row.body else {
        return Ok(change);
    };
    if patches_allowed
        && let Some((prev_seq, prev_body)) = &row.prev
        && *prev_seq <= since
        && let (Ok(old), Ok(new)) = (
            serde_json::from_str::<serde_json::Value>(prev_body),
            serde_json::from_str::<serde_json::Value>(&body),
        )
    {
        let patch = merge_patch::diff(&old, &new);
        let patch_text =
            serde_json::to_string(&patch).map_err(|e| ApiError::internal("encoding a patch", e))?;
        // base and sha cost about 40 bytes; a patch must beat the body by more than that.
        if patch_text.len() + 40 < body.len() {
            change.base = Some(short_hash(prev_body));
            change.sha = Some(short_hash(&body));
            change.patch = Some(raw(patch_text)?);
            return Ok(change);
        }
    }
    change.body = Some(raw(body)?);
    Ok(change)
}
