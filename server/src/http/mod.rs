//! The HTTP layer: routes and their extractors over the store and the caches, the middleware
//! every request passes, and the connection loop. Store errors become answers here
//! (`error`), and nowhere else.
//!
//! [`app`] lists the whole middleware stack, outermost first, in one `ServiceBuilder`.

pub mod access;
pub mod body;
pub mod caching;
pub mod connections;
pub mod credentials;
pub mod deadlines;
pub mod device_count;
pub mod error;
pub mod event_param;
pub mod extract;
pub mod forwarded;
pub mod front;
pub mod held_polls;
pub mod json_errors;
pub mod listener;
pub mod long_poll;
pub mod page_cache;
pub mod page_encoding;
pub mod paths;
pub mod poll;
mod poll_counting;
pub mod rate_limit;
pub mod routes;
pub mod security_headers;
pub mod state;
pub mod trace;
pub mod writes;

use axum::Router;
use axum::middleware::{from_fn, from_fn_with_state};
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::{DefaultOnFailure, TraceLayer};
use tracing::Level;

pub use security_headers::SECURITY_HEADERS;
pub use state::AppState;

use deadlines::Deadlines;

/// The API: every route, wrapped in the middleware below (applied to each route and to the
/// fallback, so every request passes all of it).
pub fn app(state: AppState) -> Router {
    let deadlines = Deadlines {
        read: state.config.request_timeout,
        write: state.config.upload_timeout,
    };
    let stack = ServiceBuilder::new()
        // A span per request; failures (5xx) logged at warn.
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(trace::request_span)
                .on_failure(DefaultOnFailure::new().level(Level::WARN)),
        )
        // Security headers on every answer with a body, panics' answers included.
        .layer(security_headers::layer())
        // A panic in anything below becomes a plain JSON 500.
        .layer(CatchPanicLayer::custom(error::panic_response))
        // The access-code form posted without JavaScript: the read of its page with the code.
        .layer(from_fn_with_state(
            state.bodies.clone(),
            crate::programme::code_form::code_form_as_read,
        ))
        // Each successful poll counted for the console's overview (`device_count`), outside
        // the gate and the page cache: a poll either answers 304 from memory is a poll too.
        .layer(from_fn_with_state(
            state.devices.clone(),
            poll_counting::count_polls,
        ))
        // Every read of an event decided on its id as the handler gets it: a protected one is
        // not read without its code or a token, not even as a 304; then an admitted
        // no-change poll is answered 304 from the head in memory (`poll`).
        .layer(from_fn_with_state(state.reads(), access::require_access))
        // Writes and admin requests: per address and per token.
        .layer(from_fn_with_state(
            state.limits.clone(),
            rate_limit::rate_limit,
        ))
        // Reads answered within `request_timeout` (503), writes within `upload_timeout` (408).
        .layer(from_fn(move |request, next| {
            deadlines::deadlines(deadlines, request, next)
        }))
        // JSON for the errors axum answers itself.
        .layer(from_fn(json_errors::json_errors));
    routes::router(state.clone())
        .merge(crate::console::router())
        .merge(crate::programme::router())
        .merge(crate::feeds::router())
        .layer(stack)
        .with_state(state)
}
