//! "Is this poll unchanged?", decided in one place over the event's head and the request, for
//! the two polls a device or a monitor sends: `head`, and the tail page
//! `changes/{epoch}/{since}` at the head.
//!
//! At 9:00 on the opening day nearly every request is such a poll with the ETag it holds; when
//! the event's head is in memory (`cache::heads`), [`answer_from_memory`] answers it 304 right
//! after the access gate, before any handler runs: no body limit, no compression, no page cache, no blocking thread.
//! Anything it cannot answer for certain goes on to the handlers, which ask the same question
//! ([`unchanged`]) with a head they may have to read first.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::Response;

use marktplatz_core::wire::{Head, head_etag, page_etag};

use super::access::ReadAccess;
use super::caching::{SHORT, if_none_match, not_modified};
use super::paths::event_path;
use super::state::AppState;

/// What a poll asks about.
#[derive(Clone, Copy, Debug)]
pub enum Poll<'a> {
    /// `GET /v1/events/{event}/head`.
    Head,
    /// `GET /v1/events/{event}/changes/{epoch}/{since}`: anything after `since`?
    Tail { epoch: &'a str, since: u64 },
}

/// The 304 for `poll` when `If-None-Match` names the ETag the answer would have now; `None`
/// when the answer would be anything else (a tail that is not at the head is a page of changes).
pub fn unchanged(head: &Head, poll: Poll<'_>, headers: &HeaderMap) -> Option<Response> {
    let etag = match poll {
        Poll::Head => head_etag(head),
        Poll::Tail { epoch, since } => {
            if since == 0 || since != head.seq || epoch != head.epoch {
                return None;
            }
            page_etag(epoch, since)
        }
    };
    if_none_match(headers, &etag).then(|| not_modified(&etag, SHORT))
}

/// The poll a plain conditional `GET` is, with its event: `None` for anything else (other
/// methods, a query string, no `If-None-Match`, other paths). The event is the one the access
/// gate admitted (`ReadAccess`); nothing the gate did not see is answered from here.
fn poll_of(request: &Request) -> Option<(&str, Poll<'_>)> {
    if request.method() != Method::GET
        || request.uri().query().is_some()
        || !request.headers().contains_key(header::IF_NONE_MATCH)
    {
        return None;
    }
    let admitted = request.extensions().get::<ReadAccess>()?;
    let (event, rest) = event_path(request.uri().path())?;
    if event != admitted.event {
        return None;
    }
    if rest == "head" {
        return Some((event, Poll::Head));
    }
    let (epoch, since) = rest.strip_prefix("changes/")?.split_once('/')?;
    Some((
        event,
        Poll::Tail {
            epoch,
            since: since.parse().ok()?,
        },
    ))
}

/// Middleware: the no-change poll answered from the head in memory.
pub async fn answer_from_memory(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let answer = poll_of(&request).and_then(|(event, poll)| {
        let head = state.heads.cached(event)?;
        unchanged(&head, poll, request.headers())
    });
    match answer {
        Some(response) => response,
        None => next.run(request).await,
    }
}
