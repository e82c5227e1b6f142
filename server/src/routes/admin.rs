//! Token administration over HTTP (admin token): `POST /v1/admin/tokens` issues one (creating
//! the event of an organiser or attendee token if new), `GET /v1/admin/tokens[?event=E]` lists
//! them (never their secrets), `DELETE /v1/admin/tokens/{id}` revokes one.
//! `PUT /v1/admin/events/{event}/access-code` (`{"code": "..."}`) makes an event readable only
//! with that code; `DELETE` on it makes the event public again.
//! The same is available offline on the data directory through `Admin` (`marktplatz token`).

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;

use super::{AppState, event_id};
use crate::access;
use crate::auth::{self, Role, TokenSpec};
use crate::error::{ApiError, ApiResult};
use crate::http::{json_no_store, query_pairs};
use crate::log;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssueRequest {
    role: Role,
    #[serde(default)]
    event: Option<String>,
    #[serde(default)]
    subject: Option<String>,
    /// Seconds.
    #[serde(default)]
    expires_in: Option<i64>,
}

pub async fn post_token(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(request): Json<IssueRequest>,
) -> ApiResult<Response> {
    if let Some(event) = &request.event {
        event_id(event)?;
    }
    let issued = state
        .db
        .write(move |tx| {
            auth::require_admin(tx, &headers)?;
            if let (Some(event), Role::Organiser | Role::Attendee) = (&request.event, request.role)
            {
                log::ensure_event(tx, event)?;
            }
            auth::issue(
                tx,
                &TokenSpec {
                    role: request.role,
                    event_id: request.event,
                    subject: request.subject,
                    expires_in: request.expires_in,
                },
            )
        })
        .await?;
    let body = serde_json::to_vec(&issued).map_err(|e| ApiError::internal("encoding", e))?;
    let mut response = json_no_store(body);
    *response.status_mut() = StatusCode::CREATED;
    Ok(response)
}

pub async fn get_tokens(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> ApiResult<Response> {
    let event = query_pairs(query.as_deref())
        .into_iter()
        .find(|(k, _)| *k == "event")
        .map(|(_, v)| v.to_string());
    if let Some(event) = &event {
        event_id(event)?;
    }
    let list = state
        .db
        .read(move |tx| {
            auth::require_admin(tx, &headers)?;
            auth::list(tx, event.as_deref())
        })
        .await?;
    let body = serde_json::to_vec(&list).map_err(|e| ApiError::internal("encoding", e))?;
    Ok(json_no_store(body))
}

pub async fn delete_token(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let was_active = state
        .db
        .write(move |tx| {
            auth::require_admin(tx, &headers)?;
            auth::revoke(tx, &id)
        })
        .await?;
    Ok(json_no_store(
        format!("{{\"revoked\":true,\"was_active\":{was_active}}}").into_bytes(),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessCodeRequest {
    code: String,
}

pub async fn put_access_code(
    State(state): State<AppState>,
    Path(event): Path<String>,
    headers: HeaderMap,
    Json(request): Json<AccessCodeRequest>,
) -> ApiResult<Response> {
    let replaced = set_access_code(&state, event, headers, Some(request.code)).await?;
    Ok(json_no_store(
        format!("{{\"protected\":true,\"replaced\":{replaced}}}").into_bytes(),
    ))
}

pub async fn delete_access_code(
    State(state): State<AppState>,
    Path(event): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let had_code = set_access_code(&state, event, headers, None).await?;
    Ok(json_no_store(
        format!("{{\"protected\":false,\"had_code\":{had_code}}}").into_bytes(),
    ))
}

/// Sets or clears the event's code for an admin; whether it had one before.
async fn set_access_code(
    state: &AppState,
    event: String,
    headers: HeaderMap,
    code: Option<String>,
) -> ApiResult<bool> {
    event_id(&event)?;
    state
        .db
        .write(move |tx| {
            auth::require_admin(tx, &headers)?;
            access::set(tx, &event, code.as_deref())
        })
        .await
}
