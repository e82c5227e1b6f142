//! Where an organiser's operations go: the server and token for an event (`organiser` in
//! user.db). The token also lets the device read a protected event from the same server.

use chrono::Utc;
use reqwest::header::HeaderValue;
use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;

use crate::error::{Error, Result, SqliteContext};
use crate::store::Store;
use marktplatz_model::wire;

/// Where an organiser pushes to. The token itself is never handed out again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OrganiserInfo {
    pub event_id: String,
    pub server_url: String,
    /// The public part of the token (before the '.'), for telling tokens apart.
    pub token_id: String,
}

/// Puts this device in organiser mode for `event_id`: operations are pushed to `server_url`
/// with `token`. Replaces an earlier credential (queued operations keep their keys).
pub fn set_organiser(store: &Store, event_id: &str, server_url: &str, token: &str) -> Result<()> {
    if !wire::is_valid_event_id(event_id) {
        return Err(Error::invalid(
            "organiser",
            "event",
            format!("'{event_id}' is not an event id"),
        ));
    }
    let token = token.trim();
    if token.is_empty() || HeaderValue::from_str(&format!("Bearer {token}")).is_err() {
        return Err(Error::invalid(
            "organiser",
            "token",
            "is empty or contains characters a token cannot have",
        ));
    }
    let server_url = server_url.trim().trim_end_matches('/');
    if !(server_url.starts_with("http://") || server_url.starts_with("https://")) {
        return Err(Error::invalid(
            "organiser",
            "server",
            format!("'{server_url}' is not an http(s) URL"),
        ));
    }
    store.write_user(|tx| {
        tx.prepare_cached(
            "INSERT OR REPLACE INTO organiser (event_id, server_url, token, created_at)
             VALUES (?1, ?2, ?3, ?4)",
        )
        .and_then(|mut s| s.execute(params![event_id, server_url, token, Utc::now().timestamp()]))
        .context("saving the organiser token")?;
        Ok(())
    })
}

/// Leaves organiser mode for the event (queued operations stay, unsent).
pub fn forget_organiser(store: &Store, event_id: &str) -> Result<()> {
    store.write_user(|tx| {
        tx.prepare_cached("DELETE FROM organiser WHERE event_id = ?1")
            .and_then(|mut s| s.execute([event_id]))
            .context("forgetting the organiser token")?;
        Ok(())
    })
}

/// Where the device pushes the event's operations (`None`: it is no organiser of it).
pub fn organiser(store: &Store, event_id: &str) -> Result<Option<OrganiserInfo>> {
    Ok(store
        .read_user(|tx| credential(tx, event_id))?
        .map(|c| OrganiserInfo {
            event_id: event_id.to_string(),
            token_id: c
                .token
                .split_once('.')
                .map(|(id, _)| id.to_string())
                .unwrap_or_else(|| "(legacy token)".to_string()),
            server_url: c.server_url,
        }))
}

/// The server and token operations are sent with (never handed out of the core).
pub(crate) struct Credential {
    pub(crate) server_url: String,
    pub(crate) token: String,
}

pub(crate) fn credential(tx: &Transaction<'_>, event_id: &str) -> Result<Option<Credential>> {
    tx.prepare_cached("SELECT server_url, token FROM organiser WHERE event_id = ?1")
        .and_then(|mut s| {
            s.query_row([event_id], |r| {
                Ok(Credential {
                    server_url: r.get(0)?,
                    token: r.get(1)?,
                })
            })
            .optional()
        })
        .context("reading the organiser token")
}
