//! The core's error type: rich enough to say what was wrong and where.

use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Content that breaks a rule of the model: names the entity and the field.
    #[error("{entity}: {field}: {message}")]
    Invalid {
        entity: String,
        field: String,
        message: String,
    },

    /// A file or payload that could not be read at all (not JSON, truncated, wrong format).
    #[error("{what} is malformed: {message}")]
    Malformed { what: String, message: String },

    #[error("{kind} '{id}' not found")]
    NotFound { kind: String, id: String },

    #[error(
        "{db} was written by a newer Marktplatz (schema version {found}, this build supports up to {supported}); update the app instead of opening it with this one"
    )]
    NewerSchema {
        db: &'static str,
        found: i64,
        supported: i64,
    },

    #[error("{path} is damaged ({message})")]
    Corrupt { path: PathBuf, message: String },

    /// The platform's credential store (Keystore, Keychain, the CLI's file) refused.
    #[error(transparent)]
    Credentials(#[from] CredentialError),

    #[error("the device storage is full: {0}")]
    DiskFull(String),

    #[error("database error while {context}: {source}")]
    Sqlite {
        context: String,
        #[source]
        source: rusqlite::Error,
    },

    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },

    /// The network could not be reached (no route, DNS, connection refused, reset).
    #[error("cannot reach {url}: {message}")]
    Offline { url: String, message: String },

    #[error("{url} did not answer within {seconds} s")]
    Timeout { url: String, seconds: u64 },

    /// The server answered with an error status and its JSON `{code, message}`.
    #[error("{url} answered {status} ({code}): {message}")]
    Server {
        /// The address asked, so a message names which server (and which path) refused.
        url: String,
        status: u16,
        code: String,
        message: String,
        /// Seconds from `Retry-After`, when the server sent one.
        retry_after: Option<u64>,
    },

    /// The server's answer could not be used (garbage JSON, wrong hash, other epoch).
    #[error("the server sent an unusable answer: {0}")]
    Protocol(String),

    #[error("cancelled")]
    Cancelled,

    /// The store is suspended (the app is in the background); call resume() first.
    #[error("the store is suspended; resume it before using it")]
    Suspended,
}

impl Error {
    pub fn invalid(
        entity: impl Into<String>,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Error {
        Error::Invalid {
            entity: entity.into(),
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn malformed(what: impl Into<String>, message: impl std::fmt::Display) -> Error {
        Error::Malformed {
            what: what.into(),
            message: message.to_string(),
        }
    }

    pub fn not_found(kind: impl Into<String>, id: impl Into<String>) -> Error {
        Error::NotFound {
            kind: kind.into(),
            id: id.into(),
        }
    }

    pub fn io(context: impl Into<String>, source: std::io::Error) -> Error {
        let context = context.into();
        if is_disk_full(&source) {
            return Error::DiskFull(format!("{context}: {source}"));
        }
        Error::Io { context, source }
    }

    pub fn is_disk_full(&self) -> bool {
        matches!(self, Error::DiskFull(_))
    }
}

/// The contract's errors keep their kind (and their text) in the core's.
impl From<marktplatz_model::Error> for Error {
    fn from(error: marktplatz_model::Error) -> Error {
        use marktplatz_model::Error as Model;
        match error {
            Model::Invalid {
                entity,
                field,
                message,
            } => Error::Invalid {
                entity,
                field,
                message,
            },
            Model::Malformed { what, message } => Error::Malformed { what, message },
            Model::NotFound { kind, id } => Error::NotFound { kind, id },
            Model::Protocol(message) => Error::Protocol(message),
        }
    }
}

fn is_disk_full(error: &std::io::Error) -> bool {
    // ENOSPC (28) and EDQUOT (122) on Linux/Android; ENOSPC is 28 on Apple platforms too.
    matches!(error.raw_os_error(), Some(28) | Some(122))
        || error.kind() == std::io::ErrorKind::StorageFull
}

/// Adds "while doing X" to SQLite errors, and recognises a full disk or a damaged file.
pub trait SqliteContext<T> {
    fn context(self, context: &str) -> Result<T>;
}

impl<T> SqliteContext<T> for std::result::Result<T, rusqlite::Error> {
    fn context(self, context: &str) -> Result<T> {
        self.map_err(|source| Error::sqlite(context, source))
    }
}

impl Error {
    /// Wraps a SQLite error, recognising a full disk and a damaged file.
    pub fn sqlite(context: &str, source: rusqlite::Error) -> Error {
        use rusqlite::ffi::ErrorCode;
        match source.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => Error::DiskFull(format!("while {context}")),
            _ => Error::Sqlite {
                context: context.to_string(),
                source,
            },
        }
    }
}

/// What went wrong in a credential store, naming the action and the key (never the secret).
#[derive(Debug, thiserror::Error)]
#[error("the credential store could not {action} '{key}': {reason}")]
pub struct CredentialError {
    pub action: &'static str,
    pub key: String,
    pub reason: String,
}

impl CredentialError {
    pub fn new(action: &'static str, key: &str, reason: impl std::fmt::Display) -> CredentialError {
        CredentialError {
            action,
            key: key.to_string(),
            reason: reason.to_string(),
        }
    }
}
