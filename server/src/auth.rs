//! Organiser tokens: 32 random bytes, base64url; only their SHA-256 is stored and looked up.

use axum::http::{HeaderMap, header};
use rusqlite::{OptionalExtension, Transaction, params};
use sha2::{Digest, Sha256};

use crate::db::now;
use crate::error::{ApiError, ApiResult};

pub const ROLE_ORGANISER: &str = "organiser";

/// Creates a token for `event_id` with `role` and returns it (it is not stored anywhere).
pub fn create_token(tx: &Transaction<'_>, event_id: &str, role: &str) -> ApiResult<String> {
    use base64::Engine;
    let secret: [u8; 32] = rand::random();
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(secret);
    tx.prepare_cached(
        "INSERT INTO token (hash, event_id, role, created_at) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![hash(&token), event_id, role, now()])?;
    Ok(token)
}

fn hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// The bearer token of a request, if any.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
}

/// The events this token may publish to (organiser role); an unknown token is `Unauthorized`.
pub fn organiser_events(tx: &Transaction<'_>, headers: &HeaderMap) -> ApiResult<Vec<String>> {
    let token = bearer(headers).ok_or_else(|| {
        ApiError::unauthorized("this needs an organiser token: send Authorization: Bearer <token>")
    })?;
    let mut stmt = tx.prepare_cached("SELECT event_id FROM token WHERE hash = ?1 AND role = ?2")?;
    let events = stmt
        .query_map(params![hash(token), ROLE_ORGANISER], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    if events.is_empty() {
        return Err(ApiError::unauthorized(
            "the token is not valid on this server",
        ));
    }
    Ok(events)
}

/// Checks that the request carries an organiser token for `event_id`.
pub fn require_organiser(
    tx: &Transaction<'_>,
    headers: &HeaderMap,
    event_id: &str,
) -> ApiResult<()> {
    let events = organiser_events(tx, headers)?;
    if events.iter().any(|e| e == event_id) {
        return Ok(());
    }
    Err(ApiError::unauthorized(format!(
        "the token is not an organiser token of event '{event_id}'"
    )))
}

/// Whether any token exists for the event (used by tests and the CLI).
pub fn has_tokens(tx: &Transaction<'_>, event_id: &str) -> ApiResult<bool> {
    Ok(tx
        .prepare_cached("SELECT 1 FROM token WHERE event_id = ?1 LIMIT 1")?
        .query_row([event_id], |_| Ok(()))
        .optional()?
        .is_some())
}
