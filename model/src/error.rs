//! What can be wrong with content, a wire message or an operation: the errors of the contract.
//! The device core, the importers, the media code and the server wrap or answer them.

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

    /// A wire message that cannot be used (inconsistent page, wrong hash).
    #[error("the server sent an unusable answer: {0}")]
    Protocol(String),
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
}
