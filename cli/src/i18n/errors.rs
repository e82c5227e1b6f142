//! The core's and the server's errors in the CLI's language, with the exit status they mean.
//!
//! Rendered from the error's variant and structured fields (kind, id, URL, HTTP status, the
//! server's stable `code`), never by translating the English `Display` text. Free text that a
//! variant carries (the reason inside `Invalid`, a server message with a code we do not know,
//! the operating system's text of an I/O error) is shown as a quoted detail: it is the only
//! place where another language can appear, and it is marked as a quotation.

use marktplatz_core::Error;
use marktplatz_model::wire::code;

use super::{Lang, current};
use crate::error::{CliError, Exit};

fn kind_word(kind: &str) -> String {
    super::messages::entity_kind(kind)
}

fn quoted(detail: &str) -> String {
    match current() {
        Lang::En => detail.to_string(),
        Lang::De => format!("„{detail}“"),
    }
}

pub fn core(error: &Error) -> CliError {
    let de = current() == Lang::De;
    match error {
        Error::Invalid {
            entity,
            field,
            message,
        } => CliError::invalid(if de {
            format!("ungültig: {entity}, {field}: {}", quoted(message))
        } else {
            format!("{entity}: {field}: {message}")
        }),
        Error::Malformed { what, message } => CliError::invalid(if de {
            format!("{what} ist nicht lesbar: {}", quoted(message))
        } else {
            format!("{what} is malformed: {message}")
        }),
        Error::NotFound { kind, id } => CliError::invalid(if de {
            format!("{} '{id}' gibt es nicht", kind_word(kind))
        } else {
            format!("there is no {} '{id}'", kind_word(kind))
        }),
        Error::NewerSchema { db, found, .. } => CliError::failure(if de {
            format!(
                "{db} stammt von einer neueren Marktplatz-Version (Schema {found}); \
                 aktualisieren Sie marktplatz, statt die Datei mit dieser Version zu öffnen"
            )
        } else {
            error.to_string()
        }),
        Error::Corrupt { path, message } => CliError::failure(if de {
            format!("{} ist beschädigt ({})", path.display(), quoted(message))
        } else {
            error.to_string()
        }),
        Error::DiskFull(context) => CliError::failure(if de {
            format!("der Speicher ist voll ({})", quoted(context))
        } else {
            error.to_string()
        }),
        Error::Sqlite { context, source } => CliError::failure(if de {
            format!(
                "Datenbankfehler ({}): {}",
                quoted(context),
                quoted(&source.to_string())
            )
        } else {
            error.to_string()
        }),
        Error::Io { context, source } => CliError::failure(io(context, source)),
        Error::Offline { url, message } => CliError::offline(if de {
            format!(
                "{url} ist nicht erreichbar ({}); nichts ist verloren, versuchen Sie es später noch einmal",
                quoted(message)
            )
        } else {
            format!("cannot reach {url} ({message}); nothing is lost, try again later")
        }),
        Error::Timeout { url, seconds } => CliError::offline(if de {
            format!(
                "{url} hat nicht innerhalb von {seconds} s geantwortet; versuchen Sie es später noch einmal"
            )
        } else {
            format!("{url} did not answer within {seconds} s; try again later")
        }),
        Error::Server {
            url,
            status,
            code,
            message,
            ..
        } => server_at(Some(url), *status, code, message),
        Error::Protocol(detail) => CliError::failure(if de {
            format!(
                "die Antwort des Servers ist unbrauchbar ({})",
                quoted(detail)
            )
        } else {
            error.to_string()
        }),
        Error::Cancelled => CliError::new(
            Exit::Interrupted,
            if de { "abgebrochen" } else { "cancelled" },
        ),
        Error::Credentials(refused) => CliError::failure(if de {
            format!(
                "der Schlüsselspeicher hat abgelehnt: {}",
                quoted(&refused.to_string())
            )
        } else {
            refused.to_string()
        }),
        Error::Suspended => CliError::failure(if de {
            "der Speicher ist pausiert"
        } else {
            "the store is suspended"
        }),
    }
}

/// An error answer of a server (or of `Admin` on its data directory): status and stable code
/// decide the exit status and the sentence; the server's own text only for codes not known here.
pub fn server(status: u16, code: &str, message: &str) -> CliError {
    server_at(None, status, code, message)
}

