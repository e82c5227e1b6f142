//! The page a refused read of an attendee page shows instead of the gate's JSON: the
//! access-code form. Called by the access gate (`http::access`), so it depends on nothing of
//! the HTTP layer but the page frame's headers.

use askama::Template;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;

use marktplatz_model::wire::ACCESS_CODE_HEADER;

use super::page::{html, language};
use super::text::{Words, words};

/// Whether a path is one of the attendee pages (their refusals are shown as a page).
pub fn is_attendee_page(path: &str) -> bool {
    path.starts_with("/e/")
}

/// The access-code form. It depends only on the refusal's status (never on whether the event
/// exists), so a protected and an unknown event still answer alike.
#[derive(Template)]
#[template(path = "programme/locked.html")]
pub struct Locked {
    pub w: &'static Words,
    pub status: u16,
    /// A code was sent and refused: the form says so (without JavaScript too).
    pub wrong: bool,
}

/// The gate's 401 or 429 for an attendee page, as the access-code form in the visitor's
/// language (status and `Retry-After` kept).
pub fn locked(
    status: StatusCode,
    headers: &HeaderMap,
    retry_after: Option<HeaderValue>,
) -> Response {
    let w = words(language(None, headers));
    let wrong = status == StatusCode::UNAUTHORIZED && headers.contains_key(ACCESS_CODE_HEADER);
    let mut response = html(
        status,
        &Locked {
            w,
            status: status.as_u16(),
            wrong,
        },
    );
    if let Some(wait) = retry_after {
        response.headers_mut().insert(header::RETRY_AFTER, wait);
    }
    response
}
