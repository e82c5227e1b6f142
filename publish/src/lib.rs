//! The organiser's side of publishing over HTTP: upload the assets the server lacks, then the
//! bundle. Both steps are idempotent, so they are retried like reads.
//!
//! Organiser tooling (the `marktplatz` command, tests), never the phone library nor the server:
//! it reuses the device's HTTP client and retry policy (`marktplatz_core::sync`) and sends what
//! `marktplatz-model` defines.

use std::collections::HashMap;

use reqwest::Method;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue};

use marktplatz_core::sync::cancel::CancelToken;
use marktplatz_core::sync::client::Client;
use marktplatz_core::sync::http;
use marktplatz_core::sync::retry::with_retry;
use marktplatz_core::{Error, Result};
use marktplatz_model::bundle::Bundle;
use marktplatz_model::model::AssetRef;
use marktplatz_model::ops::{IDEMPOTENCY_KEY, new_key};
use marktplatz_model::preview::{CONFIRM_PARAM, CONFIRM_YES};
use marktplatz_model::source::{
    DEFAULT_SOURCE, NOTE_PARAM, Preview, PublishedSource, ReleaseList, SOURCE_PARAM,
    is_valid_source,
};
use marktplatz_model::wire::{AssetList, PublishOutcome, is_valid_event_id};

/// Bytes of the assets a bundle refers to, by SHA-256.
pub type AssetBytes = HashMap<String, Vec<u8>>;

fn auth_headers(token: &str, content_type: &str) -> Result<HeaderMap> {
    let mut headers = http::bearer_headers("publish", token)?;
    let media = HeaderValue::from_str(content_type).map_err(|_| {
        Error::invalid(
            "publish",
            "media_type",
            format!("'{content_type}' is not a media type"),
        )
    })?;
    headers.insert(CONTENT_TYPE, media);
    Ok(headers)
}

/// Uploads the missing assets and publishes `bundle` to `event_id` as the default source.
pub async fn publish_bundle(
    client: &Client,
    server_url: &str,
    token: &str,
    event_id: &str,
    bundle: &Bundle,
    assets: &AssetBytes,
    cancel: &CancelToken,
) -> Result<PublishOutcome> {
    let to = Target {
        server_url,
        token,
        event_id,
        source: DEFAULT_SOURCE,
        note: "",
        confirmed: false,
    };
    publish_source(client, &to, bundle, assets, cancel).await
}

/// Where a publish goes: the server, the organiser's token, the event, the source the bundle
/// is a snapshot of, the release note (may be empty), and whether the organiser confirmed a
/// publish the server's guards would refuse (`?confirm=yes`: most sessions removed, the days
/// changed).
#[derive(Clone, Copy, Debug)]
pub struct Target<'a> {
    pub server_url: &'a str,
    pub token: &'a str,
    pub event_id: &'a str,
    pub source: &'a str,
    pub note: &'a str,
    pub confirmed: bool,
}

