//! Serves change pages from `cache::pages` when it can. Only `200` answers are kept; a
//! conditional request is answered from the kept page (`304` when it names its ETag: devices
//! send the ETag of their cursor with every page after the first); ranges, long-polls and
//! errors pass through. The middleware sits outside the
//! compression layer: it asks the handler for the page uncompressed and compresses it once,
//! harder than per request, for the encoding it negotiated (`page_encoding`); the event's head
//! from `cache::heads` (exact for this process's writes) is part of the key.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use marktplatz_model::wire::{code, is_valid_event_id};
use tokio::sync::OnceCell;

use super::caching::{SHORT, if_none_match, not_modified};
use super::error::error_response;
use super::long_poll::is_long_poll;
use super::page_encoding::{self, Effort, PageEncoding};
use super::paths::changes_event;
use super::state::AppState;
use crate::cache::pages::{MAX_BODY, PageCache, PageKey, StoredPage};

pub async fn cached_pages(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let cacheable = request.method() == Method::GET
        && !request.headers().contains_key(header::RANGE)
        && !is_long_poll(request.uri());
    let event = changes_event(request.uri().path())
        .filter(|e| cacheable && is_valid_event_id(e))
        .map(str::to_string);
    let Some(event) = event else {
        return next.run(request).await;
    };
    // Unknown event or a database error: the handler gives the proper answer.
    let Ok(head) = state.heads.current(&event).await else {
        return next.run(request).await;
    };
    let encoding = PageEncoding::negotiate(request.headers());
    // The compression layer below leaves the page as it is; it is compressed once, here.
    request.headers_mut().remove(header::ACCEPT_ENCODING);
    // A device asks for every page after the first with the ETag of its cursor: the page is
    // built without it (so it can be kept) and the condition is decided here, against the
    // kept page's ETag, as the handler would.
    let mut condition = HeaderMap::new();
    for tag in request.headers().get_all(header::IF_NONE_MATCH) {
        condition.append(header::IF_NONE_MATCH, tag.clone());
    }
    request.headers_mut().remove(header::IF_NONE_MATCH);
    let key = PageKey {
        path_and_query: request
            .uri()
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_default(),
        encoding: encoding.name(),
        event,
        epoch: head.epoch.clone(),
        head: head.seq,
    };
    let cell = state.pages.cell(key);
    // Set by the caller that builds the entry: the uncompressed page, to compress again.
    let mut built_from = None;
    let computed = cell
        .get_or_try_init(|| async {
            let page = next.run(request).await;
            let (page, uncompressed) = encoded(page, encoding).await;
            let stored = store_page(&state.pages, page).await?;
            built_from = uncompressed;
            Ok(stored)
        })
        .await;
    let response = match computed {
        Ok(stored) => answer_from(stored, &condition),
        Err(response) => response,
    };
    if let Some(uncompressed) = built_from {
        recompress_later(state.pages.clone(), cell, uncompressed, encoding);
    }
    response
}

/// The answer to a request with `condition` (its `If-None-Match`) from a kept page: `304` when
/// it names the page's ETag, else the page.
fn answer_from(stored: &StoredPage, condition: &HeaderMap) -> Response {
    let etag = stored
        .headers
        .get(header::ETAG)
        .and_then(|v| v.to_str().ok());
    if let Some(etag) = etag
        && !condition.is_empty()
        && if_none_match(condition, etag)
    {
        let cache = stored
            .headers
            .get(header::CACHE_CONTROL)
            .and_then(|v| v.to_str().ok());
        let mut response = not_modified(etag, SHORT);
        if let Some(cache) = cache.and_then(|c| HeaderValue::from_str(c).ok()) {
            response.headers_mut().insert(header::CACHE_CONTROL, cache);
        }
        return response;
    }
    let mut response = Response::new(Body::from(stored.body()));
    *response.headers_mut() = stored.headers.clone();
    response
}

