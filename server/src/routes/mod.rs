//! The HTTP API, one file per resource. See `docs/adr/0002-sync-protocol.md`.

mod admin;
mod assets;
mod bundle;
mod changes;
mod head;
mod ops;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{delete, get, post, put};
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{Predicate, SizeAbove};

use crate::config::Config;
use crate::db::Db;
use crate::error::ApiError;
use crate::limits;
use crate::pages::{PageCache, cached_pages};

/// Bodies smaller than this are sent as they are: compressing them saves less than the
/// `content-encoding` and `vary` headers cost.
pub const COMPRESS_FROM_BYTES: u64 = 1024;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    /// Finished change pages (see `pages`).
    pub pages: Arc<PageCache>,
}

pub fn router(state: AppState) -> Router {
    let compression = CompressionLayer::new().gzip(true).zstd(true).compress_when(
        SizeAbove::new(COMPRESS_FROM_BYTES)
            .and(tower_http::compression::predicate::NotForContentType::IMAGES),
    );
    let events = Router::new()
        .route("/v1/events/{event}/head", get(head::get_head))
        .route("/v1/events/{event}/changes", get(changes::get_first_page))
        .route(
            "/v1/events/{event}/changes/{epoch}/{since}",
            get(changes::get_page),
        )
        .route(
            "/v1/events/{event}/bundle",
            get(bundle::get_bundle).put(bundle::put_bundle),
        )
        .route("/v1/events/{event}/ops", post(ops::post_op))
        .layer(compression)
        // Outside the compression: it keeps the compressed bytes.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            cached_pages,
        ));
    // Assets are images and served by byte ranges: never compressed.
    let assets = Router::new()
        .route(
            "/v1/assets/{sha256}",
            get(assets::get_asset).put(assets::put_asset),
        )
        .route("/v1/assets/missing", post(assets::post_missing));
    let admin = Router::new()
        .route(
            "/v1/admin/tokens",
            post(admin::post_token).get(admin::get_tokens),
        )
        .route("/v1/admin/tokens/{id}", delete(admin::delete_token))
        .route(
            "/v1/admin/events/{event}/access-code",
            put(admin::put_access_code).delete(admin::delete_access_code),
        );
    let body_limit = state.config.max_body_bytes;
    let timeout = state.config.request_timeout;
    Router::new()
        .merge(events)
        .merge(assets)
        .merge(admin)
        .fallback(|| async { ApiError::not_found("no such endpoint") })
        .layer(axum::middleware::from_fn(limits::json_errors))
        .layer(axum::middleware::from_fn(move |req, next| {
            limits::request_timeout(timeout, req, next)
        }))
        .layer(DefaultBodyLimit::max(body_limit))
        .with_state(state)
}

/// Checks an event id from a path.
fn event_id(event: &str) -> Result<(), ApiError> {
    if marktplatz_model::wire::is_valid_event_id(event) {
        Ok(())
    } else {
        Err(ApiError::bad_request(format!(
            "'{event}' is not an event id (letters, digits, '-', '_' and '.', at most 100)"
        )))
    }
}
