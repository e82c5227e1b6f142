//! What feeds [`super::device_count`]: each successful poll of an event is seen, by address
//! and user agent (hashed there; nothing is kept here). The middleware sees the polls that pass
//! the stack, those the access gate answers 304 from memory included; the front counts the
//! ones it answers from memory without the stack (`count_from_memory`).

use std::net::IpAddr;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::Response;

use super::device_count::{DeviceCounter, LastCounted};
use super::paths::polled_event;
use super::rate_limit::client_ip;

/// Middleware outside the access gate: counts each successful poll (2xx or 304).
pub async fn count_polls(
    State(devices): State<Arc<DeviceCounter>>,
    request: Request,
    next: Next,
) -> Response {
    let seen = polled_event(request.uri().path())
        .filter(|_| request.method() == Method::GET)
        .map(|event| {
            let address = client_ip(request.extensions());
            (
                event.to_string(),
                address,
                user_agent(request.headers()).to_vec(),
            )
        });
    let response = next.run(request).await;
    if let Some((event, address, agent)) = seen
        && (response.status().is_success() || response.status().as_u16() == 304)
    {
        devices.saw(&event, address, &agent, crate::store::now());
    }
    response
}

/// Counts a poll of `event` the front answered 304 from memory (it never passes the middleware
/// above), on the connection whose last counted poll is `last`: the front keeps that per
/// connection, so a phone's repeated polls over one connection cost a comparison, not a hash
/// and a lock.
pub fn count_from_memory(
    devices: &DeviceCounter,
    last: &mut Option<LastCounted>,
    event: &str,
    headers: &HeaderMap,
    address: IpAddr,
) {
    devices.saw_on(
        last,
        event,
        address,
        user_agent(headers),
        crate::store::now(),
    );
}

fn user_agent(headers: &HeaderMap) -> &[u8] {
    headers
        .get(header::USER_AGENT)
        .map(|v| v.as_bytes())
        .unwrap_or_default()
}