/// Compresses a kept page again at the best level, off the request path (one at a time, a
/// bounded number waiting), and replaces the kept body: every device after the first gets it.
fn recompress_later(
    pages: Arc<PageCache>,
    cell: Arc<OnceCell<StoredPage>>,
    uncompressed: Bytes,
    encoding: PageEncoding,
) {
    // Taken now, so that the page counts as waiting from the moment its first answer left.
    let Some(slot) = pages.recompression_slot() else {
        return;
    };
    tokio::spawn(async move {
        let _slot = slot;
        let Some(_turn) = pages.recompression_turn().await else {
            return;
        };
        let best = tokio::task::spawn_blocking(move || {
            page_encoding::compress(&uncompressed, encoding, Effort::Best)
        })
        .await;
        match best {
            Ok(Ok(best)) => {
                if cell.get().is_some_and(|stored| stored.replace_body(best)) {
                    pages.count_recompressed();
                }
            }
            // The page keeps its first compression, which is whole and correct.
            Ok(Err(error)) => tracing::warn!(%error, "compressing a page again failed"),
            Err(error) => tracing::warn!(%error, "the page recompression task failed"),
        }
    });
}

/// `response` compressed as `encoding` when it is a `200` page worth compressing (on a
/// blocking thread: a 2 MiB page takes about 0.1–0.2 s), with the uncompressed body when it
/// was; anything else as it is.
async fn encoded(response: Response, encoding: PageEncoding) -> (Response, Option<Bytes>) {
    if response.status() != StatusCode::OK || encoding == PageEncoding::Identity {
        return (response, None);
    }
    let (mut parts, body) = response.into_parts();
    let body = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(body) => body,
        Err(_) => return (page_unavailable(), None),
    };
    let compressed = tokio::task::spawn_blocking(move || {
        let compressed = page_encoding::encode(&body, encoding, &mut parts.headers);
        (parts, body, compressed)
    })
    .await;
    match compressed {
        Ok((parts, body, Ok(Some(compressed)))) => (
            Response::from_parts(parts, Body::from(compressed)),
            Some(body),
        ),
        Ok((parts, body, Ok(None))) => (Response::from_parts(parts, Body::from(body)), None),
        Ok((_, _, Err(error))) => {
            tracing::warn!(%error, "compressing a page failed");
            (page_unavailable(), None)
        }
        Err(error) => {
            tracing::warn!(%error, "the page compression task failed");
            (page_unavailable(), None)
        }
    }
}

fn page_unavailable() -> Response {
    error_response(
        StatusCode::INTERNAL_SERVER_ERROR,
        code::INTERNAL,
        "the page could not be produced; try again",
        Some(1),
    )
}

