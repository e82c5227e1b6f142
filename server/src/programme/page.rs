//! What every attendee page shares: the frame (language, event, navigation, "as of"), the
//! conditional-request check, and turning a template into an answer with the pages' headers:
//! cacheable like the change pages, a strict CSP, and never a cookie.

use askama::Template;
use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use marktplatz_model::wire::Head;

use super::text::{Lang, Words};
use crate::http::caching::{if_none_match, not_modified};

/// Nothing from other origins, no inline script or style; the service worker and the one
/// script are our own files (`/e/sw.js`, `/e/programme.js`).
pub const PROGRAMME_CSP: &str = "default-src 'none'; style-src 'self'; script-src 'self'; \
     img-src 'self'; connect-src 'self'; worker-src 'self'; manifest-src 'self'; \
     form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Pages change with every publication (and the agenda with the clock): a minute smooths out
/// a hall full of reloads, the ETag makes the rest cheap.
pub const PAGE_CACHE: &str = "max-age=60";

/// The frame around every page.
pub struct Frame {
    pub w: &'static Words,
    pub event_id: String,
    pub event_title: String,
    pub title: String,
    /// The navigation entry of this page ("programme", "stations", "speakers", "info").
    pub current: &'static str,
    /// This page in the other language.
    pub lang_href: String,
    /// The content's time, in the event's local time.
    pub as_of: String,
}

impl Frame {
    pub fn is_current(&self, entry: &str) -> bool {
        self.current == entry
    }
}

/// The request's language: `?lang=` first, then `Accept-Language` (German when neither says).
pub fn language(lang: Option<&str>, headers: &HeaderMap) -> Lang {
    lang.and_then(Lang::parse)
        .unwrap_or_else(|| Lang::from_accept_language(headers))
}

/// The ETag of a page: the content's head, the language, the page's path and query, and
/// whatever else the page depends on (`extra`: the agenda's clock).
pub fn page_etag(head: &Head, lang: Lang, path_and_query: &str, extra: &str) -> String {
    let mut hash = Sha256::new();
    for part in [path_and_query, extra] {
        hash.update(part.as_bytes());
        hash.update([0]);
    }
    let digest = hex::encode(&hash.finalize()[..8]);
    format!("\"w.{}.{}.{}.{digest}\"", head.epoch, head.seq, lang.code())
}

/// The 304 when `If-None-Match` names `etag`.
pub fn unchanged(headers: &HeaderMap, etag: &str) -> Option<Response> {
    if_none_match(headers, etag).then(|| {
        let mut response = not_modified(etag, PAGE_CACHE);
        vary(response.headers_mut());
        response
    })
}

fn vary(headers: &mut HeaderMap) {
    headers.insert(header::VARY, HeaderValue::from_static("accept-language"));
}

/// Renders `template` as a page; `etag` when the answer may be cached.
pub fn html(status: StatusCode, template: &impl Template, etag: Option<&str>) -> Response {
    let body = match template.render() {
        Ok(body) => body,
        Err(e) => {
            tracing::error!(error = %e, "programme: a template failed");
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the page could not be made",
            )
                .into_response();
        }
    };
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(PROGRAMME_CSP),
    );
    match etag.and_then(|tag| HeaderValue::from_str(tag).ok()) {
        Some(tag) => {
            headers.insert(header::ETAG, tag);
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(PAGE_CACHE));
        }
        None => {
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        }
    }
    vary(headers);
    response
}

/// A page with one message (an unknown entry, a locked event, a fault).
#[derive(Template)]
#[template(path = "programme/notice.html")]
pub struct Notice<'a> {
    pub f: Frame,
    pub text: &'a str,
}
