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
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_fmt(args)
        .and_then(|()| stdout.write_all(b"\n"))
        .map_err(CliError::from)
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

pub fn note_line(args: std::fmt::Arguments<'_>) {
    let mut stderr = std::io::stderr().lock();
    let _ = stderr
        .write_fmt(args)
        .and_then(|()| stderr.write_all(b"\n"));
}

/// Progress on standard error, rewriting the current line.
pub fn progress(args: std::fmt::Arguments<'_>) {
    let mut stderr = std::io::stderr().lock();
    let _ = stderr
        .write_all(b"\r")
        .and_then(|()| stderr.write_fmt(args));
}
