//! `PUT /v1/events/{event}/bundle` publishes a whole bundle (organiser token);
//! `GET` returns the current content as one bundle (exports, and the benchmark's baseline:
//! what schedule apps do when they re-download the whole file with an ETag).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;

use marktplatz_model::bundle::Bundle;
use marktplatz_model::model::{Entity, EntityKind};
use marktplatz_model::wire::code;

use super::{AppState, event_id};
use crate::error::{ApiError, ApiResult};
use crate::http::{SHORT, if_none_match, json, json_no_store, not_modified};
use crate::{auth, log, publish};

pub async fn put_bundle(
    State(state): State<AppState>,
    Path(event): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    event_id(&event)?;
    {
        let event = event.clone();
        state
            .db
            .read(move |tx| auth::require_organiser(tx, &headers, &event))
            .await?;
    }
    let text = String::from_utf8(body.to_vec()).map_err(|_| {
        ApiError::new(
            axum::http::StatusCode::BAD_REQUEST,
            code::MALFORMED_BUNDLE,
            "the bundle is not UTF-8 text",
        )
    })?;
    let db = state.db.clone();
    let data_dir = state.config.data_dir.clone();
    let retention = state.config.tombstone_retention_secs;
    let outcome = tokio::task::spawn_blocking(move || {
        publish::publish_bundle_text(&db, &data_dir, &event, &text, retention)
    })
    .await
    .map_err(|e| ApiError::internal("publishing", e))??;
    let body =
        serde_json::to_vec(&outcome).map_err(|e| ApiError::internal("encoding the outcome", e))?;
    Ok(json_no_store(body))
}

pub async fn get_bundle(
    State(state): State<AppState>,
    Path(event): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    event_id(&event)?;
    let (head, rows) = state
        .db
        .read(move |tx| {
            let head = log::require_head(tx, &event)?;
            let (rows, _) =
                log::changes_since(tx, &event, 0, u64::MAX, usize::MAX - 1, usize::MAX)?;
            Ok((head, rows))
        })
        .await?;
    let etag = format!("\"{}.{}\"", head.epoch, head.seq);
    if if_none_match(&headers, &etag) {
        return Ok(not_modified(&etag, SHORT));
    }
    let mut entities = Vec::with_capacity(rows.len());
    for row in rows {
        if let Some(body) = row.body {
            let entity = Entity::from_json(row.kind, &body)
                .map_err(|e| ApiError::internal("reading a stored entity", e))?;
            entities.push(entity);
        }
    }
    if !entities.iter().any(|e| e.kind() == EntityKind::Event) {
        return Err(ApiError::not_found(format!(
            "event '{}' has no published content yet",
            head.event
        )));
    }
    let bundle = Bundle::from_entities(entities)?;
    let body = serde_json::to_vec(&bundle).map_err(|e| ApiError::internal("encoding", e))?;
    Ok(json(body, &etag, SHORT))
}
