//! `GET /v1/events`: the events this server offers to anyone, for a device's event picker
//! (events with content and no access code; `wire::EventList`).

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;

use marktplatz_model::assets::sha256_hex;
use marktplatz_model::wire::EventList;

use crate::http::caching::{SHORT, if_none_match, json, not_modified};
use crate::http::error::{ApiError, ApiResult};
use crate::http::state::AppState;
use crate::store::listing;

pub async fn get_events(State(state): State<AppState>, headers: HeaderMap) -> ApiResult<Response> {
    let events = state.db.read(listing::public_events).await?;
    let body = serde_json::to_vec(&EventList { events })
        .map_err(|e| ApiError::internal("encoding the event list", e))?;
    // The list changes rarely: a device that asks again gets a 304.
    let etag = format!("\"{}\"", &sha256_hex(&body)[..16]);
    if if_none_match(&headers, &etag) {
        return Ok(not_modified(&etag, SHORT));
    }
    Ok(json(body, &etag, SHORT))
}
