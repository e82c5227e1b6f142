//! `POST /v1/events/{event}/ops`: one organiser operation (organiser token, `Idempotency-Key`).
//! See `crate::ops` and `docs/adr/0006-organiser-ops.md`.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;

use marktplatz_model::ops::{IDEMPOTENCY_KEY, REPLAYED, is_valid_key};
use marktplatz_model::wire::code;

use super::{AppState, event_id};
use crate::error::{ApiError, ApiResult};
use crate::http::json_no_store;
use crate::{auth, ops};

/// An operation is a few hundred bytes; a photo travels separately as an asset.
pub const MAX_OP_BYTES: usize = 64 * 1024;

pub async fn post_op(
    State(state): State<AppState>,
    Path(event): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    event_id(&event)?;
    let principal = {
        let (event, headers) = (event.clone(), headers.clone());
        state
            .db
            .read(move |tx| auth::require_organiser(tx, &headers, &event))
            .await?
    };
    let key = headers
        .get(IDEMPOTENCY_KEY)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .ok_or_else(|| {
            ApiError::bad_request(
                "send an Idempotency-Key header (8 to 128 characters of A-Z, a-z, 0-9, '-', '_') with every operation",
            )
        })?
        .to_string();
    if !is_valid_key(&key) {
        return Err(ApiError::bad_request(
            "the Idempotency-Key must be 8 to 128 characters of A-Z, a-z, 0-9, '-', '_'",
        ));
    }
    if body.len() > MAX_OP_BYTES {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            code::PAYLOAD_TOO_LARGE,
            format!("an operation is at most {MAX_OP_BYTES} bytes; upload photos as assets"),
        ));
    }
    let db = state.db.clone();
    let data_dir = state.config.data_dir.clone();
    let applied = tokio::task::spawn_blocking(move || {
        ops::apply(&db, &data_dir, &event, &principal, &key, &body)
    })
    .await
    .map_err(|e| ApiError::internal("applying an operation", e))??;
    let json = serde_json::to_vec(applied.outcome())
        .map_err(|e| ApiError::internal("encoding the outcome", e))?;
    let mut response = json_no_store(json);
    if matches!(applied, ops::Applied::Replayed(_)) {
        response
            .headers_mut()
            .insert(REPLAYED, HeaderValue::from_static("true"));
    }
    Ok(response)
}
