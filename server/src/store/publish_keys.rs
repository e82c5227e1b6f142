//! Publishes sent with an `Idempotency-Key` (`publish_result`): the outcome kept under the
//! publisher's key, so a publish retried after its answer was lost (on this instance or
//! another) is answered with what it did instead of being recorded again. A key sent again
//! with a different publish is refused, as for operations.

use marktplatz_model::bundle::Bundle;
use marktplatz_model::wire::PublishOutcome;
use sha2::{Digest, Sha256};

use super::db::now;
use super::engine::{Tx, args};
use super::error::{Result, StoreError};
use super::idempotent;
use super::overrides::KEEP_RESULTS_SECS;
use super::releases::Publisher;

/// Who sent a publish and the key they sent it with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublishKey {
    pub subject: String,
    pub key: String,
}

/// What a publish asks for, as a hash: its source, note, confirmation and bundle.
pub fn request_hash(by: &Publisher, bundle: &Bundle) -> Result<Vec<u8>> {
    let bundle = serde_json::to_vec(bundle)
        .map_err(|e| StoreError::internal("hashing a publish request", e))?;
    let mut hash = Sha256::new();
    for part in [
        by.source.as_bytes(),
        by.note.as_bytes(),
        &[u8::from(by.confirmed)],
    ] {
        hash.update((part.len() as u64).to_be_bytes());
        hash.update(part);
    }
    hash.update(&bundle);
    Ok(hash.finalize().to_vec())
}

/// The outcome stored under `key`, if this key was used before: with the same request, the
/// stored outcome; with another, a refusal (422). Call with the event's row locked.
pub fn stored(
    tx: &Tx<'_>,
    event_id: &str,
    key: &PublishKey,
    request_hash: &[u8],
) -> Result<Option<PublishOutcome>> {
    let row: Option<(Vec<u8>, String)> = tx.query_opt(
        "SELECT request, outcome FROM publish_result
         WHERE event_id = $1 AND subject = $2 AND idempotency_key = $3",
        args![event_id, &key.subject, &key.key],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    idempotent::replay(row, request_hash, "publish")
}

/// Keeps `outcome` under `key` (in the publish's transaction); forgets results older than
/// operations' results are kept.
pub fn remember(
    tx: &Tx<'_>,
    event_id: &str,
    key: &PublishKey,
    request_hash: &[u8],
    outcome: &PublishOutcome,
) -> Result<()> {
    let json = serde_json::to_string(outcome)
        .map_err(|e| StoreError::internal("encoding a publish outcome", e))?;
    tx.execute(
        "INSERT INTO publish_result (event_id, subject, idempotency_key, request, outcome, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
        args![event_id, &key.subject, &key.key, request_hash, json, now()],
    )?;
    tx.execute(
        "DELETE FROM publish_result WHERE created_at < $1",
        args![now() - KEEP_RESULTS_SECS],
    )?;
    Ok(())
}
