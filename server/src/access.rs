//! Who may read an event. Events are public by default; an admin may give one an access code
//! (printed on the badge, told at the door), and from then on its head, change pages and bundle
//! are answered only to a request that carries the code (`X-Marktplatz-Access-Code`) or a
//! bearer token for the event (attendee, organiser) or an admin token.
//!
//! Like tokens, the code is stored only as a hash: SHA-256 over a random per-event salt and the
//! code, compared in constant time. Wrong codes are counted per client address and answered
//! 429 once a client has guessed too often, so a short code cannot be found by trying.
//!
//! The check runs before everything else (even before a poll is answered 304 from memory) and
//! keeps each event's policy in memory like its head, so a public event's poll costs a map
//! lookup. Answers about a protected event are marked `Cache-Control: private`: a shared cache
//! must not hand them to someone without the code. Assets stay public: they are addressed by
//! the SHA-256 of their bytes, which only the protected content names.
//! Decisions: `docs/adr/0006-organiser-ops.md`.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use marktplatz_model::wire::{ACCESS_CODE_HEADER, code, is_valid_event_id};
use rusqlite::{OptionalExtension, Transaction, params};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::auth::{self, Role};
use crate::config::RateLimit;
use crate::db::{Db, now};
use crate::error::{ApiError, ApiResult};
use crate::hardening::RateLimiter;
use crate::heads::PerEvent;
use crate::http::event_path;

/// Shortest and longest code an admin may set (it is typed on a phone).
pub const MIN_CODE_CHARS: usize = 4;
pub const MAX_CODE_CHARS: usize = marktplatz_model::wire::MAX_ACCESS_CODE_CHARS;

/// Wrong codes one client address may send: a burst of 10, then one every 6 seconds.
pub const WRONG_CODES_PER_IP: RateLimit = RateLimit {
    burst: 10,
    per_second: 1.0 / 6.0,
};

/// An event's read policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Access {
    Public,
    Code { salt: Vec<u8>, hash: Vec<u8> },
}

fn code_hash(salt: &[u8], code: &str) -> Vec<u8> {
    let mut hasher = Sha256::new();
    hasher.update(salt);
    hasher.update(code.trim().as_bytes());
    hasher.finalize().to_vec()
}

/// Checks a code an admin wants to set: printable, 4 to 64 characters, not only spaces.
fn check_code(code: &str) -> ApiResult<()> {
    let chars = code.trim().chars().count();
    if !(MIN_CODE_CHARS..=MAX_CODE_CHARS).contains(&chars) || code.chars().any(char::is_control) {
        return Err(ApiError::bad_request(format!(
            "an access code is {MIN_CODE_CHARS} to {MAX_CODE_CHARS} printable characters"
        )));
    }
    Ok(())
}

/// The event's policy; `None` for an unknown event.
pub fn read(tx: &Transaction<'_>, event_id: &str) -> ApiResult<Option<Access>> {
    Ok(tx
        .prepare_cached("SELECT access_salt, access_hash FROM event WHERE id = ?1")?
        .query_row([event_id], |r| {
            let salt: Option<Vec<u8>> = r.get(0)?;
            let hash: Option<Vec<u8>> = r.get(1)?;
            Ok(match (salt, hash) {
                (Some(salt), Some(hash)) => Access::Code { salt, hash },
                _ => Access::Public,
            })
        })
        .optional()?)
}

/// Gives the event an access code (`Some`, replacing any earlier one) or makes it public
/// (`None`). The event must exist. Returns whether it had a code before.
pub fn set(tx: &Transaction<'_>, event_id: &str, code: Option<&str>) -> ApiResult<bool> {
    let had_code = match read(tx, event_id)? {
        None => return Err(ApiError::event_not_found(event_id)),
        Some(access) => access != Access::Public,
    };
    let (salt, hash) = match code {
        Some(code) => {
            check_code(code)?;
            let salt: [u8; 16] = rand::random();
            let hash = code_hash(&salt, code);
            (Some(salt.to_vec()), Some(hash))
        }
        None => (None, None),
    };
    tx.prepare_cached(
        "UPDATE event SET access_salt = ?2, access_hash = ?3, updated_at = ?4 WHERE id = ?1",
    )?
    .execute(params![event_id, salt, hash, now()])?;
    Ok(had_code)
}

