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
use axum::http::{HeaderMap, Method, Uri, header};
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
fn poll_of<'a>(
    event: &str,
    method: &Method,
    uri: &'a Uri,
    headers: &HeaderMap,
) -> Option<Poll<'a>> {
    let (in_path, rest) = plain_poll(method, uri, headers)?;
    if in_path != event {
        return None;
    }
    poll_at(rest)
}

/// The event (as spelled in the path) and the rest of the path of a plain conditional `GET` of
/// an event's route: no query string, an `If-None-Match`.
pub(super) fn plain_poll<'a>(
    method: &Method,
    uri: &'a Uri,
    headers: &HeaderMap,
) -> Option<(&'a str, &'a str)> {
    if method != Method::GET
        || uri.query().is_some()
        || !headers.contains_key(header::IF_NONE_MATCH)
    {
        return None;
    }
    event_path(uri.path())
}

/// The poll `rest` (the path after the event) names, if any.
pub(super) fn poll_at(rest: &str) -> Option<Poll<'_>> {
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
    let poll = poll_of(event, &parts.method, &parts.uri, &parts.headers)?;
    let head = heads.for_poll(event)?;
    unchanged(&head, poll, &parts.headers)
}

#[cfg(test)]
pub(super) mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use std::sync::Arc;
    use std::time::Duration;

    use axum::body::Body;
    use axum::extract::Request;
    use tower::ServiceExt;

    use crate::cache::per_event::MAX_AGE;
    use crate::config::Config;
    use crate::http::{AppState, app};
    use crate::store::Db;
    use crate::store::testing::{StuckReads, event_with_track};

    pub(in crate::http) const EVENT: &str = "mp-nordwest";
    const POLLS: usize = 20;

    /// A served event's state and router, the event protected by `code` if any.
    pub(in crate::http) fn served(
        dir: &tempfile::TempDir,
        code: Option<&str>,
    ) -> (Db, AppState, axum::Router) {
        let db = Db::open(dir.path()).unwrap();
        event_with_track(&db, EVENT, "t1");
        db.write_blocking(|tx| crate::store::access::set(tx, EVENT, code))
            .unwrap();
        let state = AppState::new(
            db.clone(),
            Arc::new(Config::new(dir.path(), "127.0.0.1:0".parse().unwrap())),
        );
        let router = app(state.clone());
        (db, state, router)
    }

    #[tokio::test]
    async fn past_the_remembered_age_one_poll_reads_again_and_the_others_are_answered_meanwhile() {
        let dir = tempfile::tempdir().unwrap();
        let (db, state, router) = served(&dir, None);
        let head = state.heads.current(EVENT).await.unwrap();
        let poll = || {
            let request = Request::builder()
                .uri(format!(
                    "/v1/events/{EVENT}/changes/{}/{}",
                    head.epoch, head.seq
                ))
                .header(
                    "if-none-match",
                    marktplatz_model::wire::page_etag(&head.epoch, head.seq),
                )
                .body(Body::empty())
                .unwrap();
            tokio::spawn(router.clone().oneshot(request))
        };
        // Remembers the policy and the head.
        assert_eq!(poll().await.unwrap().unwrap().status(), 304);

        // The store turns slow: every read slot is taken by a read that waits.
        let stuck = StuckReads::take(&db);
        tokio::time::sleep(MAX_AGE + Duration::from_millis(100)).await;

        let polls: Vec<_> = (0..POLLS).map(|_| poll()).collect();
        tokio::time::sleep(Duration::from_millis(300)).await;
        let answered = polls.iter().filter(|p| p.is_finished()).count();
        // One poll reads the policy again, one the head; the rest are answered from memory.
        assert!(
            answered >= POLLS - 2,
            "{answered} of {POLLS} polls answered while the store was slow"
        );
        stuck.release().await;
        for poll in polls {
            assert_eq!(poll.await.unwrap().unwrap().status(), 304);
        }
        // The reads done, the values are current again: a poll does not read.
        assert!(state.heads.cached(EVENT).is_some());
    }
}
