//! The access-code form without JavaScript. With it, `programme.js` keeps the code in the
//! service worker's storage and the worker sends it as the gate's header on every read; a
//! browser without JavaScript (or without service workers) posts the form instead. Such a
//! post is read here as what it asks for: a read of the same page with the code as the
//! gate's header (`X-Marktplatz-Access-Code`), decided by the gate like any read (its limits
//! on wrong codes included). Nothing is remembered (no cookie, never the code in an address):
//! without JavaScript the code opens the one page it was entered on, and the next page asks
//! again. Runs before the gate, which only decides reads.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Form, FromRequest, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use marktplatz_model::wire::{ACCESS_CODE_HEADER, MAX_ACCESS_CODE_CHARS};

use super::locked::is_attendee_page;
use crate::http::body::BodyRules;
use crate::http::error::ApiError;

/// The form's body: `code=…` (urlencoded; a code's characters take at most 12 bytes each
/// encoded, and room for the name).
const MAX_FORM_BYTES: usize = MAX_ACCESS_CODE_CHARS * 12 + 64;

/// The access-code form's fields.
#[derive(serde::Deserialize)]
struct CodeForm {
    code: String,
}

/// Middleware: a form post to an attendee page becomes the read of that page with the code;
/// any other post to one is refused (415: the pages take only the form). Every other request
/// passes untouched.
pub async fn code_form_as_read(
    State(bodies): State<Arc<BodyRules>>,
    request: Request,
    next: Next,
) -> Response {
    let is_form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if request.method() != Method::POST || !is_attendee_page(request.uri().path()) {
        return next.run(request).await;
    }
    if !is_form {
        return ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "an attendee page takes only its access-code form (application/x-www-form-urlencoded)",
        )
        .into_response();
    }
    let (mut parts, body) = request.into_parts();
    let bytes = match bodies
        .to_memory(&parts.headers, body, MAX_FORM_BYTES, "the access-code form")
        .await
    {
        Ok(held) => held.bytes,
        Err(refusal) => return refusal.into_response(),
    };
    let posted = Request::from_parts(parts.clone(), Body::from(bytes));
    let Form(form) = match Form::<CodeForm>::from_request(posted, &()).await {
        Ok(form) => form,
        Err(e) => return ApiError::bad_request(e.body_text()).into_response(),
    };
    parts.method = Method::GET;
    parts.headers.remove(header::CONTENT_TYPE);
    parts.headers.remove(header::CONTENT_LENGTH);
    // A code no header can carry (a line break) is no code at all: the form is shown again.
    if let Ok(code) = HeaderValue::from_bytes(form.code.trim().as_bytes()) {
        parts.headers.insert(ACCESS_CODE_HEADER, code);
    }
    next.run(Request::from_parts(parts, Body::empty())).await
}
