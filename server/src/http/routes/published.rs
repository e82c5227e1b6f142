//! `GET /v1/events/{event}/published?source=NAME`: the sessions and exhibitors a source
//! published last (organiser of the event or admin), so that a file without ids can keep them
//! (`docs/adr/0015-stable-identity.md`). An event or source never published has none.

use axum::extract::State;
use axum::response::Response;

use marktplatz_model::model::EntityKind;
use marktplatz_model::source::{MAX_SOURCE_CHARS, PublishedSource, is_valid_source};

use crate::http::caching::json_no_store;
use crate::http::error::{ApiError, ApiResult};
use crate::http::extract::{Organiser, Query};
use crate::http::state::AppState;
use crate::store::{StoreError, sources};

#[derive(serde::Deserialize)]
pub struct SourceParam {
    source: String,
}

pub async fn get_published(
    State(state): State<AppState>,
    Organiser { event, .. }: Organiser,
    Query(SourceParam { source }): Query<SourceParam>,
) -> ApiResult<Response> {
    if !is_valid_source(&source) {
        return Err(ApiError::bad_request(format!(
            "'{source}' is not a source name (1 to {MAX_SOURCE_CHARS} letters, digits, '.', '_' or '-')"
        )));
    }
    let published = state
        .db
        .read(move |tx| {
            let mut published = PublishedSource {
                source: source.clone(),
                ..PublishedSource::default()
            };
            for ((kind, id), body) in sources::published_by(tx, &event, &source)? {
                let stored = |e| {
                    StoreError::internal(
                        "reading a source's entities",
                        format!("{kind} '{id}' has a stored body that does not parse: {e}"),
                    )
                };
                match kind {
                    EntityKind::Session => published
                        .sessions
                        .push(serde_json::from_str(&body).map_err(stored)?),
                    EntityKind::Exhibitor => published
                        .exhibitors
                        .push(serde_json::from_str(&body).map_err(stored)?),
                    _ => {}
                }
            }
            published.sessions.sort_by(|a, b| a.id.cmp(&b.id));
            published.exhibitors.sort_by(|a, b| a.id.cmp(&b.id));
            Ok(published)
        })
        .await?;
    let body = serde_json::to_vec(&published)
        .map_err(|e| ApiError::internal("encoding the published sessions", e))?;
    Ok(json_no_store(body))
}
