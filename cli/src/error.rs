//! What a command can end in, and the exit status that says so (documented in `docs/cli.md`).

use std::fmt;

use crate::i18n::{errors, messages as msg};

/// Exit statuses. Scripts may rely on these numbers; `docs/cli.md` lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// Something failed that is not the user's input nor the server's answer: the device's
    /// storage, a damaged file, a fault of ours.
    Failure = 1,
    /// The command line could not be read: unknown option, missing argument, a value of the
    /// wrong form (clap's own errors).
    Usage = 2,
    /// The command line was read, but a value, name or file does not fit: an unknown session,
    /// an ambiguous name, a malformed schedule file, a missing device folder.
    Invalid = 3,
    /// The server refused: a wrong, revoked or expired token, a token without the right, a
    /// missing or wrong access code, an operation the server rejected.
    Refused = 4,
    /// The server could not be reached or did not answer in time (or is overloaded): nothing
    /// is lost; queued operations stay queued. Try again later.
    Offline = 5,
    /// The state is not what the command expected: the server holds a newer version than the
    /// change was based on, or another process holds the data directory.
    Conflict = 6,
    /// A publish the server's guards refuse unless confirmed (it would remove more than half
    /// of the source's sessions, or change the event's days): the preview was printed;
    /// `--yes` publishes it.
    Unconfirmed = 7,
    /// Stopped by Ctrl-C.
    Interrupted = 130,
}

impl Exit {
    pub fn code(self) -> u8 {
        self as u8
    }
}

/// A command's failure: the line to print (already in the run's language) and the exit status.
#[derive(Debug)]
pub struct CliError {
    pub exit: Exit,
    pub message: String,
}

pub type CmdResult<T = ()> = Result<T, CliError>;

impl CliError {
    pub fn new(exit: Exit, message: impl Into<String>) -> CliError {
        CliError {
            exit,
            message: message.into(),
        }
    }

    pub fn failure(message: impl Into<String>) -> CliError {
        CliError::new(Exit::Failure, message)
    }

    pub fn invalid(message: impl Into<String>) -> CliError {
        CliError::new(Exit::Invalid, message)
    }

    pub fn refused(message: impl Into<String>) -> CliError {
        CliError::new(Exit::Refused, message)
    }

    pub fn offline(message: impl Into<String>) -> CliError {
        CliError::new(Exit::Offline, message)
    }

    pub fn conflict(message: impl Into<String>) -> CliError {
        CliError::new(Exit::Conflict, message)
    }

    pub fn unconfirmed(message: impl Into<String>) -> CliError {
        CliError::new(Exit::Unconfirmed, message)
    }

    /// The reader of standard output went away (`| head`): not an error to report.
    pub fn closed_pipe() -> CliError {
        CliError::new(Exit::Failure, String::new())
    }

    pub fn is_closed_pipe(&self) -> bool {
        self.message.is_empty()
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<marktplatz_core::Error> for CliError {
    fn from(error: marktplatz_core::Error) -> CliError {
        errors::core(&error)
    }
}

impl From<marktplatz_model::Error> for CliError {
    fn from(error: marktplatz_model::Error) -> CliError {
        errors::core(&marktplatz_core::Error::from(error))
    }
}

impl From<marktplatz_server::AdminError> for CliError {
    /// A refusal of the server's data directory, said (and exited with) as the same refusal
    /// over HTTP would be.
    fn from(error: marktplatz_server::AdminError) -> CliError {
        use marktplatz_model::wire::code;
        let status = match error.code {
            code::UNAUTHORIZED => 401,
            code::FORBIDDEN => 403,
            code::NOT_FOUND | code::EVENT_NOT_FOUND | code::ASSET_NOT_FOUND => 404,
            code::CONFLICT | code::EPOCH_MISMATCH => 409,
            code::INTERNAL => 500,
            _ => 400,
        };
        errors::server(status, error.code, &error.message)
    }
}

impl From<marktplatz_server::ServerError> for CliError {
    fn from(error: marktplatz_server::ServerError) -> CliError {
        errors::server_process(&error)
    }
}

impl From<std::io::Error> for CliError {
    fn from(error: std::io::Error) -> CliError {
        if error.kind() == std::io::ErrorKind::BrokenPipe {
            return CliError::closed_pipe();
        }
        CliError::failure(errors::io(&msg::io_context(), &error))
    }
}

impl From<serde_json::Error> for CliError {
    fn from(error: serde_json::Error) -> CliError {
        CliError::failure(msg::json_failed(&error.to_string()))
    }
}
