//! Finished change pages kept in memory, compressed, so that the crowd at 9:00 on the opening
//! day (every phone fetching the same first pages, or the same delta after a publication) costs
//! one database read and one compression per page, not one per phone. Measured in
//! `docs/adr/0010-performance.md`.
//!
//! A page answer depends on the URL, the negotiated encoding and the event's head (pages carry
//! it), so the head is part of the key: a publication makes every older entry unreachable, and a
//! head from [`crate::db::Db::current_head`] is exact for this process's writes (see `heads`). Requests for
//! the same missing entry wait for one computation (single flight) instead of each reading and
//! compressing the page. Only `200` answers are kept; conditional requests and errors pass
//! through. The middleware sits outside the compression layer, so it stores exactly the bytes
//! that layer produced.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use tokio::sync::OnceCell;

use crate::routes::AppState;

/// Bytes of page bodies kept at most; past that the cache starts over (a fair's pages at one
/// head take a few megabytes).
const MAX_BYTES: usize = 64 * 1024 * 1024;
/// Entries kept at most (each encoding of each page is one).
const MAX_ENTRIES: usize = 4096;
/// Larger answers are not kept.
const MAX_BODY: usize = 8 * 1024 * 1024;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Key {
    event: String,
    epoch: String,
    head: u64,
    path_and_query: String,
    accept_encoding: String,
}

struct Stored {
    headers: HeaderMap,
    body: Bytes,
}

#[derive(Default)]
pub struct PageCache {
    entries: Mutex<Entries>,
}

#[derive(Default)]
struct Entries {
    map: HashMap<Key, Arc<OnceCell<Stored>>>,
    bytes: usize,
}

impl PageCache {
    fn cell(&self, key: Key) -> Arc<OnceCell<Stored>> {
        let mut entries = self.lock();
        if let Some(cell) = entries.map.get(&key) {
            return cell.clone();
        }
        if entries.map.len() >= MAX_ENTRIES || entries.bytes >= MAX_BYTES {
            entries.map.clear();
            entries.bytes = 0;
        }
        let cell = Arc::new(OnceCell::new());
        entries.map.insert(key, cell.clone());
        cell
    }

    fn account(&self, bytes: usize) {
        self.lock().bytes += bytes;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Entries held (for tests).
    pub fn len(&self) -> usize {
        self.lock().map.values().filter(|c| c.initialized()).count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The event of a changes URL (`/v1/events/{event}/changes[/{epoch}/{since}]`).
fn changes_event(path: &str) -> Option<&str> {
    let (event, rest) = crate::http::event_path(path)?;
    let tail = rest.strip_prefix("changes")?;
    (tail.is_empty() || tail.starts_with('/')).then_some(event)
}

/// Serves change pages from memory when it can (see the module documentation).
pub async fn cached_pages(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let cacheable = request.method() == Method::GET
        && !request.headers().contains_key(header::IF_NONE_MATCH)
        && !request.headers().contains_key(header::RANGE);
    let event = changes_event(request.uri().path())
        .filter(|e| cacheable && marktplatz_model::wire::is_valid_event_id(e))
        .map(str::to_string);
    let Some(event) = event else {
        return next.run(request).await;
    };
    // Unknown event or a database error: the handler gives the proper answer.
    let Ok(head) = state.db.current_head(&event).await else {
        return next.run(request).await;
    };
    let key = Key {
        path_and_query: request
            .uri()
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_default(),
        accept_encoding: request
            .headers()
            .get(header::ACCEPT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string(),
        event,
        epoch: head.epoch.clone(),
        head: head.seq,
    };
    let cell = state.pages.cell(key);
    let computed = cell
        .get_or_try_init(|| async {
            let response = next.run(request).await;
            if response.status() != StatusCode::OK {
                return Err(response);
            }
            let (parts, body) = response.into_parts();
            match axum::body::to_bytes(body, usize::MAX).await {
                Ok(body) if body.len() <= MAX_BODY => {
                    state.pages.account(body.len());
                    Ok(Stored {
                        headers: parts.headers,
                        body,
                    })
                }
                // Too large to keep: this caller still gets it.
                Ok(body) => Err(Response::from_parts(parts, Body::from(body))),
                Err(_) => Err(crate::error::error_response(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    marktplatz_model::wire::code::INTERNAL,
                    "the page could not be produced; try again",
                    Some(1),
                )),
            }
        })
        .await;
    match computed {
        Ok(stored) => {
            let mut response = Response::new(Body::from(stored.body.clone()));
            *response.headers_mut() = stored.headers.clone();
            response
        }
        Err(response) => response,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_changes_urls_are_recognised() {
        assert_eq!(changes_event("/v1/events/e1/changes"), Some("e1"));
        assert_eq!(changes_event("/v1/events/e1/changes/Ab/12"), Some("e1"));
        assert_eq!(changes_event("/v1/events/e1/changesx"), None);
        assert_eq!(changes_event("/v1/events/e1/head"), None);
        assert_eq!(changes_event("/v1/events/e1/bundle"), None);
        assert_eq!(changes_event("/v1/assets/abc"), None);
    }
}
