//! `GET|HEAD /v1/assets/{sha256}`: content-addressed, immutable, byte ranges (`Range`,
//! `If-Range`). `PUT` uploads one (organiser token); `POST /v1/assets/missing` tells an
//! uploader which of its files the server lacks.

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tokio::io::{AsyncReadExt, AsyncSeekExt};

use marktplatz_model::assets::is_sha256;
use marktplatz_model::wire::{AssetList, asset_etag, code};

use crate::http::caching::{IMMUTABLE, if_none_match, json_no_store, not_modified};
use crate::http::error::{ApiError, ApiResult};
use crate::http::extract::Uploader;
use crate::http::state::AppState;
use crate::store;
use crate::store::blobs;

fn check_hash(sha256: &str) -> ApiResult<()> {
    if is_sha256(sha256) {
        Ok(())
    } else {
        Err(ApiError::bad_request(format!(
            "'{sha256}' is not a lower-case hex SHA-256"
        )))
    }
}

pub async fn get_asset(
    State(state): State<AppState>,
    Path(sha256): Path<String>,
    method: Method,
    headers: HeaderMap,
) -> ApiResult<Response> {
    check_hash(&sha256)?;
    let hash = sha256.clone();
    let meta = state
        .db
        .read(move |tx| blobs::meta(tx, &hash))
        .await?
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                code::ASSET_NOT_FOUND,
                format!("there is no asset {sha256}"),
            )
        })?;
    let etag = asset_etag(&meta.sha256);
    if if_none_match(&headers, &etag) {
        return Ok(not_modified(&etag, IMMUTABLE));
    }
    let total = meta.bytes;
    // If-Range: a range only applies to the representation the client already has part of.
    let range_applies = match headers.get(header::IF_RANGE).and_then(|v| v.to_str().ok()) {
        Some(tag) => tag.trim() == etag,
        None => true,
    };
    let range = match headers.get(header::RANGE).and_then(|v| v.to_str().ok()) {
        Some(text) if range_applies => match parse_range(text, total) {
            Some(range) => Some(range),
            None => {
                let mut response = ApiError::new(
                    StatusCode::RANGE_NOT_SATISFIABLE,
                    code::RANGE_NOT_SATISFIABLE,
                    format!("range '{text}' does not fit an asset of {total} bytes"),
                )
                .into_response();
                if let Ok(value) = HeaderValue::from_str(&format!("bytes */{total}")) {
                    response.headers_mut().insert(header::CONTENT_RANGE, value);
                }
                return Ok(response);
            }
        },
        _ => None,
    };
    let (start, end) = range.unwrap_or((0, total.saturating_sub(1)));
    let length = if total == 0 { 0 } else { end - start + 1 };
    let body = if method == Method::HEAD {
        Body::empty()
    } else {
        let path = {
            let (db, data_dir, sha256) = (
                state.db.clone(),
                state.config.data_dir.clone(),
                meta.sha256.clone(),
            );
            crate::store::blocking("finding an asset", move || {
                blobs::local_path(&db, &data_dir, &sha256)
            })
            .await??
        };
        let read = async {
            let mut file = tokio::fs::File::open(&path).await?;
            file.seek(std::io::SeekFrom::Start(start)).await?;
            let mut buffer = Vec::with_capacity(length as usize);
            file.take(length).read_to_end(&mut buffer).await?;
            Ok::<_, std::io::Error>(buffer)
        };
        let bytes = read
            .await
            .map_err(|e| ApiError::internal("reading an asset", e))?;
        if bytes.len() as u64 != length {
            return Err(ApiError::internal(
                "reading an asset",
                format!("{} is shorter than recorded", path.display()),
            ));
        }
        Body::from(bytes)
    };
    let mut response = Response::new(body);
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(blobs::served_type(&meta.media_type)),
    );
    if let Ok(value) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, value);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    if range.is_some() {
        *response.status_mut() = StatusCode::PARTIAL_CONTENT;
        if let Ok(value) = HeaderValue::from_str(&format!("bytes {start}-{end}/{total}")) {
            response.headers_mut().insert(header::CONTENT_RANGE, value);
        }
    }
    Ok(response)
}

/// One range of `bytes=a-b`, `bytes=a-` or `bytes=-n`, clamped to the asset; `None` when it
/// cannot be satisfied. Several ranges are not supported (nobody here needs them).
fn parse_range(text: &str, total: u64) -> Option<(u64, u64)> {
    let spec = text.trim().strip_prefix("bytes=")?;
    if spec.contains(',') || total == 0 {
        return None;
    }
    let (first, last) = spec.split_once('-')?;
    let (first, last) = (first.trim(), last.trim());
    if first.is_empty() {
        let suffix: u64 = last.parse().ok()?;
        if suffix == 0 {
            return None;
        }
        return Some((total.saturating_sub(suffix), total - 1));
    }
    let start: u64 = first.parse().ok()?;
    let end: u64 = if last.is_empty() {
        total - 1
    } else {
        last.parse::<u64>().ok()?.min(total - 1)
    };
    (start <= end && start < total).then_some((start, end))
}

pub async fn put_asset(
    State(state): State<AppState>,
    Uploader(principal): Uploader,
    Path(sha256): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Response> {
    check_hash(&sha256)?;
    let dir = state.config.data_dir.join(blobs::ASSET_DIR);
    let upload = state
        .bodies
        .to_file(
            &headers,
            body,
            state.config.max_asset_bytes,
            &dir,
            "an asset",
        )
        .await?;
    let (db, data_dir) = (state.db.clone(), state.config.data_dir.clone());
    let name = sha256.clone();
    let created = store::blocking("storing an asset", move || {
        let stored = blobs::Upload {
            sha256: &name,
            temp: &upload.path,
            actual: &upload.sha256,
            bytes: upload.bytes,
            head: &upload.head,
        };
        blobs::put_upload(&db, &data_dir, &stored)
    })
    .await??;
    if created {
        tracing::info!(sha256, token = principal.token_id, "asset stored");
    }
    let mut response = json_no_store(format!("{{\"created\":{created}}}").into_bytes());
    if created {
        *response.status_mut() = StatusCode::CREATED;
    }
    Ok(response)
}

pub async fn post_missing(
    State(state): State<AppState>,
    _uploader: Uploader,
    Json(list): Json<AssetList>,
) -> ApiResult<Response> {
    for hash in &list.sha256 {
        check_hash(hash)?;
    }
    let missing = state
        .db
        .read(move |tx| blobs::missing(tx, &list.sha256))
        .await?;
    let body = serde_json::to_vec(&AssetList { sha256: missing })
        .map_err(|e| ApiError::internal("encoding", e))?;
    Ok(json_no_store(body))
}

#[cfg(test)]
mod tests {
    use super::parse_range;

    #[test]
    fn ranges() {
        assert_eq!(parse_range("bytes=0-9", 100), Some((0, 9)));
        assert_eq!(parse_range("bytes=90-", 100), Some((90, 99)));
        assert_eq!(parse_range("bytes=-10", 100), Some((90, 99)));
        assert_eq!(parse_range("bytes=50-500", 100), Some((50, 99)));
        assert_eq!(parse_range("bytes=100-", 100), None);
        assert_eq!(parse_range("bytes=5-2", 100), None);
        assert_eq!(parse_range("bytes=0-1,4-5", 100), None);
        assert_eq!(parse_range("items=0-1", 100), None);
    }
}
