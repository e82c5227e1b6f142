//! Long-polls held outside the middleware stack. A held request inside the stack kept every
//! layer's future alive for the whole hold (access gate, limits, deadlines, page cache, the
//! handler: about 20 KB per waiter; 10,000 followers cost ~190 MB). Here a long-poll passes
//! the whole stack twice: first to be checked and admitted (access gate on the decoded event,
//! waiter limits, every other check: the handler hands back a [`Hold`](super::long_poll::Hold) instead of waiting),
//! then, once the event changed or the wait ended, again to be answered. Between the two only
//! the request head and the [`Hold`](super::long_poll::Hold) are kept. The second pass is checked again in full, so
//! an access code withdrawn during the hold is refused then.

use std::convert::Infallible;

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::Method;
use axum::response::Response;
use tower::ServiceExt;

use super::long_poll::{HeldPoll, HoldEnded, HoldOutside, is_long_poll, until_changed};

/// Answers `request` with `app`, holding an admitted long-poll outside the stack.
pub async fn serve(app: Router, mut request: Request) -> Result<Response, Infallible> {
    // Only a GET can be a long-poll; any other request keeps its body and passes once.
    if request.method() != Method::GET || !is_long_poll(request.uri()) {
        return app.oneshot(request).await;
    }
    // A GET's head is all there is to ask with again (routes never read a GET's body).
    let (head, _) = request.into_parts();
    request = Request::from_parts(head.clone(), Body::empty());
    request.extensions_mut().insert(HoldOutside);
    let mut checked = app.clone().oneshot(request).await?;
    let Some(hold) = checked
        .extensions_mut()
        .remove::<HeldPoll>()
        .and_then(|held| held.take())
    else {
        // Refused, limited, or not a hold after all: the stack's answer stands.
        return Ok(checked);
    };
    drop(checked);
    // A failed head read ends the hold; the second pass reads the head again and answers
    // that failure through the stack, with its headers, like any other.
    let _ended = until_changed(&hold.heads, &hold.event, &hold.epoch, hold.since, hold.wait).await;
    drop(hold);
    let mut again = Request::from_parts(head, Body::empty());
    again.extensions_mut().insert(HoldEnded);
    app.oneshot(again).await
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use std::sync::Arc;
    use std::time::Duration;

    use marktplatz_model::model::EntityKind;
    use marktplatz_model::wire::page_etag;

    use super::*;
    use crate::config::Config;
    use crate::http::{AppState, app};
    use crate::store::Db;
    use crate::store::change_log::{self, NewChange};

    const EVENT: &str = "mp-nordwest";

    fn track(id: &str) -> NewChange {
        NewChange {
            kind: EntityKind::Track,
            id: id.into(),
            body: Some(format!(r#"{{"id":"{id}","name":"Bühne {id}"}}"#)),
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn waiters_woken_by_one_write_share_one_page_build_and_are_held_outside() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(dir.path()).unwrap();
        db.write_blocking(|tx| {
            change_log::ensure_event(tx, EVENT)?;
            change_log::append(tx, EVENT, &[track("t1")])
        })
        .unwrap();
        let mut config = Config::new(dir.path(), "127.0.0.1:0".parse().unwrap());
        config.max_waiters_per_ip = 100;
        let state = AppState::new(db.clone(), Arc::new(config));
        let router = app(state.clone());
        let head = state.heads.current(EVENT).await.unwrap();
        let (epoch, since) = (head.epoch.clone(), head.seq);
        const WAITERS: usize = 25;
        let mut answers = Vec::new();
        for _ in 0..WAITERS {
            let request = Request::builder()
                .uri(format!(
                    "/v1/events/{EVENT}/changes/{epoch}/{since}?wait=20&cursor=1"
                ))
                .header("if-none-match", page_etag(&epoch, since))
                .body(Body::empty())
                .unwrap();
            answers.push(tokio::spawn(serve(router.clone(), request)));
        }
        while state.waiters.held() < WAITERS {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let built_before = state.pages.filled();
        db.write_blocking(|tx| change_log::append(tx, EVENT, &[track("t2")]))
            .unwrap();
        state.heads.wake(EVENT);
        for answer in answers {
            let response = answer.await.unwrap().unwrap();
            assert_eq!(response.status(), 200);
            assert!(
                response
                    .headers()
                    .contains_key(super::super::long_poll::CURSOR_HEADER)
            );
            let body = axum::body::to_bytes(response.into_body(), 1 << 20)
                .await
                .unwrap();
            assert!(String::from_utf8_lossy(&body).contains("Bühne t2"));
        }
        assert_eq!(
            state.pages.filled() - built_before,
            1,
            "{WAITERS} woken waiters, one page build"
        );
        assert_eq!(state.waiters.held(), 0, "every place given back");
    }

    #[tokio::test]
    async fn refused_and_malformed_long_polls_are_answered_at_once_and_hold_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(dir.path()).unwrap();
        db.write_blocking(|tx| {
            change_log::ensure_event(tx, EVENT)?;
            change_log::append(tx, EVENT, &[track("t1")])?;
            crate::store::access::set(tx, EVENT, Some("Markthalle 2027"))
        })
        .unwrap();
        let mut config = Config::new(dir.path(), "127.0.0.1:0".parse().unwrap());
        config.max_waiters_per_ip = 1;
        let state = AppState::new(db.clone(), Arc::new(config));
        let router = app(state.clone());
        let head = state.heads.current(EVENT).await.unwrap();
        let tail = format!("/v1/events/{EVENT}/changes/{}/{}", head.epoch, head.seq);
        let ask = |target: String, code: Option<&str>| {
            let mut request = Request::builder().uri(target);
            if let Some(code) = code {
                request = request.header(marktplatz_model::wire::ACCESS_CODE_HEADER, code);
            }
            serve(router.clone(), request.body(Body::empty()).unwrap())
        };
        // Answered within moments, not held.
        let at_once = |target: String, code: Option<&'static str>| {
            let answer = ask(target, code);
            async move {
                tokio::time::timeout(Duration::from_secs(2), answer)
                    .await
                    .unwrap()
                    .unwrap()
            }
        };
        // Protected, no code: refused before any hold.
        let refused = at_once(format!("{tail}?wait=20"), None).await;
        assert!(
            matches!(refused.status().as_u16(), 401 | 403),
            "{}",
            refused.status()
        );
        // Malformed: 400 at once.
        let malformed = at_once(format!("{tail}?wait=soon"), Some("Markthalle 2027")).await;
        assert_eq!(malformed.status(), 400);
        assert_eq!(state.waiters.held(), 0);
        // With the code: held (one place, the address's limit), a second is answered 429.
        let held = tokio::spawn(ask(format!("{tail}?wait=20"), Some("Markthalle 2027")));
        while state.waiters.held() < 1 {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let over = at_once(format!("{tail}?wait=20"), Some("Markthalle 2027")).await;
        assert_eq!(over.status(), 429);
        assert!(over.headers().contains_key("retry-after"));
        assert!(!held.is_finished());
        held.abort();
    }
}
