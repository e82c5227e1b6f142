//! What operations (`op_result`) and keyed publishes (`publish_result`) share: a request's
//! stored outcome answered again to the same key, and the same key with another request refused.

use serde::de::DeserializeOwned;

use marktplatz_model::wire::code;

use super::error::{Result, StoreError};

/// The outcome stored under a key, read as `(request hash, outcome JSON)`: `None` when the key
/// is new; the outcome when the request is the same; a refusal (422) naming `what` otherwise.
pub fn replay<T: DeserializeOwned>(
    stored: Option<(Vec<u8>, String)>,
    request_hash: &[u8],
    what: &str,
) -> Result<Option<T>> {
    let Some((request, outcome)) = stored else {
        return Ok(None);
    };
    if request != request_hash {
        return Err(StoreError::refused(
            code::KEY_REUSED,
            format!(
                "this Idempotency-Key was already used for a different {what}; send each {what} with its own key"
            ),
        ));
    }
    serde_json::from_str(&outcome)
        .map(Some)
        .map_err(|e| StoreError::internal("reading a stored outcome", e))
}