/// Uploads the missing assets and publishes `bundle` as `to.source`: the server replaces only
/// what that source published before. Every asset the bundle refers to must either be on the
/// server already or be in `assets`.
pub async fn publish_source(
    client: &Client,
    to: &Target<'_>,
    bundle: &Bundle,
    assets: &AssetBytes,
    cancel: &CancelToken,
) -> Result<PublishOutcome> {
    let Target {
        server_url,
        token,
        event_id,
        source,
        note,
        confirmed,
    } = *to;
    if !is_valid_event_id(event_id) {
        return Err(Error::invalid(
            "publish",
            "event",
            format!("'{event_id}' is not an event id"),
        ));
    }
    if !is_valid_source(source) {
        return Err(Error::invalid(
            "publish",
            "source",
            format!("'{source}' is not a source name (letters, digits, '.', '_' or '-')"),
        ));
    }
    bundle.validate()?;
    let base = server_url.trim_end_matches('/');
    let mut refs: Vec<AssetRef> = Vec::new();
    for entity in bundle.entities() {
        for asset in entity.assets() {
            if !refs.iter().any(|r| r.sha256 == asset.sha256) {
                refs.push(asset.clone());
            }
        }
    }
    let policy = &client.config().retry;
    let missing: AssetList = {
        let list = AssetList {
            sha256: refs.iter().map(|r| r.sha256.clone()).collect(),
        };
        let body = serde_json::to_vec(&list).map_err(|e| Error::malformed("asset list", e))?;
        let url = format!("{base}/v1/assets/missing");
        let (url, body) = (url.as_str(), &body);
        let bytes = with_retry(policy, cancel, move || async move {
            let response = http::send(
                client,
                Method::POST,
                url,
                auth_headers(token, "application/json")?,
                Some(body.clone()),
            )
            .await?;
            http::read_limited(client, url, response, 16 << 20, cancel, &mut |_| {}).await
        })
        .await?;
        serde_json::from_slice(&bytes).map_err(|e| {
            Error::Protocol(format!(
                "the server's list of missing assets is not valid: {e}"
            ))
        })?
    };
    for sha in &missing.sha256 {
        let Some(asset) = refs.iter().find(|r| &r.sha256 == sha) else {
            continue;
        };
        let bytes = assets.get(sha).ok_or_else(|| {
            Error::invalid(
                "publish",
                "assets",
                format!("the bundle refers to asset {sha} ({}), which is neither on the server nor in the assets given", asset.media_type),
            )
        })?;
        let url = format!("{base}/v1/assets/{sha}");
        let (url, media) = (url.as_str(), asset.media_type.as_str());
        with_retry(policy, cancel, move || async move {
            http::send(
                client,
                Method::PUT,
                url,
                auth_headers(token, media)?,
                Some(bytes.clone()),
            )
            .await
            .map(|_| ())
        })
        .await?;
    }
    let body = serde_json::to_vec(bundle).map_err(|e| Error::malformed("bundle", e))?;
    let mut url = bundle_url(base, event_id, "", source, note)?;
    if confirmed {
        url.query_pairs_mut()
            .append_pair(CONFIRM_PARAM, CONFIRM_YES);
    }
    // One key for every attempt: a retry after an answer lost on the way (the publish may have
    // committed) is answered with what the first did instead of being recorded again.
    let key = HeaderValue::from_str(&new_key())
        .map_err(|e| Error::invalid("publish", "idempotency_key", e.to_string()))?;
    let (url, body, key) = (url.as_str(), &body, &key);
    let bytes = with_retry(policy, cancel, move || async move {
        let mut headers = auth_headers(token, "application/json")?;
        headers.insert(IDEMPOTENCY_KEY, key.clone());
        let response = http::send(client, Method::PUT, url, headers, Some(body.clone())).await?;
        http::read_limited(client, url, response, 1 << 20, cancel, &mut |_| {}).await
    })
    .await?;
    serde_json::from_slice(&bytes).map_err(|e| {
        Error::Protocol(format!(
            "the server's answer to publishing is not valid: {e}"
        ))
    })
}

/// The event's releases, newest first (`GET /v1/events/{event}/releases`, organiser token).
pub async fn releases(
    client: &Client,
    server_url: &str,
    token: &str,
    event_id: &str,
    cancel: &CancelToken,
) -> Result<ReleaseList> {
    if !is_valid_event_id(event_id) {
        return Err(Error::invalid(
            "releases",
            "event",
            format!("'{event_id}' is not an event id"),
        ));
    }
    let base = server_url.trim_end_matches('/');
    let url = format!("{base}/v1/events/{event_id}/releases");
    let bytes = get(client, &url, token, "releases", 16 << 20, cancel).await?;
    serde_json::from_slice(&bytes)
        .map_err(|e| Error::Protocol(format!("the server's list of releases is not valid: {e}")))
}

/// GETs `url` with the organiser's token (retried) and reads its answer (at most `limit`
/// bytes); `what` names the operation in errors.
async fn get(
    client: &Client,
    url: &str,
    token: &str,
    what: &'static str,
    limit: usize,
    cancel: &CancelToken,
) -> Result<Vec<u8>> {
    with_retry(&client.config().retry, cancel, move || async move {
        let response = http::send(
            client,
            Method::GET,
            url,
            http::bearer_headers(what, token)?,
            None,
        )
        .await?;
        http::read_limited(client, url, response, limit, cancel, &mut |_| {}).await
    })
    .await
}

/// The sessions and exhibitors `to.source` published last to `to.event_id` (none for a source
/// never published): what a file without ids is matched to before it is published
/// (`marktplatz_import::Import::keep_identity`, `docs/adr/0015-stable-identity.md`).
pub async fn published_by_source(
    client: &Client,
    to: &Target<'_>,
    cancel: &CancelToken,
) -> Result<PublishedSource> {
    if !is_valid_event_id(to.event_id) {
        return Err(Error::invalid(
            "publish",
            "event",
            format!("'{}' is not an event id", to.event_id),
        ));
    }
    let base = to.server_url.trim_end_matches('/');
    let url = reqwest::Url::parse_with_params(
        &format!("{base}/v1/events/{}/published", to.event_id),
        [(SOURCE_PARAM, to.source)],
    )
    .map_err(|e| Error::invalid("publish", "server", format!("'{base}': {e}")))?;
    let bytes = get(client, url.as_str(), to.token, "publish", 64 << 20, cancel).await?;
    serde_json::from_slice(&bytes).map_err(|e| {
        Error::Protocol(format!(
            "the server's list of what the source published is not valid: {e}"
        ))
    })
}