/// Keeps a `200` answer as a [`StoredPage`] (counted towards the cache's limit); any other
/// answer, or one too large to keep, comes back as the answer to give this caller.
pub async fn store_page(pages: &PageCache, response: Response) -> Result<StoredPage, Response> {
    if response.status() != StatusCode::OK {
        return Err(response);
    }
    let (parts, body) = response.into_parts();
    match axum::body::to_bytes(body, usize::MAX).await {
        Ok(body) if body.len() <= MAX_BODY => {
            pages.account(body.len());
            Ok(StoredPage::new(parts.headers, body))
        }
        Ok(body) => Err(Response::from_parts(parts, Body::from(body))),
        Err(_) => Err(page_unavailable()),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use std::io::Read;
    use std::time::Duration;

    use marktplatz_model::model::EntityKind;
    use tower::ServiceExt;

    use super::*;
    use crate::config::Config;
    use crate::http::{AppState, app};
    use crate::store::Db;
    use crate::store::change_log::{self, NewChange};

    const EVENT: &str = "mp-nordwest";

    async fn get(router: &axum::Router, path: &str, accept: &str) -> (HeaderMapOf, Bytes) {
        let mut request = Request::builder().uri(path);
        if !accept.is_empty() {
            request = request.header(header::ACCEPT_ENCODING, accept);
        }
        let response = router
            .clone()
            .oneshot(request.body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let headers = response.headers().clone();
        let body = axum::body::to_bytes(response.into_body(), MAX_BODY)
            .await
            .unwrap();
        (headers, body)
    }

    type HeaderMapOf = axum::http::HeaderMap;

    fn decoded(headers: &HeaderMapOf, body: &[u8]) -> Vec<u8> {
        let mut plain = Vec::new();
        match headers
            .get(header::CONTENT_ENCODING)
            .map(|v| v.to_str().unwrap())
        {
            Some("zstd") => plain = zstd::decode_all(body).unwrap(),
            Some("gzip") => {
                flate2::read::GzDecoder::new(body)
                    .read_to_end(&mut plain)
                    .unwrap();
            }
            other => panic!("{other:?}"),
        }
        plain
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_page_is_compressed_once_per_encoding_then_again_harder_off_the_request_path() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(dir.path()).unwrap();
        let tracks: Vec<NewChange> = (0..400)
            .map(|n| NewChange {
                kind: EntityKind::Track,
                id: format!("track-{n}"),
                body: Some(format!(
                    r#"{{"id":"track-{n}","name":"Bühne {n}: Verwaltung {} und Digitalisierung {}"}}"#,
                    n * 7 % 13,
                    n % 5
                )),
            })
            .collect();
        db.write_blocking(|tx| {
            change_log::ensure_event(tx, EVENT)?;
            change_log::append(tx, EVENT, &tracks)
        })
        .unwrap();
        let state = AppState::new(
            db,
            Arc::new(Config::new(dir.path(), "127.0.0.1:0".parse().unwrap())),
        );
        let router = app(state.clone());
        let path = format!("/v1/events/{EVENT}/changes");
        let (plain_headers, plain) = get(&router, &path, "").await;
        assert!(plain_headers.get(header::CONTENT_ENCODING).is_none());
        assert!(plain.len() > 20_000);

        let (headers, quick) = get(&router, &path, "gzip, zstd").await;
        assert_eq!(headers[header::CONTENT_ENCODING], "zstd");
        assert_eq!(headers[header::VARY], "accept-encoding");
        assert_eq!(decoded(&headers, &quick), plain);
        // Another spelling of the same choice shares the entry.
        let filled = state.pages.filled();
        let (headers, _) = get(&router, &path, "zstd;q=1.0, gzip;q=0.5").await;
        assert_eq!(headers[header::CONTENT_ENCODING], "zstd");
        assert_eq!(state.pages.filled(), filled, "one entry per encoding");

        // Compressed again at the best level in the background, then served to later devices.
        tokio::time::timeout(Duration::from_secs(30), async {
            while state.pages.recompressed() < 1 {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
        .await
        .expect("the page recompressed");
        let (headers, best) = get(&router, &path, "zstd").await;
        assert!(best.len() < quick.len(), "{} < {}", best.len(), quick.len());
        assert_eq!(decoded(&headers, &best), plain);

        // Asked with its cursor's ETag, as a device asks: from the kept page, 304 when it is
        // the page's own.
        let etag = headers[header::ETAG].to_str().unwrap().to_string();
        let filled = state.pages.filled();
        let conditional = |tag: &str| {
            router.clone().oneshot(
                Request::builder()
                    .uri(&path)
                    .header(header::ACCEPT_ENCODING, "zstd")
                    .header(header::IF_NONE_MATCH, tag)
                    .body(Body::empty())
                    .unwrap(),
            )
        };
        let other = conditional("\"other.1\"").await.unwrap();
        assert_eq!(other.status(), StatusCode::OK);
        assert_eq!(other.headers()[header::CONTENT_ENCODING], "zstd");
        let same = conditional(&etag).await.unwrap();
        assert_eq!(same.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(same.headers()[header::ETAG], etag.as_str());
        assert_eq!(state.pages.filled(), filled, "both from the kept page");

        let (headers, gzip) = get(&router, &path, "gzip").await;
        assert_eq!(headers[header::CONTENT_ENCODING], "gzip");
        assert_eq!(decoded(&headers, &gzip), plain);
    }
}
