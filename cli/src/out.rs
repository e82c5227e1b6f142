//! Writing to the terminal. Standard output may be a pipe whose reader goes away (`| head`):
//! a write then fails with `BrokenPipe`, which ends the command quietly (see `main`). Notes on
//! standard error are best effort: when nobody reads them there is nothing left to tell.

use std::io::Write;

use crate::error::{CliError, CmdResult};

/// Writes one line to standard output: `out!("{x}")?`.
#[macro_export]
macro_rules! out {
    () => { $crate::out::line(format_args!("")) };
    ($($arg:tt)*) => { $crate::out::line(format_args!($($arg)*)) };
}

/// Writes one line to standard error (progress, notes, hints): `note!("{x}")`.
#[macro_export]
macro_rules! note {
    ($($arg:tt)*) => { $crate::out::note_line(format_args!($($arg)*)) };
}

pub fn line(args: std::fmt::Arguments<'_>) -> CmdResult {
    let text = terminal_safe(args);
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.write_all(b"\n"))
        .map_err(CliError::from)
}

/// The text without controls, escapes and bidi overrides (newlines and tabs stay): content
/// from a server or an older store never reaches the terminal raw.
fn terminal_safe(args: std::fmt::Arguments<'_>) -> String {
    marktplatz_model::clean::clean_text(&args.to_string(), false)
}

/// Writes bytes as they are (an iCalendar file, a man page), then flushes.
pub fn bytes(data: &[u8]) -> CmdResult {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(data)
        .and_then(|()| stdout.flush())
        .map_err(CliError::from)
}

/// Pretty JSON on standard output.
pub fn json(value: &impl serde::Serialize) -> CmdResult {
    let text = serde_json::to_string_pretty(value)?;
    line(format_args!("{text}"))
}

/// One JSON object on one line (a stream of reports, one line each).
pub fn json_line(value: &impl serde::Serialize) -> CmdResult {
    let text = serde_json::to_string(value)?;
    line(format_args!("{text}"))
}

pub fn note_line(args: std::fmt::Arguments<'_>) {
    let text = terminal_safe(args);
    let mut stderr = std::io::stderr().lock();
    let _ = stderr
        .write_all(text.as_bytes())
        .and_then(|()| stderr.write_all(b"\n"));
}

/// Progress on standard error, rewriting the current line.
pub fn progress(args: std::fmt::Arguments<'_>) {
    let mut stderr = std::io::stderr().lock();
    let _ = stderr
        .write_all(b"\r")
        .and_then(|()| stderr.write_fmt(args));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_escape_or_bidi_override_reaches_the_terminal() {
        let title = "Er\u{1b}]52;c;cGF5bG9hZA==\u{7}öff\u{202E}nung\u{9b}2J";
        assert_eq!(
            terminal_safe(format_args!("{title}\nzweite Zeile")),
            "Er]52;c;cGF5bG9hZA==öffnung2J\nzweite Zeile"
        );
    }
}
