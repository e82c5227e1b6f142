//! `marktplatz`: the demo, the organisers' tools and a device you can drive from a terminal.

mod cmd;

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
    /// Search a device's content as the apps do (type-ahead, German-aware).
    Search(cmd::search::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Demo(args) => cmd::demo::run(args),
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
