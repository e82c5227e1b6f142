//! One HTTP exchange, with the core's errors (the sync's, and through `marktplatz-publish` the
//! organiser's): network trouble is `Offline` or `Timeout`, an
//! error status is `Server {status, code, message, retry_after}` from the JSON error body.

use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode};

use super::cancel::CancelToken;
use super::client::Client;
use crate::error::{Error, Result};
use marktplatz_model::wire::{self, ErrorBody};

/// An `Authorization: Bearer` header for `token`; a token a header cannot carry is an error
/// naming `who` wanted to send it ("organiser", "publish").
pub fn bearer_headers(who: &str, token: &str) -> Result<HeaderMap> {
    let mut headers = HeaderMap::new();
    let bearer = HeaderValue::from_str(&format!("Bearer {token}"))
        .map_err(|_| Error::invalid(who, "token", "contains characters a header cannot carry"))?;
    headers.insert(AUTHORIZATION, bearer);
    Ok(headers)
}

/// What a GET brought back.
pub(crate) enum Fetched {
    NotModified,
    Body {
        bytes: Vec<u8>,
    },
    /// The body was larger than allowed and was not read; the page's `next` cursor and epoch
    /// as its headers named them ([`wire::PAGE_NEXT_HEADER`]), when they did.
    TooLarge {
        next: Option<u64>,
        epoch: Option<String>,
    },
}

pub(crate) fn map_reqwest(url: &str, error: reqwest::Error, client: &Client) -> Error {
    let url = redact(url);
    // The message names the URL once, up front; reqwest's own text would repeat it.
    let error = error.without_url();
    if error.is_timeout() {
        let limit = client
            .config
            .read_timeout
            .min(client.config.request_timeout);
        return Error::Timeout {
            url,
            seconds: limit.as_secs().max(1),
        };
    }
    if error.is_decode() && !broke_mid_body(&error) {
        return Error::Protocol(format!(
            "the answer from {url} could not be decoded: {}",
            source_chain(&error)
        ));
    }
    let message = if error.is_body() || broke_mid_body(&error) {
        format!(
            "the connection broke while receiving the answer ({})",
            source_chain(&error)
        )
    } else {
        source_chain(&error)
    };
    Error::Offline { url, message }
}

/// Whether the body stopped early (a decoder then reports it as undecodable).
fn broke_mid_body(error: &reqwest::Error) -> bool {
    use std::error::Error as _;
    let mut source = error.source();
    while let Some(inner) = source {
        if inner
            .downcast_ref::<reqwest::Error>()
            .is_some_and(|e| e.is_body())
        {
            return true;
        }
        if inner
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::UnexpectedEof)
        {
            return true;
        }
        source = inner.source();
    }
    false
}

fn source_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(inner) = source {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        source = inner.source();
    }
    text
}

/// URLs carry no secrets today; this keeps only scheme, host and path in messages anyway.
fn redact(url: &str) -> String {
    url.split('?').next().unwrap_or(url).to_string()
}

/// Sends a request and returns the response if its status is 2xx or 304; any other status
/// becomes `Error::Server` (its JSON error body read, `Retry-After` honoured).
pub async fn send(
    client: &Client,
    method: Method,
    url: &str,
    headers: HeaderMap,
    body: Option<Vec<u8>>,
) -> Result<reqwest::Response> {
    let mut request = client.http.request(method, url).headers(headers);
    if let Some(body) = body {
        request = request.body(body);
    }
    let response = request
        .send()
        .await
        .map_err(|e| map_reqwest(url, e, client))?;
    let status = response.status();
    if status.is_success() || status == StatusCode::NOT_MODIFIED {
        return Ok(response);
    }
    if status.is_redirection() {
        // Only a redirect to another origin comes back (see `client::same_origin_redirects`).
        let target = response
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("nowhere");
        return Err(Error::Protocol(format!(
            "{} redirected to {} (another origin, or too many redirects): not followed, as no credential may go elsewhere",
            redact(url),
            redact(target)
        )));
    }
    Err(server_error(client, url, response).await)
}

