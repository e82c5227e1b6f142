//! Which applied operations a later publish undid (`GET /v1/events/{event}/ops/overridden`,
//! the organiser's token): asked after each push, so the outbox says "overridden by release N"
//! instead of "done" (`docs/adr/0013-safe-publishing.md`).

use reqwest::Method;

use super::PushStop;
use crate::error::{Error, Result};
use crate::store::Store;
use crate::store::outbox::delivery::{any_applied, mark_overridden};
use crate::sync::cancel::CancelToken;
use crate::sync::client::Client;
use crate::sync::http;
use crate::sync::retry::{is_transient, with_retry};
use marktplatz_model::preview::OverriddenOps;
use marktplatz_model::wire;

/// The answer is a key and a number per overridden operation; more than this is not an answer.
const MAX_ANSWER_BYTES: usize = 4 << 20;

/// Asks the server and marks the undone operations. `Ok(Some(stop))`: the server could not be
/// asked now (offline, token refused); the next push asks again. A server from before the
/// endpoint (404) has overridden nothing.
pub(super) async fn refresh(
    client: &Client,
    store: &Store,
    (base_url, token): (&str, &str),
    event_id: &str,
    cancel: &CancelToken,
) -> Result<Option<PushStop>> {
    if !any_applied(store, event_id)? {
        return Ok(None);
    }
    let url = format!(
        "{base_url}{}/events/{event_id}/ops/overridden",
        wire::API_PREFIX
    );
    let url = url.as_str();
    let answer = with_retry(&client.config.retry, cancel, move || async move {
        let response = http::send(
            client,
            Method::GET,
            url,
            http::bearer_headers("organiser", token)?,
            None,
        )
        .await?;
        http::read_limited(client, url, response, MAX_ANSWER_BYTES, cancel, &mut |_| {}).await
    })
    .await;
    let bytes = match answer {
        Ok(bytes) => bytes,
        Err(Error::Server { status: 404, .. }) => return Ok(None),
        Err(Error::Server {
            status: 401 | 403,
            message,
            ..
        }) => return Ok(Some(PushStop::Unauthorized(message))),
        Err(e) if is_transient(&e) => return Ok(Some(PushStop::Offline(e.to_string()))),
        Err(e) => return Err(e),
    };
    let list: OverriddenOps = serde_json::from_slice(&bytes).map_err(|e| {
        Error::Protocol(format!(
            "the server's list of overridden operations is not valid: {e}"
        ))
    })?;
    let undone: Vec<(String, u64)> = list
        .overridden
        .into_iter()
        .map(|o| (o.key, o.release))
        .collect();
    mark_overridden(store, event_id, &undone)?;
    Ok(None)
}
