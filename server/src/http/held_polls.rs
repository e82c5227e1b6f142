//! Long-polls held outside the middleware stack. A held request inside the stack kept every
//! layer's future alive for the whole hold (access gate, limits, deadlines, page cache, the
//! handler: about 20 KB per waiter; 10,000 followers cost ~190 MB). Here a long-poll passes
//! the whole stack twice: first to be checked and admitted (access gate on the decoded event,
//! waiter limits, every other check: the handler hands back a [`Hold`] instead of waiting),
//! then, once the event changed or the wait ended, again to be answered. Between the two only
//! the request head and the [`Hold`] are kept. The second pass is checked again in full, so
//! an access code withdrawn during the hold is refused then.

use std::convert::Infallible;

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::response::Response;
use tower::ServiceExt;

use super::long_poll::{HeldPoll, HoldEnded, HoldOutside, is_long_poll, until_changed};

/// Answers `request` with `app`, holding an admitted long-poll outside the stack.
pub async fn serve(app: Router, mut request: Request) -> Result<Response, Infallible> {
    if !is_long_poll(request.uri()) {
        return app.oneshot(request).await;
    }
    // A long-poll is a GET: its head is all there is to ask with again.
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
