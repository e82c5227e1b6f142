//! What a browser that is tricked into opening one of our URLs must not do with the answer:
//! sniff a JSON or image body as HTML, run or load anything, frame it, leak the URL onwards.
//! Set by tower-http's `SetMultipleResponseHeadersLayer` on every answer with a body: not on
//! 304s and 204s (nothing there to protect, and the no-change poll must stay tiny). An answer
//! that sets one of them itself keeps its own (the organiser console's pages allow their own
//! style sheet: `console::CONSOLE_CSP`).

use axum::http::{HeaderName, HeaderValue, Response, StatusCode};
use tower_http::set_header::MakeHeaderValue;
use tower_http::set_header::response::SetMultipleResponseHeadersLayer;

pub const SECURITY_HEADERS: [(&str, &str); 4] = [
    ("x-content-type-options", "nosniff"),
    (
        "content-security-policy",
        "default-src 'none'; frame-ancestors 'none'",
    ),
    ("referrer-policy", "no-referrer"),
    ("x-frame-options", "DENY"),
];

/// A header value for answers that carry a body and do not set the header themselves.
#[derive(Clone)]
pub struct OnAnswersWithABody(HeaderName, HeaderValue);

impl<B> MakeHeaderValue<Response<B>> for OnAnswersWithABody {
    fn make_header_value(&mut self, response: &Response<B>) -> Option<HeaderValue> {
        let status = response.status();
        (status != StatusCode::NOT_MODIFIED
            && status != StatusCode::NO_CONTENT
            && !response.headers().contains_key(&self.0))
        .then(|| self.1.clone())
    }
}

/// The layer setting [`SECURITY_HEADERS`].
pub fn layer<B: 'static>() -> SetMultipleResponseHeadersLayer<Response<B>> {
    SetMultipleResponseHeadersLayer::overriding(
        SECURITY_HEADERS
            .iter()
            .map(|(name, value)| {
                (
                    HeaderName::from_static(name),
                    OnAnswersWithABody(
                        HeaderName::from_static(name),
                        HeaderValue::from_static(value),
                    ),
                )
                    .into()
            })
            .collect(),
    )
}
