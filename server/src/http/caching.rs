//! HTTP conventions shared by the routes: ETags, 304s, cache lifetimes and JSON answers.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;

use super::error::ApiResult;

/// Full pages and assets never change: a CDN may keep them for a year.
pub const IMMUTABLE: &str = "max-age=31536000, immutable";
/// Heads and tails change with every publication: a few seconds smooth out bursts of polls.
pub const SHORT: &str = "max-age=5";

/// Whether `If-None-Match` lists `etag` (weak comparison, `*` matches anything).
pub fn if_none_match(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|tag| tag.trim().trim_start_matches("W/"))
        .any(|tag| tag == "*" || tag == etag)
}

/// A 304 with only what a cache needs to refresh its copy (bytes matter on a poll).
pub fn not_modified(etag: &str, cache_control: &'static str) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::NOT_MODIFIED;
    set_cache_headers(response.headers_mut(), etag, cache_control);
    response
}

/// A read answered conditionally: the 304 when `If-None-Match` names `etag`, otherwise what
/// `make` answers, a success carrying `etag` and `cache_control` (a refusal or a "not found"
/// keeps its own headers: it must not be cached as the content).
pub async fn conditional(
    headers: &HeaderMap,
    etag: &str,
    cache_control: &'static str,
    make: impl Future<Output = ApiResult<Response>>,
) -> ApiResult<Response> {
    if if_none_match(headers, etag) {
        return Ok(not_modified(etag, cache_control));
    }
    let mut response = make.await?;
    if response.status().is_success() {
        set_cache_headers(response.headers_mut(), etag, cache_control);
    }
    Ok(response)
}

pub fn json(body: Vec<u8>, etag: &str, cache_control: &'static str) -> Response {
    let mut response = Response::new(Body::from(body));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    set_cache_headers(headers, etag, cache_control);
    response
}

/// A JSON answer that no cache may keep (write results).
pub fn json_no_store(body: Vec<u8>) -> Response {
    let mut response = Response::new(Body::from(body));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn set_cache_headers(headers: &mut HeaderMap, etag: &str, cache_control: &'static str) {
    if let Ok(value) = HeaderValue::from_str(etag) {
        headers.insert(header::ETAG, value);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control),
    );
}
