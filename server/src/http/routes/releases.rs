//! `GET /v1/events/{event}/releases`: every publish of the event, newest first (organiser of
//! the event or admin; ADR 0013). `POST /v1/events/{event}/revert?to=N` publishes again what
//! release N published (guarded like a publish: `&confirm=yes`); `POST .../revert/preview?to=N`
//! says what that would do.

use axum::extract::State;
use axum::response::Response;

use marktplatz_model::source::ReleaseList;

use crate::http::caching::json_no_store;
use crate::http::error::{ApiError, ApiResult};
use crate::http::extract::Organiser;
use crate::http::extract::Query;
use crate::http::routes::bundle::PublishParams;
use crate::http::state::AppState;
use crate::http::writes;
use crate::store::{self, change_log, releases};

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

/// `?to=N&note=TEXT&confirm=yes`: the release to restore, the new release's note, and the
/// confirmation a guarded revert needs.
#[derive(serde::Deserialize)]
pub struct RevertParams {
    to: u64,
    note: Option<String>,
    confirm: Option<String>,
}

impl RevertParams {
    fn split(self, subject: &str) -> ApiResult<(u64, store::releases::Publisher)> {
        let by = PublishParams {
            source: None,
            note: self.note,
            confirm: self.confirm,
        }
        .publisher(subject)?;
        Ok((self.to, by))
    }
}

pub async fn revert(
    State(state): State<AppState>,
    Organiser { principal, event }: Organiser,
    Query(params): Query<RevertParams>,
) -> ApiResult<Response> {
    let (to, by) = params.split(&principal.subject)?;
    let outcome = writes::revert(&state, &event, &principal.token_id, to, by).await?;
    let body =
        serde_json::to_vec(&outcome).map_err(|e| ApiError::internal("encoding the outcome", e))?;
    Ok(json_no_store(body))
}

pub async fn preview_revert(
    State(state): State<AppState>,
    Organiser { principal, event }: Organiser,
    Query(params): Query<RevertParams>,
) -> ApiResult<Response> {
    let (to, by) = params.split(&principal.subject)?;
    let preview = writes::preview_revert(&state, &event, to, by).await?;
    let body =
        serde_json::to_vec(&preview).map_err(|e| ApiError::internal("encoding the preview", e))?;
    Ok(json_no_store(body))
}
