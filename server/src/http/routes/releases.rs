//! `GET /v1/events/{event}/releases`: every publish of the event, newest first (organiser of
//! the event or admin; ADR 0013).

use axum::extract::State;
use axum::response::Response;

use marktplatz_model::source::ReleaseList;

use crate::http::caching::json_no_store;
use crate::http::error::{ApiError, ApiResult};
use crate::http::extract::Organiser;
use crate::http::state::AppState;
use crate::store::{change_log, releases};

pub async fn get_releases(
    State(state): State<AppState>,
    Organiser { event, .. }: Organiser,
) -> ApiResult<Response> {
    let list = state
        .db
        .read(move |tx| {
            change_log::require_head(tx, &event)?;
            Ok(ReleaseList {
                releases: releases::list(tx, &event)?,
            })
        })
        .await?;
    let body =
        serde_json::to_vec(&list).map_err(|e| ApiError::internal("encoding the releases", e))?;
    Ok(json_no_store(body))
}
