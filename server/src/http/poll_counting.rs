//! The middleware that feeds [`super::device_count`]: each successful poll of an event is seen
//! once, by address and user agent (hashed there; nothing is kept here).

use axum::extract::{Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::Response;

use super::device_count::polled_event;
use super::rate_limit::client_ip;
use super::state::AppState;

/// Middleware around the event routes: counts each successful poll.
pub async fn count_polls(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let seen = (request.method() == Method::GET)
        .then(|| polled_event(request.uri().path()).map(str::to_string))
        .flatten()
        .map(|event| {
            let address = client_ip(request.extensions()).to_string().into_bytes();
            let agent = request
                .headers()
                .get(header::USER_AGENT)
                .map(|v| v.as_bytes().to_vec())
                .unwrap_or_default();
            (event, address, agent)
        });
    let response = next.run(request).await;
    if let Some((event, address, agent)) = seen
        && (response.status().is_success() || response.status().as_u16() == 304)
    {
        state
            .devices
            .saw(&event, &address, &agent, crate::store::now());
    }
    response
}
