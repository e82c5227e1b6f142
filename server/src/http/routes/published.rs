//! `GET /v1/events/{event}/published?source=NAME`: the sessions a source published last
//! (organiser of the event or admin), so that a file without ids can keep them
//! (`docs/adr/0015-stable-identity.md`). An event or source never published has none.

use axum::extract::State;
use axum::response::Response;

use marktplatz_model::model::{Entity, EntityKind};
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
            let mut sessions = Vec::new();
            for ((kind, id), body) in sources::published_by(tx, &event, &source)? {
                if kind != EntityKind::Session {
                    continue;
                }
                match Entity::from_json(kind, &body) {
                    Ok(Entity::Session(session)) => sessions.push(session),
                    Ok(_) | Err(_) => {
                        return Err(StoreError::internal(
                            "reading a source's sessions",
                            format!("session '{id}' has a stored body that is not a session"),
                        ));
                    }
                }
            }
            sessions.sort_by(|a, b| a.id.cmp(&b.id));
            Ok(PublishedSource { source, sessions })
        })
        .await?;
    let body = serde_json::to_vec(&published)
        .map_err(|e| ApiError::internal("encoding the published sessions", e))?;
    Ok(json_no_store(body))
}