async fn server_error(client: &Client, url: &str, response: reqwest::Response) -> Error {
    let status = response.status();
    let retry_after = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(parse_retry_after);
    let bytes = read_limited(
        client,
        url,
        response,
        64 * 1024,
        &CancelToken::new(),
        &mut |_| {},
    )
    .await
    .unwrap_or_default();
    let (code, message) = match serde_json::from_slice::<ErrorBody>(&bytes) {
        Ok(body) => (body.code, body.message),
        Err(_) => (
            format!("http_{}", status.as_u16()),
            status
                .canonical_reason()
                .unwrap_or("unexpected answer")
                .to_string(),
        ),
    };
    Error::Server {
        url: url.to_string(),
        status: status.as_u16(),
        code,
        message,
        retry_after,
    }
}

/// `Retry-After` as seconds (a number, or an HTTP date from now).
fn parse_retry_after(value: &str) -> Option<u64> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(seconds);
    }
    let when = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let wait = when.timestamp() - chrono::Utc::now().timestamp();
    Some(wait.max(0) as u64)
}

/// Reads a body, at most `limit` bytes, reporting each chunk's size to `on_bytes`.
pub async fn read_limited(
    client: &Client,
    url: &str,
    response: reqwest::Response,
    limit: usize,
    cancel: &CancelToken,
    on_bytes: &mut (dyn FnMut(u64) + Send),
) -> Result<Vec<u8>> {
    read_within(client, url, response, limit, cancel, on_bytes)
        .await?
        .ok_or_else(|| {
            Error::Protocol(format!(
                "the answer from {} is larger than {limit} bytes",
                redact(url)
            ))
        })
}

/// [`read_limited`], with `None` for a body over `limit` (reading stops there).
async fn read_within(
    client: &Client,
    url: &str,
    mut response: reqwest::Response,
    limit: usize,
    cancel: &CancelToken,
    on_bytes: &mut (dyn FnMut(u64) + Send),
) -> Result<Option<Vec<u8>>> {
    if response.content_length().is_some_and(|n| n > limit as u64) {
        return Ok(None);
    }
    let mut body =
        Vec::with_capacity(response.content_length().unwrap_or(0).min(limit as u64) as usize);
    loop {
        let chunk = cancel
            .run(response.chunk())
            .await?
            .map_err(|e| map_reqwest(url, e, client))?;
        let Some(chunk) = chunk else { break };
        if body.len() + chunk.len() > limit {
            return Ok(None);
        }
        on_bytes(chunk.len() as u64);
        body.extend_from_slice(&chunk);
    }
    Ok(Some(body))
}

/// A conditional GET: `If-None-Match: etag` when given; 304 becomes [`Fetched::NotModified`].
/// `credentials` are sent along (a protected event's access code, see `access.rs`).
pub(crate) async fn get(
    client: &Client,
    url: &str,
    if_none_match: Option<&str>,
    credentials: &HeaderMap,
    limit: usize,
    cancel: &CancelToken,
    on_bytes: &mut (dyn FnMut(u64) + Send),
) -> Result<Fetched> {
    let mut headers = credentials.clone();
    if let Some(tag) = if_none_match
        && let Ok(value) = HeaderValue::from_str(tag)
    {
        headers.insert(reqwest::header::IF_NONE_MATCH, value);
    }
    let response = send(client, Method::GET, url, headers, None).await?;
    if response.status() == StatusCode::NOT_MODIFIED {
        return Ok(Fetched::NotModified);
    }
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let next = header(wire::PAGE_NEXT_HEADER).and_then(|v| v.parse().ok());
    let epoch = header(wire::PAGE_EPOCH_HEADER);
    match read_within(client, url, response, limit, cancel, on_bytes).await? {
        Some(bytes) => Ok(Fetched::Body { bytes }),
        None => Ok(Fetched::TooLarge { next, epoch }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_network_error_names_the_url_once() {
        let client = Client::new(super::super::ClientConfig::default()).unwrap();
        // A port that nothing listens on any more.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .unwrap()
            .port();
        let url = format!("http://127.0.0.1:{port}/v1/events/x/head");
        let error = send(&client, Method::GET, &url, HeaderMap::new(), None)
            .await
            .unwrap_err();
        let text = error.to_string();
        assert!(matches!(error, Error::Offline { .. }), "{text}");
        assert_eq!(
            text.matches(&format!("127.0.0.1:{port}")).count(),
            1,
            "{text}"
        );
    }

    #[test]
    fn retry_after_accepts_seconds_and_dates() {
        assert_eq!(parse_retry_after("7"), Some(7));
        assert_eq!(parse_retry_after("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(parse_retry_after("soon"), None);
    }
}
