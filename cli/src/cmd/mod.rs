//! One module per subcommand; each exposes `Args` (clap) and `run(args)`.

pub mod access_code;
pub mod agenda;
pub mod alerts;
pub mod announce;
pub mod demo;
pub mod device;
pub mod fav;
pub mod ics;
pub mod import_check;
pub mod organiser;
pub mod outbox;
pub mod photo;
pub mod publish;
pub mod push;
pub mod schedule_file;
pub mod search;
pub mod serve;
pub mod session;
pub mod sync;
pub mod token;

/// What a subcommand returns: errors are printed as one line and exit with status 1.
pub type CmdResult = Result<(), Box<dyn std::error::Error>>;
