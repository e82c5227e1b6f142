//! The gate in front of a protected event's content: its head, change pages and bundle are
//! answered only to a request that carries the event's access code
//! (`X-Marktplatz-Access-Code`) or a bearer token for the event (attendee, organiser) or an
//! admin's. The policy is the store's (`store::access`); this decides for one request.
//!
//! Wrong codes are counted per client address and answered 429 once a client has guessed too
//! often, so a short code cannot be found by trying.
//!
//! The check runs before the 304 answered from memory, and keeps each event's policy in memory
//! like its head, so a public event's poll costs a map lookup. Answers about a protected event
//! are marked `Cache-Control: private`: a shared cache must not hand them to someone without
//! the code. Assets stay public: they are addressed by the SHA-256 of their bytes, which only
//! the protected content names. Decisions: `docs/adr/0006-organiser-ops.md`.

use std::net::IpAddr;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use marktplatz_core::wire::{ACCESS_CODE_HEADER, code, is_valid_event_id};

use super::credentials::bearer;
use super::error::{ApiError, ApiResult};
use super::paths::event_path;
use super::rate_limit::{RateLimiter, client_ip};
use crate::cache::PerEvent;
use crate::config::RateLimit;
use crate::store::access::{self, Access};
use crate::store::{Db, auth};

/// Wrong codes one client address may send: a burst of 10, then one every 6 seconds.
pub const WRONG_CODES_PER_IP: RateLimit = RateLimit {
    burst: 10,
    per_second: 1.0 / 6.0,
};

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
        let Some(access) = self.db.read(move |tx| access::read(tx, &id)).await? else {
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
        let policy = self.policy(event_id).await?;
        if *policy == Access::Public {
            return Ok(false);
        }
        let given = headers
            .get(ACCESS_CODE_HEADER)
            .map(|value| value.to_str().unwrap_or_default());
        if given.is_some_and(|given| policy.admits(given)) {
            return Ok(true);
        }
        if let Some(token) = bearer(headers) {
            let (token, id) = (token.to_string(), event_id.to_string());
            self.db
                .read(move |tx| auth::authenticate(tx, &token)?.may_read(&id))
                .await?;
            return Ok(true);
        }
        if given.is_none() {
            tracing::info!(event = event_id, %ip, "access refused: no code");
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
            tracing::warn!(event = event_id, %ip, "access refused: too many wrong codes");
            let mut error = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                code::RATE_LIMITED,
                "too many wrong access codes; try again after the time in Retry-After",
            );
            error.retry_after = Some(wait);
            return Err(error);
        }
        tracing::info!(event = event_id, %ip, "access refused: wrong code");
        Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            code::ACCESS_CODE_WRONG,
            format!(
                "the access code for event '{event_id}' is not right; check it with the organisers"
            ),
        ))
    }
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
    let ip = client_ip(request.extensions());
    match gate.admit(&event, request.headers(), ip).await {
        Ok(false) => next.run(request).await,
        Ok(true) => {
            let mut response = next.run(request).await;
            mark_private(response.headers_mut());
            response
        }
        Err(error) => error.into_response(),
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
