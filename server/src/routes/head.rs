//! `GET /v1/events/{event}/head`: where the change log stands.

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;

use marktplatz_model::wire::head_etag;

use super::{AppState, event_id};
use crate::error::{ApiError, ApiResult};
use crate::http::{SHORT, json, not_modified};

pub async fn get_head(
    State(state): State<AppState>,
    Path(event): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    event_id(&event)?;
    let head = state.db.current_head(&event).await?;
    let etag = head_etag(&head);
    if crate::http::if_none_match(&headers, &etag) {
        return Ok(not_modified(&etag, SHORT));
    }
    let body =
        serde_json::to_vec(&*head).map_err(|e| ApiError::internal("encoding the head", e))?;
    Ok(json(body, &etag, SHORT))
}
