//! Calendar feeds for subscribing without the app: `GET /e/{event}/calendar.ics`, the whole
//! programme as iCalendar (RFC 5545), narrowed by `?track=`, `?location=` or to a favourites
//! share code's sessions (`?favourites=CODE`, the code the phones make).
//!
//! The access gate (`http::access`) decides every read of the route like the API's: a
//! protected event without its code answers exactly as an unknown one. Calendar apps poll
//! subscriptions, so the answer carries an ETag (the event's head and the query) and a 304
//! costs one head lookup. No cookies are set.

mod calendar;
mod programme;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;
use axum::routing::get;
use sha2::{Digest, Sha256};

use crate::http::caching::{SHORT, conditional};
use crate::http::error::{ApiError, ApiResult};
use crate::http::extract::{Query, Readable};
use crate::http::state::AppState;
use programme::{Filter, Programme};

/// The MIME type of iCalendar (RFC 5545 8.1).
const CALENDAR_TYPE: &str = "text/calendar; charset=utf-8";

/// The feeds' routes, merged into the server's router (and so behind its access gate).
pub fn router() -> Router<AppState> {
    Router::new().route("/e/{event}/calendar.ics", get(get_calendar))
}

/// `?track=`, `?location=`, `?favourites=`: each narrows the feed; together they all apply.
#[derive(serde::Deserialize, Default)]
pub struct FeedQuery {
    track: Option<String>,
    location: Option<String>,
    favourites: Option<String>,
}

async fn get_calendar(
    State(state): State<AppState>,
    Readable(event): Readable,
    Query(query): Query<FeedQuery>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let head = state.heads.current(&event).await?;
    let etag = feed_etag(&head.epoch, head.seq, &query);
    conditional(&headers, &etag, SHORT, async {
        let site = site_of(&headers);
        let filter = Filter {
            track: query.track,
            location: query.location,
            favourites: query
                .favourites
                .as_deref()
                .map(marktplatz_model::share_code::decode)
                .transpose()
                .map_err(|e| ApiError::bad_request(e.to_string()))?,
        };
        let id = event.clone();
        let now = chrono::Utc::now();
        let programme = state
            .db
            .read(move |tx| Programme::read(tx, &id, now))
            .await?
            .ok_or_else(|| ApiError::not_found(format!("no event '{event}'")))?;
        let text = tokio::task::spawn_blocking(move || {
            let sessions = programme.select(&filter)?;
            calendar::write(&programme, &sessions, site.as_deref())
        })
        .await
        .map_err(|e| ApiError::internal("writing a calendar feed", e))??;
        let mut response = Response::new(Body::from(text));
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(CALENDAR_TYPE),
        );
        Ok(response)
    })
    .await
}

/// The event's head (any publication changes the feed) and what the query asks for.
fn feed_etag(epoch: &str, seq: u64, query: &FeedQuery) -> String {
    let mut hasher = Sha256::new();
    for part in [&query.track, &query.location, &query.favourites] {
        hasher.update(part.as_deref().unwrap_or_default().as_bytes());
        hasher.update([0u8]);
    }
    let digest = hasher.finalize();
    format!("\"ics-{epoch}-{seq}-{}\"", hex::encode(&digest[..6]))
}

/// `scheme://host` of the request, for the sessions' URLs: only a plain host name or address
/// (with a port) is taken, so a made-up Host header cannot put anything else into the feed.
fn site_of(headers: &HeaderMap) -> Option<String> {
    let host = headers.get(header::HOST)?.to_str().ok()?;
    let plain = !host.is_empty()
        && host.len() <= 255
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'));
    if !plain {
        return None;
    }
    let local = host.starts_with("localhost") || host.starts_with("127.") || host.starts_with('[');
    let scheme = if local { "http" } else { "https" };
    Some(format!("{scheme}://{host}"))
}
