//! The no-change poll answered before anything else runs. At 9:00 on the opening day nearly every
//! request is a phone asking "anything new?" with the ETag it holds; when the event's head is in
//! memory (`heads`), the answer is a 304 that needs no routing, no body limit, no deadline, no
//! compression and no page cache. Everything else, and any poll this cannot answer for certain,
//! goes on to the router, which gives the same answer the slow way.

use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;

use marktplatz_model::wire::{head_etag, page_etag};

use crate::db::Db;
use crate::http::{SHORT, event_path, if_none_match, not_modified};

pub async fn answer_unchanged(State(db): State<Db>, request: Request, next: Next) -> Response {
    match unchanged(&db, &request) {
        Some(response) => response,
        None => next.run(request).await,
    }
}

/// A 304 for `GET /v1/events/{event}/head` or for the tail page
/// `GET /v1/events/{event}/changes/{epoch}/{head}` when `If-None-Match` names the current ETag.
fn unchanged(db: &Db, request: &Request) -> Option<Response> {
    if request.method() != Method::GET || request.uri().query().is_some() {
        return None;
    }
    let headers = request.headers();
    if !headers.contains_key(axum::http::header::IF_NONE_MATCH) {
        return None;
    }
    let (event, rest) = event_path(request.uri().path())?;
    let head = db.cached_head(event)?;
    let etag = if rest == "head" {
        head_etag(&head)
    } else {
        let (epoch, since) = rest.strip_prefix("changes/")?.split_once('/')?;
        let since: u64 = since.parse().ok()?;
        if since == 0 || since != head.seq || epoch != head.epoch {
            return None;
        }
        page_etag(epoch, since)
    };
    if_none_match(headers, &etag).then(|| not_modified(&etag, SHORT))
}
