//! One JSON request to a server's other endpoints (token administration, a token check), with
//! the sync client's timeouts, TLS and errors: network trouble is `Offline` or `Timeout`, an
//! error status is `Server {status, code, message}`. Used by the command line's `admin` and
//! `organiser login`; never retried (an admin's request is not always idempotent).

use reqwest::Method;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue};

use super::cancel::CancelToken;
use super::client::Client;
use super::http;
use crate::error::{Error, Result};

/// The largest answer read (a token list of a big server is well below this).
const MAX_ANSWER_BYTES: usize = 4 * 1024 * 1024;

/// Sends `method url` with `Authorization: Bearer token` and a JSON body, returning the body
/// of a 2xx answer.
pub async fn send_json(
    client: &Client,
    method: &str,
    url: &str,
    token: &str,
    body: Option<Vec<u8>>,
) -> Result<Vec<u8>> {
    let method = Method::from_bytes(method.as_bytes())
        .map_err(|_| Error::invalid("request", "method", format!("'{method}' is not one")))?;
    let mut headers = HeaderMap::new();
    let mut bearer = HeaderValue::from_str(&format!("Bearer {}", token.trim())).map_err(|_| {
        Error::invalid(
            "request",
            "token",
            "contains characters a token cannot have",
        )
    })?;
    bearer.set_sensitive(true);
    headers.insert(AUTHORIZATION, bearer);
    if body.is_some() {
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    }
    let response = http::send(client, method, url, headers, body).await?;
    http::read_limited(
        client,
        url,
        response,
        MAX_ANSWER_BYTES,
        &CancelToken::new(),
        &mut |_| {},
    )
    .await
}
