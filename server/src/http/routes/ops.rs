//! `POST /v1/events/{event}/ops`: one organiser operation (organiser token, `Idempotency-Key`).
//! See `store::ops` and `docs/adr/0006-organiser-ops.md`.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue};
use axum::response::Response;

use marktplatz_core::ops::REPLAYED;

use crate::http::caching::json_no_store;
use crate::http::error::{ApiError, ApiResult};
use crate::http::extract::{EventId, IdempotencyKey, authenticate};
use crate::http::state::AppState;
use crate::store::{self, ops};

/// An operation is a few hundred bytes; a photo travels separately as an asset.
pub const MAX_OP_BYTES: usize = 64 * 1024;

pub async fn post_op(
    State(state): State<AppState>,
    EventId(event): EventId,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let principal = authenticate(&state, &headers).await?;
    principal.may_write(&event)?;
    let IdempotencyKey(key) = IdempotencyKey::from_headers(&headers)?;
    if body.len() > MAX_OP_BYTES {
        tracing::info!(event, size = body.len(), "operation too large");
        return Err(ApiError::payload_too_large(format!(
            "an operation is at most {MAX_OP_BYTES} bytes; upload photos as assets"
        )));
    }
    let (db, data_dir) = (state.db.clone(), state.config.data_dir.clone());
    let (applied_event, subject) = (event.clone(), principal.subject.clone());
    let applied = store::blocking("applying an operation", move || {
        ops::apply(&db, &data_dir, &applied_event, &principal, &key, &body)
    })
    .await??;
    let outcome = applied.outcome();
    tracing::info!(
        event,
        subject,
        kind = %outcome.kind,
        id = outcome.id,
        seq = outcome.seq,
        changed = outcome.changed,
        replayed = matches!(applied, ops::Applied::Replayed(_)),
        "operation"
    );
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
