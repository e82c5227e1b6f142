//! The platform's secret store (Android Keystore, iOS Keychain), implemented by the shells and
//! handed to the core: organiser tokens live there, not in user.db.

use std::sync::Arc;

use marktplatz_core::store::credentials::{self as core, CredentialError};

use crate::error::ApiError;

/// Implemented by the shells: get, set and delete one secret by key. `set` and `delete` must be
/// durable when they return; throw an `ApiException` when the platform refuses.
#[uniffi::export(with_foreign)]
pub trait CredentialStore: Send + Sync {
    fn get(&self, key: String) -> Result<Option<String>, ApiError>;
    fn set(&self, key: String, secret: String) -> Result<(), ApiError>;
    fn delete(&self, key: String) -> Result<(), ApiError>;
}

/// The shell's store as the core's.
pub(crate) struct Foreign(pub(crate) Arc<dyn CredentialStore>);

impl core::CredentialStore for Foreign {
    fn get(&self, key: &str) -> Result<Option<String>, CredentialError> {
        (self.0.get(key.to_string())).map_err(|e| CredentialError::new("read", key, e))
    }

    fn set(&self, key: &str, secret: &str) -> Result<(), CredentialError> {
        (self.0.set(key.to_string(), secret.to_string()))
            .map_err(|e| CredentialError::new("store", key, e))
    }

    fn delete(&self, key: &str) -> Result<(), CredentialError> {
        (self.0.delete(key.to_string())).map_err(|e| CredentialError::new("delete", key, e))
    }
}
