//! One module per subcommand; each exposes `Args` (clap) and `run(args)`.

pub mod demo;
pub mod search;

/// What a subcommand returns: errors are printed as one line and exit with status 1.
pub type CmdResult = Result<(), Box<dyn std::error::Error>>;