/// Like [`server`], for an answer from `url`: a code this version does not know is said with
/// the address that gave it, so the reader knows which server (and path) to look at.
pub fn server_at(url: Option<&str>, status: u16, code: &str, message: &str) -> CliError {
    let de = current() == Lang::De;
    let who = url.unwrap_or(if de { "der Server" } else { "the server" });
    let exit = match status {
        401 | 403 => Exit::Refused,
        409 => Exit::Conflict,
        408 | 429 | 500..=599 => Exit::Offline,
        400..=499 => Exit::Invalid,
        _ => Exit::Failure,
    };
    let text = match (code, de) {
        (code::UNAUTHORIZED, false) => {
            format!("the server does not accept the token ({message})")
        }
        (code::UNAUTHORIZED, true) => {
            "der Server nimmt das Token nicht an (unbekannt, widerrufen oder abgelaufen)".into()
        }
        (code::FORBIDDEN, false) => {
            format!("the token does not allow this ({message})")
        }
        (code::FORBIDDEN, true) => {
            "das Token erlaubt das nicht (falsche Rolle oder andere Veranstaltung)".into()
        }
        (code::ACCESS_CODE_REQUIRED, false) => {
            "this event needs an access code: sync once with --access-code CODE (the code from the organisers)".into()
        }
        (code::ACCESS_CODE_REQUIRED, true) => {
            "diese Veranstaltung braucht einen Zugangscode: einmal mit --access-code CODE synchronisieren (den Code der Veranstalter)".into()
        }
        (code::ACCESS_CODE_WRONG, false) => {
            "the access code is wrong: sync with --access-code and the current code".into()
        }
        (code::ACCESS_CODE_WRONG, true) => {
            "der Zugangscode ist falsch: mit --access-code und dem aktuellen Code synchronisieren"
                .into()
        }
        (code::EVENT_NOT_FOUND, false) => {
            format!("the server has no such event ({message})")
        }
        (code::EVENT_NOT_FOUND, true) => {
            "diese Veranstaltung gibt es auf dem Server nicht".into()
        }
        (code::RATE_LIMITED | code::OVERLOADED, false) => {
            "the server is busy; try again in a moment".into()
        }
        (code::RATE_LIMITED | code::OVERLOADED, true) => {
            "der Server ist ausgelastet; versuchen Sie es gleich noch einmal".into()
        }
        (code::INTERNAL, false) => "the server failed; try again later".into(),
        (code::INTERNAL, true) => {
            "auf dem Server ist ein Fehler aufgetreten; versuchen Sie es später noch einmal"
                .into()
        }
        (code::CONFLICT, false) => format!(
            "the server holds a newer version ({message}); sync, look, and try again"
        ),
        (code::CONFLICT, true) => {
            "der Server hat inzwischen eine neuere Fassung; synchronisieren, prüfen und erneut versuchen".into()
        }
        (_, false) => format!("{who} answered {status} ({code}): {message}"),
        (_, true) => format!("{who} antwortet {status} ({code}): {}", quoted(message)),
    };
    CliError::new(exit, text)
}

/// A server process (or its data directory) that could not start or run.
pub fn server_process(error: &marktplatz_server::ServerError) -> CliError {
    use marktplatz_server::ServerError;
    match error {
        ServerError::Bind { addr, source } => CliError::failure(match current() {
            Lang::En => io(&format!("cannot listen on {addr}"), source),
            Lang::De => io(&format!("auf {addr} kann nicht gehört werden"), source),
        }),
        ServerError::DataDir { path, source } => {
            CliError::failure(io(&super::messages::creating(path), source))
        }
        other => CliError::failure(super::messages::server_start_failed(&other.to_string())),
    }
}

/// An I/O error with what was being done, the OS's reason by kind where it is a common one.
pub fn io(context: &str, error: &std::io::Error) -> String {
    use std::io::ErrorKind;
    let reason = match (error.kind(), current()) {
        (ErrorKind::NotFound, Lang::De) => "nicht gefunden".to_string(),
        (ErrorKind::PermissionDenied, Lang::De) => "keine Berechtigung".to_string(),
        (ErrorKind::AlreadyExists, Lang::De) => "existiert schon".to_string(),
        (ErrorKind::StorageFull, Lang::De) => "der Speicher ist voll".to_string(),
        (ErrorKind::IsADirectory, Lang::De) => "ist ein Ordner".to_string(),
        (ErrorKind::NotADirectory, Lang::De) => "ist kein Ordner".to_string(),
        (_, Lang::De) => quoted(&error.to_string()),
        (_, Lang::En) => error.to_string(),
    };
    format!("{context}: {reason}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_code_is_said_with_the_server_that_gave_it() {
        let error = marktplatz_core::Error::Server {
            url: "https://fair.example/v1/events/x/changes".into(),
            status: 418,
            code: "teapot".into(),
            message: "short and stout".into(),
            retry_after: None,
        };
        let text = core(&error).message;
        assert!(
            text.starts_with("https://fair.example/v1/events/x/changes "),
            "{text}"
        );
        assert!(text.contains("418 (teapot)"), "{text}");
        assert!(server(418, "teapot", "x").message.contains("418 (teapot)"));
    }
}
