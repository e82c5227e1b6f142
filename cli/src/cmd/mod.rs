//! One module per subcommand; each exposes `Args` (clap) and `run(args)`. Shared parts:
//! `device` (the device folder), `write` (organiser operations), `credentials` (tokens),
//! `server` (a runtime and the HTTP client), `schedule_file` (reading schedules).

pub mod access_code;
pub mod admin;
pub mod agenda;
pub mod alerts;
pub mod announce;
pub mod backup;
pub mod completions;
pub mod credentials;
pub mod demo;
pub mod device;
pub mod fav;
pub mod follow;
pub mod ics;
pub mod import_check;
pub mod organiser;
pub mod outbox;
pub mod photo;
pub mod publish;
pub mod push;
pub mod qr;
pub mod releases;
pub mod revert;
pub mod rotate_epoch;
pub mod schedule_file;
pub mod search;
pub mod serve;
pub mod server;
pub mod session;
pub mod store_args;
pub mod sync;
mod sync_report;
pub mod token;
pub mod write;
