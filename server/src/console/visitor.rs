//! Anyone at the console, signed in or not: the language they read and how they reached us
//! (TLS behind a proxy), and the cookies that remember both.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};

use super::text::Lang;
use crate::store::console::SESSION_SECS;

pub const SESSION_COOKIE: &str = "mp_console";
const LANG_COOKIE: &str = "mp_lang";

/// Anyone at the console: the language of the answer (`?lang=`, then the cookie, then
/// `Accept-Language`), whether it was chosen just now (to remember it), and whether the
/// request came over TLS (a reverse proxy's `X-Forwarded-Proto`).
#[derive(Clone, Copy, Debug)]
pub struct Visitor {
    pub lang: Lang,
    pub lang_chosen: bool,
    pub tls: bool,
}

impl<S: Send + Sync> FromRequestParts<S> for Visitor {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Visitor, Self::Rejection> {
        Ok(Visitor::of(parts))
    }
}

impl Visitor {
    pub(super) fn of(parts: &Parts) -> Visitor {
        let chosen = parts.uri.query().and_then(|query| {
            query
                .split('&')
                .find_map(|pair| pair.strip_prefix("lang="))
                .and_then(Lang::parse)
        });
        let lang = chosen
            .or_else(|| cookie(&parts.headers, LANG_COOKIE).and_then(Lang::parse))
            .unwrap_or_else(|| Lang::from_accept_language(&parts.headers));
        let tls = parts
            .headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|proto| proto.eq_ignore_ascii_case("https"));
        Visitor {
            lang,
            lang_chosen: chosen.is_some(),
            tls,
        }
    }

    /// The cookie remembering a language chosen with `?lang=`.
    pub fn lang_cookie(&self) -> Option<String> {
        self.lang_chosen.then(|| {
            format!(
                "{LANG_COOKIE}={}; Path=/organiser; Max-Age=31536000; SameSite=Strict{}",
                self.lang.code(),
                if self.tls { "; Secure" } else { "" }
            )
        })
    }

    /// The session cookie for a new session's secret.
    pub fn session_cookie(&self, secret: &str) -> String {
        format!(
            "{SESSION_COOKIE}={secret}; Path=/organiser; Max-Age={SESSION_SECS}; HttpOnly; SameSite=Strict{}",
            if self.tls { "; Secure" } else { "" }
        )
    }

    /// The cookie that makes the browser forget the session.
    pub fn cleared_session_cookie(&self) -> String {
        format!(
            "{SESSION_COOKIE}=; Path=/organiser; Max-Age=0; HttpOnly; SameSite=Strict{}",
            if self.tls { "; Secure" } else { "" }
        )
    }
}

/// The value of one cookie of the request.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| {
            let (key, value) = pair.trim().split_once('=')?;
            (key == name).then_some(value)
        })
}
