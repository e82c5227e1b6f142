//! The gate in front of every event's content: a read (GET, HEAD) of any route with an
//! `{event}` is decided here, on the event id exactly as the router decoded it for the handler
//! (`event_param::event_of`), before anything can answer it (not even the 304 from memory). A
//! protected event's content is answered only to a request that carries the event's access
//! code (`X-Marktplatz-Access-Code`) or a bearer token for the event (attendee, organiser) or
//! an admin's. The policy is the store's (`store::access`); this decides for one request, and
//! hands the handler a [`ReadAccess`] that its `extract::Readable` requires (a read route the
//! gate did not see answers 500, never the content).
//!
//! Guessing: wrong codes are counted per client address and per event. While either is over
//! its limit every code is refused alike, the right one too (429 with `Retry-After`), so the
//! limit tells nothing about a guess. A token still admits: it cannot be guessed.
//!
//! Existence: once any event on the server is protected, an unknown event answers exactly as
//! a protected one (401 without a code, 401 "wrong" with one, the same limits), so the answer
//! does not tell whether an event exists. A server without protected events keeps answering
//! 404 for unknown events (there is nothing to hide, and devices say "no such event").
//!
//! Policies (and the fact that an id is unknown) are kept in memory like the heads, so a
//! public event's poll costs a map lookup. Answers about a protected event are marked
//! `Cache-Control: private`: a shared cache must not hand them on. Assets stay public: they
//! are addressed by the SHA-256 of their bytes, which only the protected content names.
//! Decisions: `docs/adr/0006-organiser-ops.md`.

use std::net::IpAddr;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use marktplatz_model::wire::{ACCESS_CODE_HEADER, code};

use super::credentials::bearer;
use super::device_count::DeviceCounter;
use super::error::{ApiError, ApiResult};
use super::event_param::{canonical_event, event_of};
use super::poll::answer_from_memory;
use super::rate_limit::{Buckets, client_ip, client_key, too_many};
use crate::cache::{Heads, PerEvent};
use crate::config::Config;
use crate::store::access::{self, Access};
use crate::store::{Db, auth};

/// Handed to a read handler by the gate: this request may read `event`.
#[derive(Clone, Debug)]
pub struct ReadAccess {
    pub event: String,
}

/// What the gate knows about an event id.
enum Policy {
    Public,
    Protected(Arc<Access>),
    /// No such event; `guarded` when it must look protected (some event on the server is).
    Unknown {
        guarded: bool,
    },
}

/// The gate's state: remembered policies and the wrong-code buckets.
pub struct Gate {
    db: Db,
    policies: PerEvent<Access>,
    /// Ids known not to exist (kept apart, so a flood of made-up ids cannot evict policies).
    unknown: PerEvent<()>,
    /// Whether any event is protected (one entry, under the key "").
    any_protected: PerEvent<bool>,
    wrong_per_ip: Buckets<IpAddr>,
    wrong_per_event: Buckets<String>,
    /// Made-up ids get buckets like real ones (or the limit would tell them apart), in a table
    /// of their own that a flood of them may empty without touching the real events'.
    wrong_per_unknown: Buckets<String>,
    /// Policies read from the store (tests).
    #[cfg(test)]
    reads: std::sync::atomic::AtomicUsize,
}

