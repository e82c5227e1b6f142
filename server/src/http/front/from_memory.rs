//! The no-change polls the front answers from memory without passing them through the stack
//! (router and middleware: a third of a 304's CPU), and what the front brings up to date before
//! a request enters the stack. It reads the access gate's policy and the heads in memory and
//! asks [`poll`](super::super::poll) the question: kept apart from both, so that neither
//! depends on the other's caller.

use axum::extract::Request;
use axum::http::Uri;
use axum::response::Response;

use marktplatz_model::wire::is_valid_event_id;

use super::super::access::ReadState;
use super::super::paths::event_path;
use super::super::poll::{plain_poll, poll_at, unchanged};

/// A no-change poll the front answers from memory: the 304, and the event it polled (as
/// spelled in the path), which the front counts the device for without parsing the path again.
pub struct FromMemory<'r> {
    pub event: &'r str,
    pub not_modified: Response,
}

/// The 304 for a no-change poll that memory alone decides, for the front to send without
/// passing the request through the stack (router, middleware: a third of the CPU of a 304):
/// the event's id spelled as the router gives it to the gate, the event public by the gate's
/// policy in memory, its head in memory, both within their age (`Gate::public_now`,
/// `Heads::cached`; neither claims a refresh). The answer is the one the gate's
/// [`answer_from_memory`](super::super::poll::answer_from_memory) gives such a request (the stack adds nothing to a public event's
/// 304). `None`: the stack answers, deciding the same and reading what is out of date.
pub fn answer_without_stack<'r>(read: &ReadState, request: &'r Request) -> Option<FromMemory<'r>> {
    let (event, rest) = plain_poll(request.method(), request.uri(), request.headers())?;
    // A valid id holds no `%`: the router's decoding of it is itself.
    if !is_valid_event_id(event) {
        return None;
    }
    let poll = poll_at(rest)?;
    if !read.gate.public_now(event) {
        return None;
    }
    let head = read.heads.cached(event)?;
    let not_modified = unchanged(&head, poll, request.headers())?;
    Some(FromMemory {
        event,
        not_modified,
    })
}

