//! `marktplatz`: the demo, the organisers' tools and a device you can drive from a terminal.

mod cmd;

/// The server runs in this binary: mimalloc, because glibc malloc was a quarter of its CPU under
/// load (docs/adr/0010-performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "marktplatz",
    version,
    about = "Offline-first event companion: demo, server, device"
)]
struct Cli {
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
    /// Make an event readable only with an access code (or public again with --clear).
    AccessCode(cmd::access_code::Args),
    /// Organiser mode on a device: login (store the token), logout, status.
    Organiser(cmd::organiser::Args),
    /// Organiser: make, edit (--edit ID) or retract (--retract) an announcement.
    Announce(cmd::announce::Args),
    /// Organiser: move, retime, cancel, reinstate or edit a session.
    Session(cmd::session::Args),
    /// Organiser: add a photo to the gallery, or remove one.
    Photo(cmd::photo::Args),
    /// Organiser: the queued operations and where each stands.
    Outbox(cmd::outbox::Args),
    /// Organiser: send the queued operations now.
    Push(cmd::push::Args),
    /// Publish a native bundle (and its assets) to a server.
    Publish(cmd::publish::Args),
    /// Sync a device folder with an event's server.
    Sync(cmd::sync::Args),
    /// Favourites on a device: add, remove, note, list, share, import a friend's code.
    Fav(cmd::fav::Args),
    /// A day's programme, or with --favourites my agenda with conflicts and gaps.
    Agenda(cmd::agenda::Args),
    /// Changes to my favourited sessions (moved, relocated, renamed, cancelled, removed).
    Alerts(cmd::alerts::Args),
    /// iCalendar export of my favourites, one session or the programme.
    Ics(cmd::ics::Args),
    /// Show what a schedule file (frab XML, c3voc JSON, iCalendar, CSV) would import, without publishing.
    ImportCheck(cmd::import_check::Args),
    /// Search a device's content as the apps do (type-ahead, German-aware).
    Search(cmd::search::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Demo(args) => cmd::demo::run(args),
        Command::Serve(args) => cmd::serve::run(args),
        Command::Token(args) => cmd::token::run(args),
        Command::AccessCode(args) => cmd::access_code::run(args),
        Command::Organiser(args) => cmd::organiser::run(args),
        Command::Announce(args) => cmd::announce::run(args),
        Command::Session(args) => cmd::session::run(args),
        Command::Photo(args) => cmd::photo::run(args),
        Command::Outbox(args) => cmd::outbox::run(args),
        Command::Push(args) => cmd::push::run(args),
        Command::Publish(args) => cmd::publish::run(args),
        Command::Sync(args) => cmd::sync::run(args),
        Command::Fav(args) => cmd::fav::run(args),
        Command::Agenda(args) => cmd::agenda::run(args),
        Command::Alerts(args) => cmd::alerts::run(args),
        Command::Ics(args) => cmd::ics::run(args),
        Command::ImportCheck(args) => cmd::import_check::run(args),
        Command::Search(args) => cmd::search::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("marktplatz: {error}");
            ExitCode::FAILURE
        }
    }
}
