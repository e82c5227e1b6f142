//! The events a server offers to anyone (`GET /v1/events`), for the apps' event picker.
//! Nothing is stored: choosing one syncs it like any other event.

use reqwest::header::HeaderMap;

use marktplatz_model::wire::{self, EventList, ListedEvent};

use super::cancel::CancelToken;
use super::client::Client;
use super::http::{self, Fetched};
use crate::error::{Error, Result};

/// The server's list, as it sends it (in time order, then by title). A protected event is not
/// listed: its attendees add it by id.
pub async fn server_events(
    client: &Client,
    server_url: &str,
    cancel: &CancelToken,
) -> Result<Vec<ListedEvent>> {
    let url = format!(
        "{}{}/events",
        server_url.trim_end_matches('/'),
        wire::API_PREFIX
    );
    let fetched = http::get(
        client,
        &url,
        None,
        &HeaderMap::new(),
        wire::MAX_EVENT_LIST_BYTES,
        cancel,
        &mut |_| {},
    )
    .await?;
    let bytes = match fetched {
        Fetched::Body { bytes } => bytes,
        Fetched::NotModified => {
            return Err(Error::Protocol(format!(
                "{url} answered an unconditional request with 304"
            )));
        }
        Fetched::TooLarge { .. } => {
            return Err(Error::Protocol(format!(
                "the event list of {url} is larger than {} bytes",
                wire::MAX_EVENT_LIST_BYTES
            )));
        }
    };
    let list: EventList = serde_json::from_slice(&bytes)
        .map_err(|e| Error::malformed(format!("the event list of {url}"), e))?;
    Ok(list.events)
}
