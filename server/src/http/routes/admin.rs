//! Token administration over HTTP (admin token): `POST /v1/admin/tokens` issues one (creating
//! the event of an organiser or attendee token if new), `GET /v1/admin/tokens[?event=E]` lists
//! them (never their secrets), `DELETE /v1/admin/tokens/{id}` revokes one.
//! `PUT /v1/admin/events/{event}/access-code` (`{"code": "..."}`) makes an event readable only
//! with that code; `DELETE` on it makes the event public again.
//! The same is available offline on the data directory through `Admin` (`marktplatz token`).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use crate::http::caching::json_no_store;
use crate::http::error::{ApiError, ApiResult};
use crate::http::event_param::check_event_id;
use crate::http::extract::{Administrator, EventId, Query};
use crate::http::state::AppState;
use crate::store::auth::{self, Role, TokenSpec};
use crate::store::{access, change_log};

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
    Administrator(admin): Administrator,
    Json(request): Json<IssueRequest>,
) -> ApiResult<Response> {
    if let Some(event) = &request.event {
        check_event_id(event)?;
    }
    let issued = state
        .db
        .write(move |tx| {
            if let (Some(event), Role::Organiser | Role::Attendee) = (&request.event, request.role)
            {
                change_log::ensure_event(tx, event)?;
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
    tracing::info!(
        by = admin.token_id,
        id = issued.id,
        role = issued.role.as_str(),
        event = issued.event,
        "token issued"
    );
    let body = serde_json::to_vec(&issued).map_err(|e| ApiError::internal("encoding", e))?;
    let mut response = json_no_store(body);
    *response.status_mut() = StatusCode::CREATED;
    Ok(response)
}

#[derive(Deserialize)]
pub struct TokensQuery {
    event: Option<String>,
}

pub async fn get_tokens(
    State(state): State<AppState>,
    _admin: Administrator,
    Query(query): Query<TokensQuery>,
) -> ApiResult<Response> {
    if let Some(event) = &query.event {
        check_event_id(event)?;
    }
    let list = state
        .db
        .read(move |tx| auth::list(tx, query.event.as_deref()))
        .await?;
    let body = serde_json::to_vec(&list).map_err(|e| ApiError::internal("encoding", e))?;
    Ok(json_no_store(body))
}

pub async fn delete_token(
    State(state): State<AppState>,
    Administrator(admin): Administrator,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let revoked = id.clone();
    let was_active = state.db.write(move |tx| auth::revoke(tx, &revoked)).await?;
    tracing::info!(by = admin.token_id, id, was_active, "token revoked");
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
    EventId(event): EventId,
    Administrator(admin): Administrator,
    Json(request): Json<AccessCodeRequest>,
) -> ApiResult<Response> {
    let replaced = set_access_code(&state, &admin, event, Some(request.code)).await?;
    Ok(json_no_store(
        format!("{{\"protected\":true,\"replaced\":{replaced}}}").into_bytes(),
    ))
}

pub async fn delete_access_code(
    State(state): State<AppState>,
    EventId(event): EventId,
    Administrator(admin): Administrator,
) -> ApiResult<Response> {
    let had_code = set_access_code(&state, &admin, event, None).await?;
    Ok(json_no_store(
        format!("{{\"protected\":false,\"had_code\":{had_code}}}").into_bytes(),
    ))
}

/// Sets or clears the event's code; whether it had one before.
async fn set_access_code(
    state: &AppState,
    admin: &auth::Principal,
    event: String,
    code: Option<String>,
) -> ApiResult<bool> {
    let protect = code.is_some();
    let id = event.clone();
    let had_code = state
        .db
        .write(move |tx| access::set(tx, &id, code.as_deref()))
        .await?;
    tracing::info!(
        by = admin.token_id,
        event,
        protect,
        had_code,
        "access code set"
    );
    Ok(had_code)
}