/// Whether a bearer token lets its holder read `event_id`: any token of the event, or an admin's.
fn check_token(tx: &Transaction<'_>, headers: &HeaderMap, event_id: &str) -> ApiResult<()> {
    let principal = auth::authenticate(tx, headers)?;
    match principal.role {
        Role::Admin => Ok(()),
        _ if principal.event_id.as_deref() == Some(event_id) => Ok(()),
        _ => Err(ApiError::forbidden(format!(
            "this token is for another event, not '{event_id}'"
        ))),
    }
}

/// The gate's state: remembered policies and the wrong-code counter.
pub struct Gate {
    db: Db,
    policies: PerEvent<Access>,
    wrong_codes: RateLimiter,
}

impl Gate {
    pub fn new(db: Db) -> Gate {
        Gate {
            db,
            policies: PerEvent::default(),
            // The per-token bucket is unused: wrong codes are counted by address only.
            wrong_codes: RateLimiter::new(WRONG_CODES_PER_IP, WRONG_CODES_PER_IP),
        }
    }

    /// The event's policy, from memory when still current (same rules as the heads); unknown
    /// events count as public and are left to the routes to answer 404.
    async fn policy(&self, event_id: &str) -> ApiResult<Arc<Access>> {
        let generation = self.db.generation();
        if let Some(access) = self.policies.get(event_id, generation) {
            return Ok(access);
        }
        let id = event_id.to_string();
        let Some(access) = self.db.read(move |tx| read(tx, &id)).await? else {
            return Ok(Arc::new(Access::Public));
        };
        let access = Arc::new(access);
        self.policies.put(event_id, access.clone(), generation);
        Ok(access)
    }

    /// `Ok(true)`: the request may read a protected event; `Ok(false)`: the event is public.
    /// The right code admits; otherwise a bearer token decides (an organiser whose phone still
    /// holds an old code is let in by the token); otherwise the code is wrong or missing.
    async fn admit(&self, event_id: &str, headers: &HeaderMap, ip: IpAddr) -> ApiResult<bool> {
        let (salt, hash) = match &*self.policy(event_id).await? {
            Access::Public => return Ok(false),
            Access::Code { salt, hash } => (salt.clone(), hash.clone()),
        };
        let given = headers
            .get(ACCESS_CODE_HEADER)
            .map(|value| value.to_str().unwrap_or_default());
        if let Some(given) = given
            && bool::from(code_hash(&salt, given).ct_eq(&hash))
        {
            return Ok(true);
        }
        if auth::bearer(headers).is_some() {
            let headers = headers.clone();
            let id = event_id.to_string();
            self.db
                .read(move |tx| check_token(tx, &headers, &id))
                .await?;
            return Ok(true);
        }
        if given.is_none() {
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                code::ACCESS_CODE_REQUIRED,
                format!(
                    "event '{event_id}' needs an access code: enter the one from the organisers \
                     (sent as {ACCESS_CODE_HEADER})"
                ),
            ));
        }
        if let Err(wait) = self.wrong_codes.check(ip, None) {
            let mut error = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                code::RATE_LIMITED,
                "too many wrong access codes; try again after the time in Retry-After",
            );
            error.retry_after = Some(wait);
            return Err(error);
        }
        Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            code::ACCESS_CODE_WRONG,
            format!(
                "the access code for event '{event_id}' is not right; check it with the organisers"
            ),
        ))
    }
}

fn client_ip(request: &Request) -> IpAddr {
    request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip())
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
}

/// The event a read of its content names: `GET|HEAD /v1/events/{event}/...`.
fn read_of_event(request: &Request) -> Option<&str> {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return None;
    }
    let (event, _) = event_path(request.uri().path())?;
    is_valid_event_id(event).then_some(event)
}

