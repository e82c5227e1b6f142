//! Serves change pages from `cache::pages` when it can. Only `200` answers are kept;
//! conditional requests, ranges and errors pass through. The middleware sits outside the
//! compression layer, so it stores exactly the bytes that layer produced, and the event's head
//! from `cache::heads` (exact for this process's writes) is part of the key.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use marktplatz_model::wire::{code, is_valid_event_id};

use super::error::error_response;
use super::long_poll::is_long_poll;
use super::paths::changes_event;
use super::state::AppState;
use crate::cache::pages::{MAX_BODY, PageCache, PageKey, StoredPage};

pub async fn cached_pages(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let cacheable = request.method() == Method::GET
        && !request.headers().contains_key(header::IF_NONE_MATCH)
        && !request.headers().contains_key(header::RANGE)
        && !is_long_poll(request.uri());
    let event = changes_event(request.uri().path())
        .filter(|e| cacheable && is_valid_event_id(e))
        .map(str::to_string);
    let Some(event) = event else {
        return next.run(request).await;
    };
    // Unknown event or a database error: the handler gives the proper answer.
    let Ok(head) = state.heads.current(&event).await else {
        return next.run(request).await;
    };
    let key = PageKey {
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
        .get_or_try_init(|| async { store_page(&state.pages, next.run(request).await).await })
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

/// Keeps a `200` answer as a [`StoredPage`] (counted towards the cache's limit); any other
/// answer, or one too large to keep, comes back as the answer to give this caller.
pub async fn store_page(pages: &PageCache, response: Response) -> Result<StoredPage, Response> {
    if response.status() != StatusCode::OK {
        return Err(response);
    }
    let (parts, body) = response.into_parts();
    match axum::body::to_bytes(body, usize::MAX).await {
        Ok(body) if body.len() <= MAX_BODY => {
            pages.account(body.len());
            Ok(StoredPage {
                headers: parts.headers,
                body,
            })
        }
        Ok(body) => Err(Response::from_parts(parts, Body::from(body))),
        Err(_) => Err(error_response(
            StatusCode::INTERNAL_SERVER_ERROR,
            code::INTERNAL,
            "the page could not be produced; try again",
            Some(1),
        )),
    }
}
