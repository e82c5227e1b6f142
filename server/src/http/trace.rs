//! One span per request (tower-http's `TraceLayer`): the method, the route as registered (not
//! the raw path: no user data, few distinct values) and the client's address. The span, and
//! the start and end of every request, are at `debug` (tower-http's default level): at `info`
//! they cost a disabled-callsite check, where an enabled span cost the 304 poll about a tenth
//! of its CPU (measured with `bench server`). Events at `info` (publishes, operations,
//! refusals, limits hit) therefore name what they are about themselves.

use axum::extract::{MatchedPath, Request};
use tracing::Span;

use super::rate_limit::client_ip;

pub fn request_span(request: &Request) -> Span {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("-", MatchedPath::as_str);
    tracing::debug_span!(
        "request",
        method = %request.method(),
        route,
        ip = %client_ip(request.extensions()),
    )
}
