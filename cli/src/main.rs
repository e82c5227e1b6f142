//! `marktplatz`: the demo, the organisers' tools and a device you can drive from a terminal.
//!
//! Exit statuses, language and output conventions: `docs/cli.md`; decisions: ADR 0012.

mod candidate;
mod cmd;
mod error;
mod i18n;
mod out;
mod parse;
mod resolve;
mod usage;

/// The server runs in this binary: mimalloc, because glibc malloc was a quarter of its CPU under
/// load (docs/adr/0010-performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::error::CmdResult;

#[derive(Parser)]
#[command(
    name = "marktplatz",
    version,
    about = "Offline-first event companion: demo, server, device",
    after_help = "Example: marktplatz demo\nExit statuses: 0 done, 1 failure, 2 usage, 3 invalid input, 4 refused, \
                  5 offline, 6 conflict, 130 interrupted (docs/cli.md)."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Load the demo event (E-Government Marktplatz Nordwest) and print a tour of it.
    Demo(cmd::demo::Args),
    /// Run the publishing server (devices sync from it, organisers publish to it).
    Serve(cmd::serve::Args),
    /// Issue a bearer token on a server's data directory (or `token revoke ID`, `token list`).
    Token(cmd::token::Args),
    /// Make an event readable only with an access code (or public again with --clear), on the
    /// server's data directory.
    AccessCode(cmd::access_code::Args),
    /// Copy a server's data directory, also while it runs, into a new or empty directory
    /// (itself a data directory to serve).
    Backup(cmd::backup::Args),
    /// Start a new epoch for an event or for every event (after restoring a backup): devices
    /// start over at their next sync instead of missing changes.
    RotateEpoch(cmd::rotate_epoch::Args),
    /// Issue, list and revoke tokens and set access codes on a running server, over HTTP.
    Admin(cmd::admin::Args),
    /// Organiser mode on a device: login (check and store the token), logout, status.
    Organiser(cmd::organiser::Args),
    /// Organiser: make, edit (--edit ID) or retract (--retract ID) an announcement.
    Announce(cmd::announce::Args),
    /// Organiser: move, retime, cancel, reinstate or edit a session.
    Session(cmd::session::Args),
    /// Organiser: add a photo to the gallery, or remove one.
    Photo(cmd::photo::Args),
    /// Organiser: the queued operations and where each stands.
    Outbox(cmd::outbox::Args),
    /// Organiser: send the queued operations now.
    Push(cmd::push::Args),
    /// Publish a schedule (native bundle, frab XML, schedule JSON, iCalendar, CSV) to a server.
    Publish(cmd::publish::Args),
    /// Organiser: every publish of an event, newest first (number, time, who, source, note, diff).
    Releases(cmd::releases::Args),
    /// Organiser: publish again what release N published (new changes; --dry-run, --yes).
    Revert(cmd::revert::Args),
    /// Sync a device folder with an event's server (creates the folder).
    Sync(cmd::sync::Args),
    /// Favourites on a device: add, remove, note, list, share, import a friend's code.
    Fav(cmd::fav::Args),
    /// A day's programme, or with --favourites my agenda with conflicts and gaps.
    Agenda(cmd::agenda::Args),
    /// Changes to my favourited sessions (moved, relocated, renamed, cancelled, removed).
    Alerts(cmd::alerts::Args),
    /// iCalendar export of my favourites, one session or the programme.
    Ics(cmd::ics::Args),
    /// A QR code of an event's web programme (URL/e/EVENT/) for posters and the entrance.
    Qr(cmd::qr::Args),
    /// Show what a schedule file (frab XML, c3voc JSON, iCalendar, CSV) would import, without
    /// publishing.
    ImportCheck(cmd::import_check::Args),
    /// Search a device's content as the apps do (type-ahead, German-aware).
    Search(cmd::search::Args),
    /// Print a shell completion script (bash, zsh or fish).
    Completions(cmd::completions::Args),
    /// Print the manual page (roff), made from the same definitions as --help.
    Man(cmd::completions::ManArgs),
}

/// The whole command tree, in the run's language: `--help`, completions and the man page.
pub fn command() -> clap::Command {
    usage::localize(Cli::command())
}

fn run(command: Command) -> CmdResult {
    match command {
        Command::Demo(args) => cmd::demo::run(args),
        Command::Serve(args) => cmd::serve::run(args),
        Command::Token(args) => cmd::token::run(args),
        Command::AccessCode(args) => cmd::access_code::run(args),
        Command::Backup(args) => cmd::backup::run(args),
        Command::RotateEpoch(args) => cmd::rotate_epoch::run(args),
        Command::Admin(args) => cmd::admin::run(args),
        Command::Organiser(args) => cmd::organiser::run(args),
        Command::Announce(args) => cmd::announce::run(args),
        Command::Session(args) => cmd::session::run(args),
        Command::Photo(args) => cmd::photo::run(args),
        Command::Outbox(args) => cmd::outbox::run(args),
        Command::Push(args) => cmd::push::run(args),
        Command::Publish(args) => cmd::publish::run(args),
        Command::Releases(args) => cmd::releases::run(args),
        Command::Revert(args) => cmd::revert::run(args),
        Command::Sync(args) => cmd::sync::run(args),
        Command::Fav(args) => cmd::fav::run(args),
        Command::Agenda(args) => cmd::agenda::run(args),
        Command::Alerts(args) => cmd::alerts::run(args),
        Command::Ics(args) => cmd::ics::run(args),
        Command::Qr(args) => cmd::qr::run(args),
        Command::ImportCheck(args) => cmd::import_check::run(args),
        Command::Search(args) => cmd::search::run(args),
        Command::Completions(args) => cmd::completions::run(args),
        Command::Man(args) => cmd::completions::man(args),
    }
}

fn main() -> ExitCode {
    let matches = match command().try_get_matches() {
        Ok(matches) => matches,
        Err(error) => return usage::exit_on(error),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(error) => return usage::exit_on(error),
    };
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        // `marktplatz agenda | head`: the reader has what it wanted.
        Err(error) if error.is_closed_pipe() => ExitCode::SUCCESS,
        Err(error) => {
            note!("marktplatz: {error}");
            ExitCode::from(error.exit.code())
        }
    }
}
