//! Who is at the console: the language they read, their session (from the cookie, checked
//! before any body is read), and whether a form really comes from our own pages (the Origin
//! check here, the CSRF token in [`Signed::refuse_forged`]).

use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use axum::response::Response;

use marktplatz_model::wire::is_valid_event_id;

use super::page::{self, Chrome};
pub use super::visitor::{SESSION_COOKIE, Visitor, cookie};
use crate::http::state::AppState;
use crate::store::auth::{Principal, Role};
use crate::store::console::{self, Session};

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
