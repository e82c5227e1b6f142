//! The HTTP API, one file per resource, and the router that maps paths to them. See
//! `docs/adr/0002-sync-protocol.md`. The middleware around every route is listed in
//! `http::app`; here only what belongs to some routes: compression and the page cache for the
//! event routes (assets are images, served by byte ranges: never compressed).

mod admin;
mod assets;
mod bundle;
mod changes;
mod events;
mod head;
mod ops;
mod published;
mod releases;

pub use ops::MAX_OP_BYTES;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{delete, get, post, put};
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{And, NotForContentType, Predicate, SizeAbove};

use super::error::ApiError;
use super::page_cache::cached_pages;
use super::page_encoding::COMPRESS_FROM_BYTES;
use super::state::AppState;

/// The largest JSON request an admin or uploader sends (a token request, a list of hashes):
/// read with axum's `Json` once the sender is authenticated.
pub const SMALL_BODY_BYTES: usize = 1024 * 1024;

/// gzip or zstd, as the client accepts, for bodies worth it (never images).
pub fn compression() -> CompressionLayer<And<SizeAbove, NotForContentType>> {
    CompressionLayer::new()
        .gzip(true)
        .zstd(true)
        .compress_when(SizeAbove::new(COMPRESS_FROM_BYTES).and(NotForContentType::IMAGES))
}

pub fn router(state: AppState) -> Router<AppState> {
    let compression = compression();
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
        .route(
            "/v1/events/{event}/bundle/preview",
            post(bundle::preview_bundle),
        )
        .route("/v1/events/{event}/ops", post(ops::post_op))
        .route(
            "/v1/events/{event}/ops/overridden",
            get(ops::get_overridden),
        )
        .route("/v1/events/{event}/releases", get(releases::get_releases))
        .route(
            "/v1/events/{event}/published",
            get(published::get_published),
        )
        .route("/v1/events/{event}/revert", post(releases::revert))
        .route(
            "/v1/events/{event}/revert/preview",
            post(releases::preview_revert),
        )
        .layer(compression)
        // Outside the compression: it keeps the compressed bytes.
        .layer(axum::middleware::from_fn_with_state(state, cached_pages));
    let assets = Router::new()
        .route(
            "/v1/assets/{sha256}",
            get(assets::get_asset).put(assets::put_asset),
        )
        .route(
            "/v1/assets/missing",
            post(assets::post_missing).layer(DefaultBodyLimit::max(SMALL_BODY_BYTES)),
        );
    let admin = Router::new()
        .route(
            "/v1/admin/tokens",
            post(admin::post_token).get(admin::get_tokens),
        )
        .route("/v1/admin/tokens/{id}", delete(admin::delete_token))
        .route(
            "/v1/admin/events/{event}/access-code",
            put(admin::put_access_code).delete(admin::delete_access_code),
        )
        .layer(DefaultBodyLimit::max(SMALL_BODY_BYTES));
    let listing = Router::new()
        .route("/v1/events", get(events::get_events))
        .layer(self::compression());
    Router::new()
        .merge(listing)
        .merge(events)
        .merge(assets)
        .merge(admin)
        .fallback(|| async { ApiError::not_found("no such endpoint") })
}