/// Brings what the stack will want from memory for a request to an event's polls or pages up
/// to date before the request enters the stack: the gate's policy, then, for an event that
/// exists, its head (each read by one request while the others wait, or used while one
/// refreshes it, by their own rules). A crowd arriving when neither is remembered (the first
/// requests after 2 × `MAX_AGE` without any) then waits here, each request holding its head,
/// instead of inside the stack, each holding the middleware's and router's futures (the peak
/// RSS of `bench server`'s 10k first-page cell fell from 234 to 187–198 MB with this). What
/// fails is left for the stack to answer.
pub async fn bring_up_to_date(read: &ReadState, uri: &Uri) {
    let Some((event, _)) = event_path(uri.path()) else {
        return;
    };
    if !is_valid_event_id(event) || !read.gate.exists(event).await {
        return;
    }
    if read.heads.for_poll(event).is_none() {
        let _read = read.heads.current(event).await;
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use std::time::Duration;

    use axum::body::Body;
    use axum::extract::Request;
    use axum::http::{Method, header};
    use tower::ServiceExt;

    use super::{answer_without_stack, bring_up_to_date};
    use crate::cache::per_event::MAX_AGE;
    use crate::http::poll::tests::{EVENT, served};

    fn get(path: &str, if_none_match: &str) -> Request {
        Request::builder()
            .uri(path)
            .header("if-none-match", if_none_match)
            .body(Body::empty())
            .unwrap()
    }

    #[tokio::test]
    async fn a_public_events_no_change_poll_is_answered_without_the_stack_as_the_stack_answers_it()
    {
        let dir = tempfile::tempdir().unwrap();
        let (_db, state, router) = served(&dir, None);
        let reads = state.reads();
        let head = state.heads.current(EVENT).await.unwrap();
        let tail = format!("/v1/events/{EVENT}/changes/{}/{}", head.epoch, head.seq);
        let tail_etag = marktplatz_model::wire::page_etag(&head.epoch, head.seq);
        let head_path = format!("/v1/events/{EVENT}/head");
        let head_etag = marktplatz_model::wire::head_etag(&head);
        // Nothing remembered of the gate's yet: the stack decides (and remembers).
        assert!(answer_without_stack(&reads, &get(&tail, &tail_etag)).is_none());
        for (path, etag) in [(&tail, &tail_etag), (&head_path, &head_etag)] {
            let mut by_stack = router.clone().oneshot(get(path, etag)).await.unwrap();
            let request = get(path, etag);
            let answered = answer_without_stack(&reads, &request).unwrap();
            // The event the front counts the device for is the one polled.
            assert_eq!(answered.event, EVENT, "{path}");
            let by_memory = answered.not_modified;
            assert_eq!(by_stack.status(), 304);
            assert_eq!(by_memory.status(), by_stack.status(), "{path}");
            // The framing is the front's to write (`front::answer`), not the stack's.
            by_stack.headers_mut().remove(header::CONTENT_LENGTH);
            assert_eq!(by_memory.headers(), by_stack.headers(), "{path}");
        }
        // Anything else is the stack's: another ETag, a query (a long-poll), an id the router
        // decodes, a HEAD request.
        assert!(answer_without_stack(&reads, &get(&tail, "\"other\"")).is_none());
        let long_poll = format!("{tail}?wait=20");
        assert!(answer_without_stack(&reads, &get(&long_poll, &tail_etag)).is_none());
        let encoded = tail.replace("mp-nordwest", "mp%2Dnordwest");
        assert!(answer_without_stack(&reads, &get(&encoded, &tail_etag)).is_none());
        let mut head_request = get(&tail, &tail_etag);
        *head_request.method_mut() = Method::HEAD;
        assert!(answer_without_stack(&reads, &head_request).is_none());

        // Past the remembered age memory does not decide; the stack reads again, and then it
        // does.
        tokio::time::sleep(MAX_AGE + Duration::from_millis(50)).await;
        assert!(answer_without_stack(&reads, &get(&tail, &tail_etag)).is_none());
        for _ in 0..2 {
            let by_stack = router
                .clone()
                .oneshot(get(&tail, &tail_etag))
                .await
                .unwrap();
            assert_eq!(by_stack.status(), 304);
        }
        assert!(answer_without_stack(&reads, &get(&tail, &tail_etag)).is_some());
    }

    #[tokio::test]
    async fn before_the_stack_the_policy_and_the_head_are_brought_up_to_date() {
        let dir = tempfile::tempdir().unwrap();
        let (_db, state, _router) = served(&dir, None);
        let reads = state.reads();
        let head = state.heads.current(EVENT).await.unwrap();
        tokio::time::sleep(2 * MAX_AGE + Duration::from_millis(50)).await;
        let tail = format!("/v1/events/{EVENT}/changes/{}/{}", head.epoch, head.seq);
        let etag = marktplatz_model::wire::page_etag(&head.epoch, head.seq);
        // Nothing current: the stack would read both, with the request inside it.
        assert!(answer_without_stack(&reads, &get(&tail, &etag)).is_none());
        bring_up_to_date(&reads, &tail.parse().unwrap()).await;
        assert!(answer_without_stack(&reads, &get(&tail, &etag)).is_some());
        // Made-up and malformed ids read no head.
        for path in ["/v1/events/nobody/head", "/v1/events/no%20body/head"] {
            bring_up_to_date(&reads, &path.parse().unwrap()).await;
        }
        assert!(state.heads.cached("nobody").is_none());
    }

    #[tokio::test]
    async fn a_protected_events_poll_always_passes_the_gate() {
        let dir = tempfile::tempdir().unwrap();
        let (_db, state, router) = served(&dir, Some("Markt 2027"));
        let reads = state.reads();
        let head = state.heads.current(EVENT).await.unwrap();
        let tail = format!("/v1/events/{EVENT}/changes/{}/{}", head.epoch, head.seq);
        let etag = marktplatz_model::wire::page_etag(&head.epoch, head.seq);
        let with_code = || {
            let mut request = get(&tail, &etag);
            request.headers_mut().insert(
                marktplatz_model::wire::ACCESS_CODE_HEADER,
                axum::http::HeaderValue::from_static("Markt 2027"),
            );
            request
        };
        let admitted = router.clone().oneshot(with_code()).await.unwrap();
        assert_eq!(admitted.status(), 304);
        assert!(answer_without_stack(&reads, &with_code()).is_none());
        assert!(answer_without_stack(&reads, &get(&tail, &etag)).is_none());
        let refused = router.clone().oneshot(get(&tail, &etag)).await.unwrap();
        assert_eq!(refused.status(), 401);
    }
}
