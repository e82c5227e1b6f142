//! Reading a protected event: the access code the attendee entered once (kept in `user.db`, so
//! a content reset keeps it), and an organiser's token for the same server, both sent with
//! every request for the event's content. A public event ignores them.

use chrono::Utc;
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
use rusqlite::{OptionalExtension, Transaction, params};

use super::organiser::credential;
use crate::error::{Error, Result, SqliteContext};
use crate::store::Store;
use marktplatz_model::wire::{ACCESS_CODE_HEADER, MAX_ACCESS_CODE_CHARS};

/// Remembers the access code for `event_id` (as typed; surrounding spaces dropped), or
/// forgets it with `None`. The next sync sends it.
pub fn set_access_code(store: &Store, event_id: &str, code: Option<&str>) -> Result<()> {
    let code = code.map(str::trim);
    if let Some(code) = code
        && (code.is_empty()
            || code.chars().count() > MAX_ACCESS_CODE_CHARS
            || code.chars().any(char::is_control))
    {
        return Err(Error::invalid(
            "access code",
            "code",
            format!("is 1 to {MAX_ACCESS_CODE_CHARS} printable characters"),
        ));
    }
    store.write_user(|tx| {
        match code {
            Some(code) => tx
                .prepare_cached(
                    "INSERT OR REPLACE INTO access_code (event_id, code, created_at)
                     VALUES (?1, ?2, ?3)",
                )
                .and_then(|mut s| s.execute(params![event_id, code, Utc::now().timestamp()])),
            None => tx
                .prepare_cached("DELETE FROM access_code WHERE event_id = ?1")
                .and_then(|mut s| s.execute([event_id])),
        }
        .context("saving the access code")?;
        Ok(())
    })
}

/// Whether an access code is stored for the event (the code itself is not shown back).
pub fn has_access_code(store: &Store, event_id: &str) -> Result<bool> {
    Ok(store.read_user(|tx| access_code(tx, event_id))?.is_some())
}

fn access_code(tx: &Transaction<'_>, event_id: &str) -> Result<Option<String>> {
    tx.prepare_cached("SELECT code FROM access_code WHERE event_id = ?1")
        .and_then(|mut s| s.query_row([event_id], |r| r.get(0)).optional())
        .context("reading the access code")
}

/// The headers that let this device read `event_id` from `server_url`: its access code, and
/// the organiser token when it is for the same server (never sent anywhere else).
pub(crate) fn read_headers(store: &Store, event_id: &str, server_url: &str) -> Result<HeaderMap> {
    let code = store.read_user(|tx| access_code(tx, event_id))?;
    let organiser = credential(store, event_id)?;
    let mut headers = HeaderMap::new();
    if let Some(value) = code.and_then(|c| HeaderValue::from_str(&c).ok()) {
        headers.insert(ACCESS_CODE_HEADER, value);
    }
    if let Some(organiser) = organiser
        && organiser.server_url.trim_end_matches('/') == server_url.trim_end_matches('/')
        && let Ok(mut value) = HeaderValue::from_str(&format!("Bearer {}", organiser.token))
    {
        value.set_sensitive(true);
        headers.insert(AUTHORIZATION, value);
    }
    Ok(headers)
}