impl Gate {
    pub fn new(db: Db, config: &Config) -> Gate {
        Gate {
            db,
            policies: PerEvent::default(),
            unknown: PerEvent::default(),
            any_protected: PerEvent::default(),
            wrong_per_ip: Buckets::new(config.wrong_codes_per_ip),
            wrong_per_event: Buckets::new(config.wrong_codes_per_event),
            wrong_per_unknown: Buckets::new(config.wrong_codes_per_event),
            #[cfg(test)]
            reads: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    /// The event's policy, from memory when still current (same rules as the heads; past its
    /// age one request reads it again, the others meanwhile use it: `PerEvent::get_or_refresh`).
    async fn policy(&self, event_id: &str) -> ApiResult<Policy> {
        let generation = self.db.generation();
        if let Some(access) = self.policies.get_or_refresh(event_id, generation) {
            return Ok(policy_of(access));
        }
        // The first request reads; the others wait for it and take what it remembered. Every
        // request read for itself when the policy was gone (no poll for 2 × `MAX_AGE`, as at
        // the start of a crowd, or a write): 10,000 polls queued for the store's read slots,
        // each holding its request in the stack (~20 KB): 200 MB and seconds (issue 23 part 7).
        let _reading = self.policies.reading(event_id).await;
        let generation = self.db.generation();
        if let Some(access) = self.policies.get(event_id, generation) {
            return Ok(policy_of(access));
        }
        if self.unknown.get(event_id, generation).is_none() {
            #[cfg(test)]
            self.reads
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let id = event_id.to_string();
            let found = self.db.read(move |tx| access::read(tx, &id)).await?;
            if let Some(access) = found {
                let access = Arc::new(access);
                self.policies.put(event_id, access.clone(), generation);
                return Ok(policy_of(access));
            }
            self.unknown.put(event_id, Arc::new(()), generation);
        }
        let guarded = match self.any_protected.get("", generation) {
            Some(any) => *any,
            None => {
                let any = self.db.read(access::any_protected).await?;
                self.any_protected.put("", Arc::new(any), generation);
                any
            }
        };
        Ok(Policy::Unknown { guarded })
    }

    /// Whether `event_id` is public by the policy in memory, read within its age at the current
    /// generation: such an event is read by anyone, so its no-change poll needs no more of the
    /// gate (`front::from_memory::answer_without_stack`). No I/O, and no refresh claimed: past
    /// its age this says `false` and the request goes through the gate, which reads the policy
    /// again.
    pub fn public_now(&self, event_id: &str) -> bool {
        self.policies
            .get(event_id, self.db.generation())
            .is_some_and(|access| matches!(*access, Access::Public))
    }

    /// Whether `event_id` names an event, by its policy (remembered, or read by the rules of
    /// `Gate::policy`); `false` also when it cannot be read now.
    pub async fn exists(&self, event_id: &str) -> bool {
        matches!(
            self.policy(event_id).await,
            Ok(Policy::Public | Policy::Protected(_))
        )
    }

    fn wrong_codes(&self, known: bool) -> &Buckets<String> {
        if known {
            &self.wrong_per_event
        } else {
            &self.wrong_per_unknown
        }
    }

    /// `Ok(true)`: the request may read a protected event (its answer is private);
    /// `Ok(false)`: the event is public (or unknown and answered 404 by the handler).
    async fn admit(&self, event_id: &str, headers: &HeaderMap, ip: IpAddr) -> ApiResult<bool> {
        let (policy, known) = match self.policy(event_id).await? {
            Policy::Public | Policy::Unknown { guarded: false } => return Ok(false),
            Policy::Protected(access) => (Some(access), true),
            Policy::Unknown { guarded: true } => (None, false),
        };
        let given = headers
            .get(ACCESS_CODE_HEADER)
            .map(|value| value.to_str().unwrap_or_default());
        let client = client_key(ip);
        let event_key = event_id.to_string();
        let wait = if given.is_some() {
            self.wrong_per_ip
                .wait(&client)
                .max(self.wrong_codes(known).wait(&event_key))
        } else {
            0
        };
        if wait == 0
            && let (Some(given), Some(policy)) = (given, &policy)
            && policy.admits(given)
        {
            return Ok(true);
        }
        // A token decides next (an organiser whose phone still holds an old code is let in by
        // it): tokens cannot be guessed, so no limit applies.
        if let Some(token) = bearer(headers) {
            let (token, id) = (token.to_string(), event_id.to_string());
            self.db
                .read(move |tx| auth::authenticate(tx, &token)?.may_read(&id))
                .await?;
            return Ok(true);
        }
        if wait > 0 {
            tracing::info!(event = event_id, %ip, wait, "access refused: too many wrong codes");
            return Err(too_many(
                "too many wrong access codes; try again after the time in Retry-After",
                wait,
            ));
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
        // Within both limits (checked above): these takes succeed; each wrong code costs both.
        let _ = self.wrong_per_ip.take(client);
        let _ = self.wrong_codes(known).take(event_key);
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

fn policy_of(access: Arc<Access>) -> Policy {
    match *access {
        Access::Public => Policy::Public,
        Access::Code { .. } => Policy::Protected(access),
    }
}

/// What the read middleware needs: the gate, and the heads to answer an unchanged poll; and
/// for the front, which answers some such polls before any middleware, the device counter.
#[derive(Clone)]
pub struct ReadState {
    pub gate: Arc<Gate>,
    pub heads: Arc<Heads>,
    pub devices: Arc<DeviceCounter>,
}

/// Middleware: decides every read of a route with an `{event}` (see the module documentation),
/// refusing with 401 (403 for a token of another event, 429 over the limits); answers an
/// admitted no-change poll 304 from the head in memory (`poll::answer_from_memory`, the hot
/// path: one layer, no allocation); and marks the answers to admitted reads of a protected
/// event private.
pub async fn require_access(
    State(read): State<ReadState>,
    request: Request,
    next: Next,
) -> Response {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return next.run(request).await;
    }
    let (mut parts, body) = request.into_parts();
    // The id as the handler will get it: spelled as it is, it is the router's decoding of
    // itself; anything else is decoded here the router's way and refused (or not an event).
    let event = match canonical_event(&parts) {
        Some(event) => event,
        None => match event_of(&mut parts).await {
            Ok(None) => return next.run(Request::from_parts(parts, body)).await,
            Ok(Some(event)) => {
                // Unreachable: a decoded id that passes was spelled as it is. Refuse all
                // the same rather than admit on a second reading.
                return ApiError::internal("checking access", format!("event '{event}'"))
                    .into_response();
            }
            Err(refusal) => return refusal.into_response(),
        },
    };
    let ip = client_ip(&parts.extensions);
    let private = match read.gate.admit(event, &parts.headers, ip).await {
        Ok(private) => private,
        Err(refusal) => return shown(&parts, refusal.into_response()),
    };
    let mut response = match answer_from_memory(&read.heads, event, &parts) {
        Some(not_modified) => not_modified,
        None => {
            let event = event.to_string();
            parts.extensions.insert(ReadAccess { event });
            next.run(Request::from_parts(parts, body)).await
        }
    };
    if private {
        mark_private(response.headers_mut());
    }
    response
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

/// A refusal as its reader sees it: the attendee pages show the access-code form (its status
/// and `Retry-After` kept, and the same for every event id), the API its JSON.
fn shown(parts: &axum::http::request::Parts, refusal: Response) -> Response {
    let status = refusal.status();
    let asks_for_code =
        status == StatusCode::UNAUTHORIZED || status == StatusCode::TOO_MANY_REQUESTS;
    if asks_for_code && crate::programme::locked::is_attendee_page(parts.uri.path()) {
        let wait = refusal.headers().get(header::RETRY_AFTER).cloned();
        return crate::programme::locked::locked(status, &parts.headers, wait);
    }
    refusal
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::sync::atomic::Ordering;
    use std::time::Duration;

    use super::*;
    use crate::store::testing::{StuckReads, event_with_track};

    const EVENT: &str = "mp-nordwest";

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_crowd_asking_for_a_policy_not_in_memory_waits_for_one_read() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(dir.path()).unwrap();
        event_with_track(&db, EVENT, "t1");
        let config = Config::new(dir.path(), "127.0.0.1:0".parse().unwrap());
        let gate = Arc::new(Gate::new(db.clone(), &config));
        // Every read slot taken until the crowd is waiting, so that no request finds the
        // policy remembered by an earlier one that simply finished first.
        let stuck = StuckReads::take(&db);
        let crowd: Vec<_> = (0..20)
            .map(|_| {
                let gate = gate.clone();
                tokio::spawn(async move { matches!(gate.policy(EVENT).await, Ok(Policy::Public)) })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(200)).await;
        stuck.release().await;
        for request in crowd {
            assert!(request.await.unwrap());
        }
        assert_eq!(gate.reads.load(Ordering::Relaxed), 1);
        assert!(gate.public_now(EVENT));
    }
}
