//! What a request carries to prove who it is: a bearer token (`Authorization`). Read from the
//! headers alone, before any body.

use axum::http::{HeaderMap, header};

/// The bearer token of a request, if any (the scheme in any case).
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
}
