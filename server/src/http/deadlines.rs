//! Deadlines per request, by method: a read (GET, HEAD) slower than `request_timeout` becomes a
//! JSON 503 with `Retry-After` (a device retries it); a write must arrive and be answered
//! within `upload_timeout`, else a JSON 408 (a body trickling in is cut). tower-http's
//! `TimeoutLayer` has one deadline and one bare status for every request; these are two.

use std::time::Duration;

use axum::extract::Request;
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use marktplatz_model::wire::code;

use super::error::error_response;
use super::rate_limit::is_write;

#[derive(Clone, Copy)]
pub struct Deadlines {
    pub read: Duration,
    pub write: Duration,
}

pub async fn deadlines(limits: Deadlines, request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let write = is_write(&method);
    let limit = if write {
        limits.write
    } else if method == Method::GET || method == Method::HEAD {
        limits.read
    } else {
        return next.run(request).await;
    };
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) if write => {
            tracing::info!(%method, "write deadline hit");
            error_response(
                StatusCode::REQUEST_TIMEOUT,
                code::REQUEST_TIMEOUT,
                "the request did not arrive in time",
                None,
            )
        }
        Err(_) => {
            tracing::warn!(%method, "read deadline hit");
            error_response(
                StatusCode::SERVICE_UNAVAILABLE,
                code::TIMEOUT,
                "the server took too long to answer; try again shortly",
                Some(1),
            )
        }
    }
}
