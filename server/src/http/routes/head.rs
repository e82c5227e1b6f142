//! `GET /v1/events/{event}/head`: where the change log stands.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;

use marktplatz_model::wire::head_etag;

use crate::http::caching::{SHORT, json};
use crate::http::error::{ApiError, ApiResult};
use crate::http::extract::Readable;
use crate::http::poll::{Poll, unchanged};
use crate::http::state::AppState;

pub async fn get_head(
    State(state): State<AppState>,
    Readable(event): Readable,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let head = state.heads.current(&event).await?;
    if let Some(not_modified) = unchanged(&head, Poll::Head, &headers) {
        return Ok(not_modified);
    }
    let body =
        serde_json::to_vec(&*head).map_err(|e| ApiError::internal("encoding the head", e))?;
    Ok(json(body, &head_etag(&head), SHORT))
}
