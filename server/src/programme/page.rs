//! What every attendee page shares: the frame (language, event, navigation, "as of"), the
//! pages' ETag and language, and turning a template into an answer with the pages' headers:
//! cacheable like the change pages, a strict CSP, and never a cookie.

use askama::Template;
use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use marktplatz_model::wire::Head;

use super::text::{Lang, Words};

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

/// Pages differ by the browser's language: caches must keep them apart.
pub fn vary(headers: &mut HeaderMap) {
    headers.insert(header::VARY, HeaderValue::from_static("accept-language"));
}

/// Renders `template` as a page no cache keeps (`caching::conditional` makes a page's success
/// cacheable under its ETag).
pub fn html(status: StatusCode, template: &impl Template) -> Response {
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
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
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