fn bundle_url(
    base: &str,
    event_id: &str,
    suffix: &str,
    source: &str,
    note: &str,
) -> Result<reqwest::Url> {
    reqwest::Url::parse_with_params(
        &format!("{base}/v1/events/{event_id}/bundle{suffix}"),
        [(SOURCE_PARAM, source), (NOTE_PARAM, note)],
    )
    .map_err(|e| Error::invalid("publish", "server", format!("'{base}': {e}")))
}

/// What publishing `bundle` to `to` would do, entity by entity; the server stores nothing
/// (`POST /v1/events/{event}/bundle/preview`). Its assets must be on the server already.
pub async fn preview_source(
    client: &Client,
    to: &Target<'_>,
    bundle: &Bundle,
    cancel: &CancelToken,
) -> Result<Preview> {
    bundle.validate()?;
    let base = to.server_url.trim_end_matches('/');
    let url = bundle_url(base, to.event_id, "/preview", to.source, to.note)?;
    let body = serde_json::to_vec(bundle).map_err(|e| Error::malformed("bundle", e))?;
    let (url, body, token) = (url.as_str(), &body, to.token);
    let bytes = with_retry(&client.config().retry, cancel, move || async move {
        let response = http::send(
            client,
            Method::POST,
            url,
            auth_headers(token, "application/json")?,
            Some(body.clone()),
        )
        .await?;
        http::read_limited(client, url, response, 64 << 20, cancel, &mut |_| {}).await
    })
    .await?;
    serde_json::from_slice(&bytes)
        .map_err(|e| Error::Protocol(format!("the server's preview is not valid: {e}")))
}

/// Publishes again what release `release` published, as that release's source
/// (`POST /v1/events/{event}/revert?to=N`): new changes, devices sync forward. `to.source` is
/// not sent (the release names it); `to.note` (empty: "revert to release N") and
/// `to.confirmed` are.
pub async fn revert(
    client: &Client,
    to: &Target<'_>,
    release: u64,
    cancel: &CancelToken,
) -> Result<PublishOutcome> {
    let bytes = post_revert(client, to, release, "", cancel).await?;
    serde_json::from_slice(&bytes).map_err(|e| {
        Error::Protocol(format!(
            "the server's answer to reverting is not valid: {e}"
        ))
    })
}

/// What [`revert`] would do; the server stores nothing.
pub async fn preview_revert(
    client: &Client,
    to: &Target<'_>,
    release: u64,
    cancel: &CancelToken,
) -> Result<Preview> {
    let bytes = post_revert(client, to, release, "/preview", cancel).await?;
    serde_json::from_slice(&bytes)
        .map_err(|e| Error::Protocol(format!("the server's preview is not valid: {e}")))
}

async fn post_revert(
    client: &Client,
    to: &Target<'_>,
    release: u64,
    suffix: &str,
    cancel: &CancelToken,
) -> Result<Vec<u8>> {
    if !is_valid_event_id(to.event_id) {
        return Err(Error::invalid(
            "revert",
            "event",
            format!("'{}' is not an event id", to.event_id),
        ));
    }
    let base = to.server_url.trim_end_matches('/');
    let release = release.to_string();
    let mut params = vec![("to", release.as_str()), (NOTE_PARAM, to.note)];
    if to.confirmed {
        params.push((CONFIRM_PARAM, CONFIRM_YES));
    }
    let url = reqwest::Url::parse_with_params(
        &format!("{base}/v1/events/{}/revert{suffix}", to.event_id),
        params,
    )
    .map_err(|e| Error::invalid("revert", "server", format!("'{base}': {e}")))?;
    let (url, token) = (url.as_str(), to.token);
    with_retry(&client.config().retry, cancel, move || async move {
        let response = http::send(
            client,
            Method::POST,
            url,
            http::bearer_headers("revert", token)?,
            None,
        )
        .await?;
        http::read_limited(client, url, response, 64 << 20, cancel, &mut |_| {}).await
    })
    .await
}
