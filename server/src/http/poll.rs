//! "Is this poll unchanged?", decided in one place over the event's head and the request, for
//! the two polls a device or a monitor sends: `head`, and the tail page
//! `changes/{epoch}/{since}` at the head.
//!
//! At 9:00 on the opening day nearly every request is such a poll with the ETag it holds; when
//! the event's head is in memory (`cache::heads`), [`answer_from_memory`] answers it 304 in the
//! access gate's middleware (right after admitting the request), before any handler runs: no body limit, no compression, no page cache, no blocking thread.
//! Anything it cannot answer for certain goes on to the handlers, which ask the same question
//! ([`unchanged`]) with a head they may have to read first.

use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use axum::response::Response;

use marktplatz_model::wire::{Head, head_etag, page_etag};

use super::caching::{SHORT, if_none_match, not_modified};
use super::paths::event_path;
use crate::cache::Heads;

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

/// The poll a plain conditional `GET` of `event` is: `None` for anything else (other methods,
/// a query string, no `If-None-Match`, other paths).
fn poll_of<'a>(event: &str, parts: &'a Parts) -> Option<Poll<'a>> {
    if parts.method != Method::GET
        || parts.uri.query().is_some()
        || !parts.headers.contains_key(header::IF_NONE_MATCH)
    {
        return None;
    }
    let (in_path, rest) = event_path(parts.uri.path())?;
    if in_path != event {
        return None;
    }
    if rest == "head" {
        return Some(Poll::Head);
    }
    let (epoch, since) = rest.strip_prefix("changes/")?.split_once('/')?;
    Some(Poll::Tail {
        epoch,
        since: since.parse().ok()?,
    })
}

/// The 304 for a no-change poll of `event` (which the access gate admitted, and calls this)
/// when its head is in memory; `None`: the handlers answer.
pub fn answer_from_memory(heads: &Heads, event: &str, parts: &Parts) -> Option<Response> {
    let poll = poll_of(event, parts)?;
    let head = heads.cached(event)?;
    unchanged(&head, poll, &parts.headers)
}
