//! Who is at the console: the language they read, their session (from the cookie, checked
//! before any body is read), and whether a form really comes from our own pages (the Origin
//! check here, the CSRF token in [`Signed::refuse_forged`]).

use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use axum::response::Response;

use marktplatz_model::wire::is_valid_event_id;

use super::page::{self, Chrome};
use super::text::Lang;
use crate::http::state::AppState;
use crate::store::auth::{Principal, Role};
use crate::store::console::{self, SESSION_SECS, Session};

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
    fn of(parts: &Parts) -> Visitor {
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

    /// A page's frame for someone not (or not rightly) signed in.
    pub fn chrome(&self, title: &str) -> Chrome {
        Chrome::new(*self, title, None, String::new())
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

/// Whether a form comes from a page of this server: its `Origin` (or, from a browser that
/// sends none, its `Referer`) names the host it was sent to. Neither: refused.
pub fn same_origin(headers: &HeaderMap, tls: bool) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let ours = format!("{}://{host}", if tls { "https" } else { "http" });
    let header_text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    match (header_text(header::ORIGIN), header_text(header::REFERER)) {
        (Some(origin), _) => origin == ours,
        (None, Some(referer)) => referer
            .strip_prefix(&ours)
            .is_some_and(|rest| rest.starts_with('/')),
        (None, None) => false,
    }
}

/// The `{for_event}` of a console path, checked as an event id.
async fn path_event(parts: &mut Parts) -> Option<String> {
    let params = RawPathParams::from_request_parts(parts, &()).await.ok()?;
    let event = params
        .iter()
        .find(|(key, _)| *key == "for_event")
        .map(|(_, v)| v.to_string())?;
    is_valid_event_id(&event).then_some(event)
}

/// A signed-in organiser of the path's event, from a same-origin request when it is a POST.
/// Anyone else gets a page saying why (401, 403 or 404) before any body is read.
pub struct Signed {
    pub visitor: Visitor,
    pub session: Session,
}

impl FromRequestParts<AppState> for Signed {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Signed, Response> {
        let visitor = Visitor::of(parts);
        let t = visitor.lang.texts();
        let Some(event) = path_event(parts).await else {
            return Err(page::notice(visitor, 404, t.console, t.need_sign_in));
        };
        let found = match cookie(&parts.headers, SESSION_COOKIE) {
            Some(secret) => {
                let secret = secret.to_string();
                state
                    .db
                    .read(move |tx| console::session(tx, &secret))
                    .await
                    .map_err(|e| page::failure(visitor, &e))?
            }
            None => None,
        };
        let Some(session) = found else {
            return Err(page::notice(visitor, 401, t.sign_in_title, t.need_sign_in));
        };
        if session.event_id != event {
            tracing::info!(
                session_event = session.event_id,
                event,
                "console: session of another event refused"
            );
            return Err(page::notice(visitor, 403, t.console, t.other_event));
        }
        if parts.method == Method::POST && !same_origin(&parts.headers, visitor.tls) {
            tracing::info!(event, "console: cross-origin form refused");
            return Err(page::notice(visitor, 403, t.console, t.forged));
        }
        Ok(Signed { visitor, session })
    }
}

impl Signed {
    pub fn event(&self) -> &str {
        &self.session.event_id
    }

    /// The refusal of a form without this session's CSRF token (nothing is done); `None`
    /// when the token is right.
    pub fn refuse_forged(&self, csrf: &str) -> Option<Response> {
        if console::csrf_matches(&self.session, csrf) {
            None
        } else {
            tracing::info!(
                event = self.event(),
                "console: form without a valid CSRF token"
            );
            let t = self.visitor.lang.texts();
            Some(page::notice(self.visitor, 403, t.console, t.forged))
        }
    }

    /// The principal the store's functions see: an organiser of the session's event, with
    /// the link's subject (idempotency keys are scoped to it).
    pub fn principal(&self) -> Principal {
        Principal {
            token_id: "console".into(),
            subject: self.session.subject.clone(),
            role: Role::Organiser,
            event_id: Some(self.session.event_id.clone()),
        }
    }

    /// A page's frame with navigation, for the signed-in organiser.
    pub fn chrome(&self, title: &str, current: &'static str) -> Chrome {
        let mut chrome = Chrome::new(
            self.visitor,
            title,
            Some(self.session.event_id.clone()),
            self.session.csrf.clone(),
        );
        chrome.current = current;
        chrome
    }
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn a_form_must_name_this_host_as_its_origin() {
        let host = ("host", "fair.example:8080");
        assert!(same_origin(
            &headers(&[host, ("origin", "http://fair.example:8080")]),
            false
        ));
        assert!(same_origin(
            &headers(&[host, ("referer", "http://fair.example:8080/organiser/x/")]),
            false
        ));
        // Another site, a look-alike host, the wrong scheme behind TLS, `null`, nothing.
        assert!(!same_origin(
            &headers(&[host, ("origin", "http://evil.example")]),
            false
        ));
        assert!(!same_origin(
            &headers(&[host, ("referer", "http://fair.example:8080.evil.example/")]),
            false
        ));
        assert!(!same_origin(
            &headers(&[host, ("origin", "http://fair.example:8080")]),
            true
        ));
        assert!(!same_origin(&headers(&[host, ("origin", "null")]), false));
        assert!(!same_origin(&headers(&[host]), false));
        assert!(!same_origin(
            &headers(&[("origin", "http://fair.example:8080")]),
            false
        ));
    }

    #[test]
    fn a_cookie_is_found_among_others() {
        let map = headers(&[("cookie", "a=1; mp_console=secret; mp_lang=en")]);
        assert_eq!(cookie(&map, SESSION_COOKIE), Some("secret"));
        assert_eq!(cookie(&map, "mp_lang"), Some("en"));
        assert_eq!(cookie(&map, "mp"), None);
    }
}
