//! What every console page shares: the frame (language, title, navigation, the CSRF token for
//! the sign-out form, a message), and turning a template into an answer with the console's
//! headers.

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::text::Texts;
use super::visitor::Visitor;
use crate::store::StoreError;

/// The console's CSP: nothing from other origins, no inline script or style, forms only to
/// ourselves (`docs/adr/0016-organiser-console.md`).
pub const CONSOLE_CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; \
     form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// A message at the top of a page: `kind` is "ok" or "error" (errors are announced as alerts).
pub struct Message {
    pub kind: &'static str,
    pub text: String,
}

impl Message {
    pub fn ok(text: impl Into<String>) -> Option<Message> {
        Some(Message {
            kind: "ok",
            text: text.into(),
        })
    }

    pub fn error(text: impl Into<String>) -> Option<Message> {
        Some(Message {
            kind: "error",
            text: text.into(),
        })
    }
}

/// The frame around every page.
pub struct Chrome {
    pub t: &'static Texts,
    pub title: String,
    /// The signed-in session's event (navigation and sign-out are shown only then).
    pub event: Option<String>,
    pub csrf: String,
    /// The navigation entry of this page ("overview", "announce", "import").
    pub current: &'static str,
    pub message: Option<Message>,
    /// Where the language switch leads: this page in the other language.
    pub lang_href: String,
}

impl Chrome {
    pub fn new(visitor: Visitor, title: &str, event: Option<String>, csrf: String) -> Chrome {
        let t = visitor.lang.texts();
        Chrome {
            t,
            lang_href: format!("?lang={}", t.other_lang_code),
            title: title.to_string(),
            event,
            csrf,
            current: "",
            message: None,
        }
    }

    pub fn with(mut self, message: Option<Message>) -> Chrome {
        self.message = message;
        self
    }

    /// `aria-current="page"` for the navigation entry of this page.
    pub fn is_current(&self, entry: &str) -> bool {
        self.current == entry
    }
}

/// A page of its own: a heading and one paragraph (refusals, sign-out).
#[derive(Template)]
#[template(path = "console/notice.html")]
struct Notice<'a> {
    c: Chrome,
    text: &'a str,
}

/// Renders `template` as an HTML answer with `status`; a language chosen just now is
/// remembered.
pub fn html(visitor: Visitor, status: u16, template: &impl Template) -> Response {
    let body = match template.render() {
        Ok(body) => body,
        Err(e) => {
            tracing::error!(error = %e, "console: a template failed");
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the page could not be made",
            )
                .into_response();
        }
    };
    let mut response =
        (StatusCode::from_u16(status).unwrap_or(StatusCode::OK), body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONSOLE_CSP),
    );
    // Under `no-referrer` browsers send `Origin: null` with a form, and the Origin check
    // could not tell our forms from forged ones; `same-origin` still sends nothing elsewhere.
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    if let Some(cookie) = visitor.lang_cookie()
        && let Ok(value) = HeaderValue::from_str(&cookie)
    {
        headers.append(header::SET_COOKIE, value);
    }
    response
}

/// A page with one message: why something was refused, or that it is done.
pub fn notice(visitor: Visitor, status: u16, title: &str, text: &str) -> Response {
    html(
        visitor,
        status,
        &Notice {
            c: visitor.chrome(title),
            text,
        },
    )
}

/// A fault of ours while reading or writing: logged in full, a short page.
pub fn failure(visitor: Visitor, error: &StoreError) -> Response {
    tracing::error!(%error, "console: the store failed");
    let t = visitor.lang.texts();
    let text = format!("{} {}", t.failed, error.context());
    html(
        visitor,
        500,
        &Notice {
            c: visitor.chrome(t.console),
            text: &text,
        },
    )
}

/// A 303 to `location` (after a form was handled), with extra `Set-Cookie` values.
pub fn see_other(location: &str, cookies: &[String]) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(location) {
        headers.insert(header::LOCATION, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    for cookie in cookies {
        if let Ok(value) = HeaderValue::from_str(cookie) {
            headers.append(header::SET_COOKIE, value);
        }
    }
    response
}

/// A store error the organiser caused (a bad file, a refused operation), as a sentence;
/// `None` for faults of ours.
pub fn client_error(error: &StoreError) -> Option<String> {
    (!error.is_internal()).then(|| error.to_string())
}

/// `?done=WHAT` after a form was handled (Post/Redirect/Get): which message to show.
#[derive(serde::Deserialize)]
pub struct Done {
    pub done: Option<String>,
}

impl Done {
    /// The confirmation `choices` give for this `done` (none for another or no `done`).
    pub fn message(&self, choices: &[(&str, &'static str)]) -> Option<Message> {
        let done = self.done.as_deref()?;
        choices
            .iter()
            .find(|(what, _)| *what == done)
            .and_then(|(_, text)| Message::ok(*text))
    }
}

/// Unix seconds as the pages show them (UTC, to the minute).
pub fn utc_minutes(seconds: i64) -> String {
    chrono::DateTime::from_timestamp(seconds, 0)
        .map(|at| at.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

impl Visitor {
    /// A page's frame for someone not (or not rightly) signed in.
    pub fn chrome(&self, title: &str) -> Chrome {
        Chrome::new(*self, title, None, String::new())
    }
}
