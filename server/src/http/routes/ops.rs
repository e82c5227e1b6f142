//! `POST /v1/events/{event}/ops`: one organiser operation (organiser token, `Idempotency-Key`).
//! See `store::ops` and `docs/adr/0006-organiser-ops.md`. `GET .../ops/overridden`: which of
//! them a later publish undid (`store::overrides`).

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue};
use axum::response::Response;

use marktplatz_model::ops::REPLAYED;
use marktplatz_model::preview::OverriddenOps;

use crate::http::caching::json_no_store;
use crate::http::error::{ApiError, ApiResult};
use crate::http::extract::{IdempotencyKey, Organiser};
use crate::http::state::AppState;
use crate::http::writes;
use crate::store::{change_log, ops, overrides};

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

/// `GET /v1/events/{event}/ops/overridden`: the token's operations whose effect a later publish
/// undid, with the release that did (ADR 0013); the organiser's outbox shows them as
/// "overridden by release N".
pub async fn get_overridden(
    State(state): State<AppState>,
    Organiser { principal, event }: Organiser,
) -> ApiResult<Response> {
    let subject = principal.subject.clone();
    let list = state
        .db
        .read(move |tx| {
            change_log::require_head(tx, &event)?;
            Ok(OverriddenOps {
                overridden: overrides::overridden(tx, &event, &subject)?,
            })
        })
        .await?;
    let body = serde_json::to_vec(&list)
        .map_err(|e| ApiError::internal("encoding the overridden operations", e))?;
    Ok(json_no_store(body))
}
