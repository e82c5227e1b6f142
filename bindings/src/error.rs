//! The errors the shells see: few, each saying what a person can do about it. Every core error
//! is mapped here, in one place.

use marktplatz_core::Error;
use marktplatz_model::wire;

#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum ApiError {
    /// No connection to the server (or it did not answer in time): content stays as it was;
    /// try again when online.
    #[error("{reason}")]
    Offline { reason: String },
    /// The server refused or failed the request; `retry_after_seconds` when it said when.
    #[error("{reason}")]
    Server {
        status: u16,
        reason: String,
        retry_after_seconds: Option<u64>,
    },
    /// The organiser token is missing, wrong, revoked or expired: sign in again.
    #[error("{reason}")]
    Unauthorized { reason: String },
    /// The event is read only with its access code: ask the attendee for it (`wrong`: the
    /// stored one is not, or no longer, the event's code) and call `set_access_code`.
    #[error("{reason}")]
    AccessCode { reason: String, wrong: bool },
    /// Someone else changed the same thing first; reload and redo the change.
    #[error("{reason}")]
    Conflict { reason: String },
    #[error("{reason}")]
    NotFound { reason: String },
    /// The input (a file, a code, a field) is not acceptable; the message names what and why.
    #[error("{reason}")]
    InvalidInput { reason: String },
    /// The device storage failed or is full; `is_full` tells the UI to ask for free space.
    #[error("{reason}")]
    Storage { reason: String, is_full: bool },
    #[error("cancelled")]
    Cancelled,
    /// The store is suspended (app in background): call resume() first.
    #[error("{reason}")]
    Suspended { reason: String },
}

impl From<Error> for ApiError {
    fn from(error: Error) -> ApiError {
        let message = error.to_string();
        match error {
            Error::Invalid { .. } | Error::Malformed { .. } => {
                ApiError::InvalidInput { reason: message }
            }
            Error::NotFound { .. } => ApiError::NotFound { reason: message },
            Error::Offline { .. } | Error::Timeout { .. } => ApiError::Offline { reason: message },
            Error::Server {
                status: 401, code, ..
            } if code == wire::code::ACCESS_CODE_REQUIRED
                || code == wire::code::ACCESS_CODE_WRONG =>
            {
                ApiError::AccessCode {
                    reason: message,
                    wrong: code == wire::code::ACCESS_CODE_WRONG,
                }
            }
            Error::Server {
                status,
                retry_after,
                ..
            } => match status {
                401 | 403 => ApiError::Unauthorized { reason: message },
                409 => ApiError::Conflict { reason: message },
                404 => ApiError::NotFound { reason: message },
                _ => ApiError::Server {
                    status,
                    reason: message,
                    retry_after_seconds: retry_after,
                },
            },
            Error::Protocol(_) => ApiError::Server {
                status: 0,
                reason: message,
                retry_after_seconds: None,
            },
            Error::DiskFull(_) => ApiError::Storage {
                reason: message,
                is_full: true,
            },
            Error::NewerSchema { .. }
            | Error::Corrupt { .. }
            | Error::Sqlite { .. }
            | Error::Io { .. }
            | Error::Credentials(_) => ApiError::Storage {
                reason: message,
                is_full: false,
            },
            Error::Cancelled => ApiError::Cancelled,
            Error::Suspended => ApiError::Suspended { reason: message },
        }
    }
}

/// A foreign listener threw something other than an `ApiException`.
impl From<uniffi::UnexpectedUniFFICallbackError> for ApiError {
    fn from(error: uniffi::UnexpectedUniFFICallbackError) -> ApiError {
        ApiError::InvalidInput {
            reason: format!("a listener failed: {}", error.reason),
        }
    }
}
