//! Extractors: what a handler needs from a request, checked before the handler runs. The event
//! id is taken from the path exactly as the router decoded it; a principal is the bearer
//! token's holder, authenticated from the headers alone.

use axum::extract::rejection::RawPathParamsRejection;
use axum::extract::{FromRequestParts, MatchedPath, RawPathParams};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use marktplatz_core::ops::{IDEMPOTENCY_KEY, is_valid_key};
use marktplatz_core::wire::is_valid_event_id;

use super::access::ReadAccess;
use super::credentials::bearer;
use super::error::{ApiError, ApiResult};
use super::rate_limit::client_ip;
use super::state::AppState;
use crate::store::auth::{self, Principal};

/// The `{event}` of the path, exactly as the router decoded it for the handler, and a valid
/// event id written as it is (400 otherwise).
#[derive(Clone, Debug)]
pub struct EventId(pub String);

impl<S: Send + Sync> FromRequestParts<S> for EventId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> ApiResult<EventId> {
        match event_of(parts).await? {
            Some(event) => Ok(EventId(event)),
            None => Err(ApiError::internal("routing", "a route without {event}")),
        }
    }
}

/// The `{event}` of a routed request (`None`: the route has none): the parameter as decoded
/// for the handler (the same extraction `Path` uses), which must be a valid event id and
/// spelled in the path exactly so. Valid ids hold only characters a path carries as they are,
/// so a percent-encoded one is refused rather than read two ways (by the handler decoded, by
/// anything keyed by the raw path).
pub async fn event_of(parts: &mut Parts) -> ApiResult<Option<String>> {
    let params = match RawPathParams::from_request_parts(parts, &()).await {
        Ok(params) => params,
        Err(RawPathParamsRejection::MissingPathParams(_)) => return Ok(None),
        Err(e) => return Err(ApiError::bad_request(e.body_text())),
    };
    let Some(event) = params
        .iter()
        .find(|(key, _)| *key == "event")
        .map(|(_, v)| v)
    else {
        return Ok(None);
    };
    check_event_id(event)?;
    if raw_segment(parts, "event") != Some(event) {
        return Err(ApiError::bad_request(format!(
            "write the event id '{event}' as it is, without percent-encoding"
        )));
    }
    Ok(Some(event.to_string()))
}

/// The `{event}` of a routed request when it is spelled as a valid event id: such an id holds no
/// `%`, so the router's percent-decoding gives it unchanged, and this is exactly what
/// [`event_of`] (and the handler) get, without decoding anything. `None` for anything else
/// (no `{event}` in the route, or one that [`event_of`] will decode and refuse).
pub fn canonical_event(parts: &Parts) -> Option<&str> {
    raw_segment(parts, "event").filter(|raw| is_valid_event_id(raw))
}

/// The raw (undecoded) path segment where the matched route has `{name}`.
fn raw_segment<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    let template = parts.extensions.get::<MatchedPath>()?.as_str();
    let index = template.split('/').position(|segment| {
        segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) == Some(name)
    })?;
    parts.uri.path().split('/').nth(index)
}

/// An event this request may read: the gate (`access::require_access`) admitted it, for the
/// same decoded id the handler gets. Without the gate's word the handler does not run (500):
/// a read route the gate does not cover can never serve a protected event.
pub struct Readable(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Readable {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> ApiResult<Readable> {
        let EventId(event) = EventId::from_request_parts(parts, state).await?;
        match parts.extensions.get::<ReadAccess>() {
            Some(admitted) if admitted.event == event => Ok(Readable(event)),
            _ => Err(ApiError::internal(
                "checking access",
                format!("a read of event '{event}' the access gate did not see"),
            )),
        }
    }
}

/// Checks an event id named by a request.
pub fn check_event_id(event: &str) -> ApiResult<()> {
    if is_valid_event_id(event) {
        Ok(())
    } else {
        Err(ApiError::bad_request(format!(
            "'{event}' is not an event id (letters, digits, '-', '_' and '.', at most 100)"
        )))
    }
}

/// The principal behind the request's bearer token: 401 when there is none, or it is unknown,
/// revoked or expired.
async fn authenticate(state: &AppState, headers: &HeaderMap) -> ApiResult<Principal> {
    let token = bearer(headers)
        .ok_or_else(|| {
            ApiError::unauthorized("this needs a token: send Authorization: Bearer <token>")
        })?
        .to_string();
    Ok(state
        .db
        .read(move |tx| auth::authenticate(tx, &token))
        .await?)
}

/// Any valid token's holder.
pub struct Authenticated(pub Principal);

impl FromRequestParts<AppState> for Authenticated {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Self> {
        let principal = authenticate(state, &parts.headers)
            .await
            .inspect_err(|refusal| {
                let ip = client_ip(&parts.extensions);
                tracing::info!(%ip, reason = refusal.message, "authentication refused");
            })?;
        // Charged only now: a token nobody can present cannot be used up by others.
        state.limits.charge_token(&principal.token_id)?;
        Ok(Authenticated(principal))
    }
}

/// The organiser of the path's event, or an admin (403 for anyone else).
pub struct Organiser {
    pub principal: Principal,
    pub event: String,
}

impl FromRequestParts<AppState> for Organiser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Self> {
        let EventId(event) = EventId::from_request_parts(parts, state).await?;
        let Authenticated(principal) = Authenticated::from_request_parts(parts, state).await?;
        principal.may_write(&event)?;
        Ok(Organiser { principal, event })
    }
}

/// Someone who may upload assets: any organiser, or an admin.
pub struct Uploader(pub Principal);

impl FromRequestParts<AppState> for Uploader {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Self> {
        let Authenticated(principal) = Authenticated::from_request_parts(parts, state).await?;
        principal.may_upload()?;
        Ok(Uploader(principal))
    }
}

/// An admin.
pub struct Administrator(pub Principal);

impl FromRequestParts<AppState> for Administrator {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Self> {
        let Authenticated(principal) = Authenticated::from_request_parts(parts, state).await?;
        principal.may_administer()?;
        Ok(Administrator(principal))
    }
}

/// The `Idempotency-Key` of an organiser operation (400 when missing or malformed).
pub struct IdempotencyKey(pub String);

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKey {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> ApiResult<Self> {
        IdempotencyKey::from_headers(&parts.headers)
    }
}

impl IdempotencyKey {
    pub fn from_headers(headers: &HeaderMap) -> ApiResult<Self> {
        let key = headers
            .get(IDEMPOTENCY_KEY)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .ok_or_else(|| {
                ApiError::bad_request(
                    "send an Idempotency-Key header (8 to 128 characters of A-Z, a-z, 0-9, '-', '_') with every operation",
                )
            })?;
        if !is_valid_key(key) {
            return Err(ApiError::bad_request(
                "the Idempotency-Key must be 8 to 128 characters of A-Z, a-z, 0-9, '-', '_'",
            ));
        }
        Ok(IdempotencyKey(key.to_string()))
    }
}

/// The query string as `T` (unknown keys are ignored), 400 with what was wrong otherwise.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> ApiResult<Self> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(value)| Query(value))
            .map_err(|e| ApiError::bad_request(e.body_text()))
    }
}