/// Middleware: answers reads of a protected event without the code or a token with 401 (403
/// for a token of another event), and marks the answers to admitted ones private.
pub async fn require_access(
    State(gate): State<Arc<Gate>>,
    request: Request,
    next: Next,
) -> Response {
    let Some(event) = read_of_event(&request) else {
        return next.run(request).await;
    };
    let event = event.to_string();
    let ip = client_ip(&request);
    match gate.admit(&event, request.headers(), ip).await {
        Ok(false) => next.run(request).await,
        Ok(true) => {
            let mut response = next.run(request).await;
            mark_private(response.headers_mut());
            response
        }
        Err(error) => {
            // Made outside the protections in `hardening`: the refusal gets their headers too.
            let mut response = error.into_response();
            crate::hardening::add_security_headers(&mut response);
            response
        }
    }
}

fn mark_private(headers: &mut HeaderMap) {
    let private = match headers
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
    {
        Some(value) if !value.contains("private") && !value.contains("no-store") => {
            HeaderValue::from_str(&format!("private, {value}"))
                .unwrap_or(HeaderValue::from_static("private"))
        }
        Some(_) => return,
        None => HeaderValue::from_static("private"),
    };
    headers.insert(header::CACHE_CONTROL, private);
    headers.append(header::VARY, HeaderValue::from_static(ACCESS_CODE_HEADER));
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::log::ensure_event;

    #[test]
    fn a_code_is_stored_salted_and_hashed_and_can_be_removed() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(dir.path()).unwrap();
        db.write_blocking(|tx| ensure_event(tx, "e")).unwrap();
        assert_eq!(
            db.read_blocking(|tx| read(tx, "e")).unwrap(),
            Some(Access::Public)
        );
        assert!(
            !db.write_blocking(|tx| set(tx, "e", Some("Markt 2027")))
                .unwrap()
        );
        let Some(Access::Code { salt, hash }) = db.read_blocking(|tx| read(tx, "e")).unwrap()
        else {
            panic!("no code stored");
        };
        assert_eq!(salt.len(), 16);
        assert_eq!(hash, code_hash(&salt, "Markt 2027"));
        assert_eq!(hash, code_hash(&salt, " Markt 2027 "), "typed with spaces");
        assert_ne!(hash, code_hash(&salt, "markt 2027"));
        // The code itself is nowhere in the file.
        drop(db);
        let bytes = std::fs::read(dir.path().join("marktplatz.db")).unwrap_or_default();
        assert!(!bytes.windows(10).any(|w| w == b"Markt 2027"));
        let db = Db::open(dir.path()).unwrap();
        // The same code set again gets a new salt.
        db.write_blocking(|tx| set(tx, "e", Some("Markt 2027")))
            .unwrap();
        let Some(Access::Code { salt: again, .. }) = db.read_blocking(|tx| read(tx, "e")).unwrap()
        else {
            panic!("no code stored");
        };
        assert_ne!(salt, again);
        assert!(db.write_blocking(|tx| set(tx, "e", None)).unwrap());
        assert_eq!(
            db.read_blocking(|tx| read(tx, "e")).unwrap(),
            Some(Access::Public)
        );
    }

    #[test]
    fn codes_must_be_typeable_and_events_must_exist() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(dir.path()).unwrap();
        db.write_blocking(|tx| ensure_event(tx, "e")).unwrap();
        for bad in ["abc", "   ", "tab\there", &"x".repeat(65)] {
            let error = db.write_blocking(|tx| set(tx, "e", Some(bad))).unwrap_err();
            assert_eq!(error.status, StatusCode::BAD_REQUEST, "{bad:?}");
        }
        let error = db
            .write_blocking(|tx| set(tx, "nope", Some("Markt 2027")))
            .unwrap_err();
        assert_eq!(error.status, StatusCode::NOT_FOUND);
    }
}
