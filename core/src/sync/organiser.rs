//! Where an organiser's operations go: the server for an event (`organiser` in user.db) and
//! the token, kept in the platform's credential store (`store::credentials`), never in
//! user.db. The token also lets the device read a protected event from the same server.

use chrono::Utc;
use reqwest::header::HeaderValue;
use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use crate::error::{Error, Result, SqliteContext};
use crate::store::Store;
use crate::store::credentials::organiser_key;
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
/// with `token`. Replaces an earlier credential (queued operations keep their keys). The token
/// goes to the credential store first: if that refuses, nothing changes.
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
    store.credentials().set(&organiser_key(event_id), token)?;
    store.write_user(|tx| {
        // The token column predates the credential store; it stays empty.
        tx.prepare_cached(
            "INSERT OR REPLACE INTO organiser (event_id, server_url, token, created_at)
             VALUES (?1, ?2, '', ?3)",
        )
        .and_then(|mut s| s.execute(params![event_id, server_url, Utc::now().timestamp()]))
        .context("saving the organiser's server")?;
        Ok(())
    })
}

/// Leaves organiser mode for the event (queued operations stay, unsent). The token is deleted
/// first: if the credential store refuses, the device stays in organiser mode.
pub fn forget_organiser(store: &Store, event_id: &str) -> Result<()> {
    store.credentials().delete(&organiser_key(event_id))?;
    store.write_user(|tx| {
        tx.prepare_cached("DELETE FROM organiser WHERE event_id = ?1")
            .and_then(|mut s| s.execute([event_id]))
            .context("forgetting the organiser token")?;
        Ok(())
    })
}

/// Where the device pushes the event's operations (`None`: it is no organiser of it).
pub fn organiser(store: &Store, event_id: &str) -> Result<Option<OrganiserInfo>> {
    Ok(credential(store, event_id)?.map(|c| OrganiserInfo {
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

/// The event's organiser credential: its server from user.db, its token from the credential
/// store (or, while the credential store has refused to take it, from user.db still).
pub(crate) fn credential(store: &Store, event_id: &str) -> Result<Option<Credential>> {
    let row: Option<(String, String)> = store.read_user(|tx| {
        tx.prepare_cached("SELECT server_url, token FROM organiser WHERE event_id = ?1")
            .and_then(|mut s| {
                s.query_row([event_id], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()
            })
            .context("reading the organiser's server")
    })?;
    let Some((server_url, legacy_token)) = row else {
        return Ok(None);
    };
    if !legacy_token.is_empty() {
        return Ok(Some(Credential {
            server_url,
            token: legacy_token,
        }));
    }
    match store.credentials().get(&organiser_key(event_id))? {
        Some(token) => Ok(Some(Credential { server_url, token })),
        None => Err(Error::invalid(
            "organiser",
            "token",
            format!(
                "the token for event '{event_id}' is missing from the credential store; sign in again"
            ),
        )),
    }
}
