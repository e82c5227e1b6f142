//! `POST /v1/events/{event}/ops`: one organiser operation (organiser token, `Idempotency-Key`).
//! See `store::ops` and `docs/adr/0006-organiser-ops.md`.

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue};
use axum::response::Response;

use marktplatz_model::ops::REPLAYED;

use crate::http::caching::json_no_store;
use crate::http::error::{ApiError, ApiResult};
use crate::http::extract::{IdempotencyKey, Organiser};
use crate::http::state::AppState;
use crate::http::writes;
use crate::store::ops;

/// An operation is a few hundred bytes; a photo travels separately as an asset.
pub const MAX_OP_BYTES: usize = 64 * 1024;

pub async fn post_op(
    State(state): State<AppState>,
    Organiser { principal, event }: Organiser,
    IdempotencyKey(key): IdempotencyKey,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Response> {
    let body = state
        .bodies
        .to_memory(
            &headers,
            body,
            MAX_OP_BYTES,
            "an operation (upload photos as assets)",
        )
        .await?;
    let applied = writes::apply_op(&state, &event, principal, key, body.bytes.to_vec()).await?;
    let outcome = applied.outcome();
    let json =
        serde_json::to_vec(outcome).map_err(|e| ApiError::internal("encoding the outcome", e))?;
    let mut response = json_no_store(json);
    if matches!(applied, ops::Applied::Replayed(_)) {
        response
            .headers_mut()
            .insert(REPLAYED, HeaderValue::from_static("true"));
    }
    Ok(response)
}
