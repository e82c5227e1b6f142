//! One operation over HTTP: its photo first (if any), then the operation with its idempotency
//! key, retried on transient trouble; the answer classified as accepted, refused or "stop".

use reqwest::Method;
use reqwest::header::{CONTENT_TYPE, HeaderValue};

use super::photo::upload_photo;
use super::{PushOptions, PushStop};
use crate::error::{Error, Result};
use crate::store::Store;
use crate::store::outbox::Rejection;
use crate::store::outbox::delivery::Next;
use crate::sync::cancel::CancelToken;
use crate::sync::client::Client;
use crate::sync::http;
use crate::sync::retry::{is_transient, with_retry};
use marktplatz_model::ops::{IDEMPOTENCY_KEY, OpOutcome, OpRejection, OpRequest};
use marktplatz_model::wire;

pub(super) enum Sent {
    Accepted { outcome: OpOutcome, replayed: bool },
    Rejected(Rejection),
    Waiting,
    Stopped(PushStop),
    Cancelled,
}

pub(super) async fn send_one(
    client: &Client,
    store: &Store,
    base_url: &str,
    token: &str,
    next: &Next,
    options: &PushOptions,
) -> Sent {
    let Some(base) = next.base else {
        return Sent::Waiting;
    };
    let event_id = match store.outbox_entry(next.id) {
        Ok(Some(entry)) => entry.event_id,
        Ok(None) => return Sent::Waiting,
        Err(e) => return Sent::Stopped(PushStop::Offline(e.to_string())),
    };
    if let Some(asset) = next.op.asset() {
        let what = next.op.name();
        match upload_photo(
            client,
            store.dir(),
            base_url,
            token,
            what,
            asset,
            &options.cancel,
        )
        .await
        {
            Ok(()) => {}
            Err(error) => return classify(error),
        }
    }
    let request = OpRequest {
        event: event_id.clone(),
        base,
        op: next.op.clone(),
    };
    let body = match serde_json::to_vec(&request) {
        Ok(body) => body,
        Err(e) => {
            return Sent::Rejected(Rejection {
                status: 0,
                code: "unencodable".into(),
                message: e.to_string(),
                current_seq: None,
                current_body: None,
            });
        }
    };
    let url = format!("{base_url}{}/events/{event_id}/ops", wire::API_PREFIX);
    match post_op(client, &url, token, &next.key, body, &options.cancel).await {
        Ok(answer) => answer,
        Err(error) => classify(error),
    }
}

fn classify(error: Error) -> Sent {
    match error {
        Error::Cancelled => Sent::Cancelled,
        Error::Server {
            status: 401 | 403,
            message,
            ..
        } => Sent::Stopped(PushStop::Unauthorized(message)),
        e if is_transient(&e) => Sent::Stopped(PushStop::Offline(e.to_string())),
        Error::Server {
            status,
            code,
            message,
            ..
        } => Sent::Rejected(Rejection {
            status,
            code,
            message,
            current_seq: None,
            current_body: None,
        }),
        Error::Invalid { .. } | Error::NotFound { .. } | Error::Io { .. } => {
            Sent::Rejected(Rejection {
                status: 0,
                code: "local".into(),
                message: error.to_string(),
                current_seq: None,
                current_body: None,
            })
        }
        // An unusable answer (a proxy's error page): try again later.
        other => Sent::Stopped(PushStop::Offline(other.to_string())),
    }
}

/// One operation, retried on transient trouble with the client's policy (same key each time).
async fn post_op(
    client: &Client,
    url: &str,
    token: &str,
    key: &str,
    body: Vec<u8>,
    cancel: &CancelToken,
) -> Result<Sent> {
    let mut headers = http::bearer_headers("organiser", token)?;
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(
        IDEMPOTENCY_KEY,
        HeaderValue::from_str(key).map_err(|_| Error::malformed("an idempotency key", key))?,
    );
    let (headers, body) = (&headers, &body);
    with_retry(&client.config.retry, cancel, move || async move {
        let response = client
            .http
            .request(Method::POST, url)
            .headers(headers.clone())
            .body(body.clone())
            .send()
            .await
            .map_err(|e| http::map_reqwest(url, e, client))?;
        let status = response.status().as_u16();
        let replayed = response
            .headers()
            .get(marktplatz_model::ops::REPLAYED)
            .is_some_and(|v| v.as_bytes() == b"true");
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse().ok());
        let bytes = http::read_limited(client, url, response, 1 << 20, cancel, &mut |_| {}).await?;
        if (200..300).contains(&status) {
            let outcome: OpOutcome = serde_json::from_slice(&bytes).map_err(|e| {
                Error::Protocol(format!("the answer to an operation is not valid: {e}"))
            })?;
            return Ok(Sent::Accepted { outcome, replayed });
        }
        let rejection: Option<OpRejection> = serde_json::from_slice(&bytes).ok();
        let (code, message, current) = match rejection {
            Some(r) => (r.code, r.message, r.current),
            None => (
                format!("http_{status}"),
                format!("the server answered {status}"),
                None,
            ),
        };
        if status == 409 && current.is_some() {
            let current = current.map(|c| (c.seq, c.body.map(|b| b.get().to_string())));
            return Ok(Sent::Rejected(Rejection {
                status,
                code,
                message,
                current_seq: current.as_ref().map(|c| c.0),
                current_body: current.and_then(|c| c.1),
            }));
        }
        Err(Error::Server {
            url: url.to_string(),
            status,
            code,
            message,
            retry_after,
        })
    })
    .await
}
