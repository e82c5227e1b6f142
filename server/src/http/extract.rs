//! Extractors: what a handler needs from a request, checked before the handler runs. The event
//! id is taken from the path exactly as the router decoded it; a principal is the bearer
//! token's holder, authenticated from the headers alone.

use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use marktplatz_model::ops::{IDEMPOTENCY_KEY, is_valid_key};

use super::access::ReadAccess;
use super::credentials::bearer;
use super::error::{ApiError, ApiResult};
use super::event_param::event_of;
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
