//! What can go wrong in the store: the client's fault (named with the wire code the contract
//! gives it) or ours. The store never speaks HTTP; `http::error` maps these to answers.

use std::path::PathBuf;

use marktplatz_model::ops::CurrentVersion;
use marktplatz_model::preview::Preview;
use marktplatz_model::wire::code;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open {path}: {source}")]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    /// A PostgreSQL database that cannot be used: a URL that does not parse, a server that
    /// cannot be reached, a refused password, a failed migration. `database` never holds the
    /// password.
    #[error("cannot use the database {database}: {detail}")]
    Database { database: String, detail: String },
    #[error(
        "{path} was written by a newer marktplatz server (schema {found}, this build knows {known})"
    )]
    Newer {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error("the database failed: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("the database failed: {0}")]
    Postgres(#[from] postgres::Error),
    #[error("there is no event '{0}' on this server")]
    EventNotFound(String),
    /// Something else the request names does not exist (a token, an entity).
    #[error("{0}")]
    NotFound(String),
    /// No token, or one that is unknown, revoked or expired.
    #[error("{0}")]
    Unauthenticated(String),
    /// A valid token without the right to do this.
    #[error("{0}")]
    Forbidden(String),
    /// A request value that is not acceptable (a role, a code, an id).
    #[error("{0}")]
    BadInput(String),
    /// A request that cannot be read at all, with its wire code (an operation that is not JSON).
    #[error("{message}")]
    Malformed { code: &'static str, message: String },
    /// A well-formed request that breaks a rule, with its wire code.
    #[error("{message}")]
    Refused { code: &'static str, message: String },
    /// An organiser operation based on an old version: the entity as stored now.
    #[error("{message}")]
    Conflict {
        message: String,
        current: Box<CurrentVersion>,
    },
    /// A publish the guards refuse unless confirmed: the preview that explains it.
    #[error("{message}")]
    ConfirmationRequired {
        message: String,
        preview: Box<Preview>,
    },
    /// Content the core refused (a bundle that cannot be read or breaks the model's rules).
    #[error(transparent)]
    Content(#[from] marktplatz_model::Error),
    /// More work of this kind is running than the server allows at once (image decodes).
    #[error("the server is busy {0}; try again shortly")]
    Busy(&'static str),
    #[error("{context}: {source}")]
    Io {
        context: &'static str,
        source: std::io::Error,
    },
    /// A fault of ours that is none of the above (a stored value that cannot be read back).
    #[error("{context}: {detail}")]
    Internal {
        context: &'static str,
        detail: String,
    },
}

impl StoreError {
    pub fn refused(code: &'static str, message: impl Into<String>) -> StoreError {
        StoreError::Refused {
            code,
            message: message.into(),
        }
    }

    pub fn conflict(message: impl Into<String>, current: CurrentVersion) -> StoreError {
        StoreError::Conflict {
            message: message.into(),
            current: Box::new(current),
        }
    }

    pub fn internal(context: &'static str, detail: impl std::fmt::Display) -> StoreError {
        StoreError::Internal {
            context,
            detail: detail.to_string(),
        }
    }

    pub fn io(context: &'static str) -> impl FnOnce(std::io::Error) -> StoreError {
        move |source| StoreError::Io { context, source }
    }

    /// The stable code the contract gives this error (`wire::code`).
    pub fn code(&self) -> &'static str {
        use marktplatz_model::Error as Core;
        match self {
            StoreError::EventNotFound(_) => code::EVENT_NOT_FOUND,
            StoreError::NotFound(_) => code::NOT_FOUND,
            StoreError::Unauthenticated(_) => code::UNAUTHORIZED,
            StoreError::Forbidden(_) => code::FORBIDDEN,
            StoreError::BadInput(_) => code::BAD_REQUEST,
            StoreError::Malformed { code, .. } | StoreError::Refused { code, .. } => code,
            StoreError::Conflict { .. } => code::CONFLICT,
            StoreError::ConfirmationRequired { .. } => code::CONFIRMATION_REQUIRED,
            StoreError::Content(Core::Malformed { .. }) => code::MALFORMED_BUNDLE,
            StoreError::Content(Core::Invalid { .. }) => code::INVALID_BUNDLE,
            StoreError::Busy(_) => code::OVERLOADED,
            StoreError::Content(_)
            | StoreError::Open { .. }
            | StoreError::Database { .. }
            | StoreError::Newer { .. }
            | StoreError::Sqlite(_)
            | StoreError::Postgres(_)
            | StoreError::Io { .. }
            | StoreError::Internal { .. } => code::INTERNAL,
        }
    }

    /// Whether this is a fault of ours rather than of the request.
    pub fn is_internal(&self) -> bool {
        self.code() == code::INTERNAL
    }

    /// What the server was doing when a fault of ours happened (for the client's message).
    pub fn context(&self) -> &'static str {
        match self {
            StoreError::Io { context, .. } | StoreError::Internal { context, .. } => context,
            StoreError::Content(_) => "processing the request",
            _ => "using its database",
        }
    }
}
