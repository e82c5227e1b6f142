//! `PUT /v1/events/{event}/bundle` publishes a whole bundle (organiser token);
//! `GET` returns the current content as one bundle (exports, and the benchmark's baseline:
//! what schedule apps do when they re-download the whole file with an ETag).

use axum::body::Body;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;

use marktplatz_model::bundle::Bundle;
use marktplatz_model::model::EntityKind;
use marktplatz_model::preview::CONFIRM_YES;
use marktplatz_model::source::DEFAULT_SOURCE;
use marktplatz_model::wire::code;

use crate::http::caching::{SHORT, if_none_match, json, json_no_store, not_modified};
use crate::http::error::{ApiError, ApiResult};
use crate::http::extract::{IdempotencyKey, Organiser, Query, Readable};
use crate::http::state::AppState;
use crate::http::writes;
use crate::store::publish_keys::PublishKey;
use crate::store::releases::Publisher;
use crate::store::{StoreError, change_log};
use marktplatz_model::ops::IDEMPOTENCY_KEY;

/// `?source=NAME&note=TEXT&confirm=yes`: the publishing source (default [`DEFAULT_SOURCE`],
/// for older clients), the release note, and the confirmation of a publish the guards refuse.
#[derive(serde::Deserialize)]
pub struct PublishParams {
    pub(super) source: Option<String>,
    pub(super) note: Option<String>,
    pub(super) confirm: Option<String>,
}

pub async fn put_bundle(
    State(state): State<AppState>,
    Organiser { principal, event }: Organiser,
    Query(params): Query<PublishParams>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Response> {
    let by = params.publisher(&principal.subject)?;
    // Optional for a publish (older clients send none); with one, a retry is answered once.
    let key = match headers.contains_key(IDEMPOTENCY_KEY) {
        true => Some(PublishKey {
            subject: principal.subject.clone(),
            key: IdempotencyKey::from_headers(&headers)?.0,
        }),
        false => None,
    };
    let body = state
        .bodies
        .to_memory(&headers, body, state.config.max_body_bytes, "a bundle")
        .await?;
    let outcome = writes::publish(&state, &event, &principal.token_id, by, key, move || {
        Ok(Bundle::from_json(utf8(&body.bytes)?)?)
    })
    .await?;
    let body =
        serde_json::to_vec(&outcome).map_err(|e| ApiError::internal("encoding the outcome", e))?;
    Ok(json_no_store(body))
}

/// `POST /v1/events/{event}/bundle/preview`: what the same PUT would do, storing nothing.
pub async fn preview_bundle(
    State(state): State<AppState>,
    Organiser { principal, event }: Organiser,
    Query(params): Query<PublishParams>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Response> {
    let by = params.publisher(&principal.subject)?;
    let body = state
        .bodies
        .to_memory(&headers, body, state.config.max_body_bytes, "a bundle")
        .await?;
    let text = utf8(&body.bytes)?.to_string();
    let preview = writes::preview(&state, &event, by, text).await?;
    let body =
        serde_json::to_vec(&preview).map_err(|e| ApiError::internal("encoding the preview", e))?;
    Ok(json_no_store(body))
}

impl PublishParams {
    pub(super) fn publisher(self, subject: &str) -> ApiResult<Publisher> {
        if let Some(other) = self.confirm.as_deref().filter(|v| *v != CONFIRM_YES) {
            return Err(ApiError::bad_request(format!(
                "confirm={other}: the only confirmation is confirm={CONFIRM_YES}"
            )));
        }
        Ok(Publisher {
            source: self.source.unwrap_or_else(|| DEFAULT_SOURCE.to_string()),
            subject: subject.to_string(),
            note: self.note.unwrap_or_default(),
            confirmed: self.confirm.is_some(),
        })
    }
}

fn utf8(bytes: &[u8]) -> Result<&str, StoreError> {
    std::str::from_utf8(bytes).map_err(|_| StoreError::Malformed {
        code: code::MALFORMED_BUNDLE,
        message: "the bundle is not UTF-8 text".into(),
    })
}

pub async fn get_bundle(
    State(state): State<AppState>,
    Readable(event): Readable,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let change_log::Current { head, entities, .. } = state
        .db
        .read(move |tx| change_log::current_entities(tx, &event))
        .await?;
    let etag = format!("\"{}.{}\"", head.epoch, head.seq);
    if if_none_match(&headers, &etag) {
        return Ok(not_modified(&etag, SHORT));
    }
    if !entities.iter().any(|e| e.kind() == EntityKind::Event) {
        return Err(ApiError::not_found(format!(
            "event '{}' has no published content yet",
            head.event
        )));
    }
    let bundle = Bundle::from_entities(entities).map_err(StoreError::from)?;
    let body = serde_json::to_vec(&bundle).map_err(|e| ApiError::internal("encoding", e))?;
    Ok(json(body, &etag, SHORT))
}
