//! `marktplatz serve`: runs the publishing server until Ctrl-C, then finishes in-flight requests.
//!
//! The data directory is locked for as long as the server runs (an OS lock on
//! `serve.lock`, released by the OS when the process ends, a crash included): a second
//! `serve` on the same `--data` is refused instead of sharing the database.

use std::fs::{File, TryLockError};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use marktplatz_server::Config;

use crate::error::{CliError, CmdResult};
use crate::i18n::{errors, messages as msg};
use crate::{note, out};

/// The lock file in the data directory.
pub const LOCK_FILE: &str = "serve.lock";

#[derive(clap::Args)]
pub struct Args {
    /// Data directory (created if missing): the database and the assets.
    #[arg(long, value_name = "DIR")]
    data: PathBuf,
    /// A PostgreSQL database instead of DIR/marktplatz.db (postgres://user:password@host/db,
    /// ADR 0021); DIR then holds only the asset cache. Several servers may share one.
    #[arg(long, value_name = "URL")]
    database: Option<String>,
    /// Address to listen on (default 127.0.0.1:8080; port 0 picks a free one).
    #[arg(
        long,
        value_name = "ADDR",
        default_value = "127.0.0.1:8080",
        hide_default_value = true
    )]
    listen: SocketAddr,
    /// A reverse proxy (an address, or a range like 10.0.0.0/8; repeatable) whose
    /// X-Forwarded-For names the client for the per-address limits (its rightmost address that
    /// is not a trusted proxy); from any other peer the header is ignored.
    #[arg(long, value_name = "ADDR_OR_CIDR", value_parser = marktplatz_server::parse_trusted_proxy)]
    trusted_proxy: Vec<marktplatz_server::IpNet>,
    /// Publish the built-in demo event (egov-marktplatz-nordwest-2027) before serving.
    #[arg(long)]
    demo: bool,
    /// What to log on stderr: error, warn, info (publishes, operations, refusals, limits hit),
    /// debug (every request) or trace; or a filter like `info,marktplatz_server=debug`.
    /// Without it, RUST_LOG is used when set, else `info`.
    #[arg(long, value_name = "LEVEL")]
    log: Option<String>,
}

pub fn run(args: Args) -> CmdResult {
    let _lock = lock(&args.data)?;
    init_logging(args.log.as_deref())?;
    if args.demo {
        let admin = marktplatz_server::Admin::open_with(&args.data, args.database.as_deref())?;
        let outcome = super::publish::publish_demo(&admin)?;
        note!(
            "{}",
            msg::demo_published(outcome.seq, outcome.added, outcome.updated, outcome.removed)
        );
    }
    let mut config = Config::new(args.data, args.listen);
    config.database = args.database;
    config.trusted_proxies = args.trusted_proxy;
    // The server runs its own event loops (`Config::event_loops`); this one only waits.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(CliError::from)?;
    runtime.block_on(async move {
        let server = marktplatz_server::start(config)
            .await
            .map_err(|e| CliError::failure(msg::server_start_failed(&e.to_string())))?;
        // The actual address (a port of 0 picks a free one). Scripts read this line: it is
        // the same in every language (docs/cli.md).
        out!("marktplatz server listening on {}", server.url())?;
        note!("{}", msg::serve_hint());
        stop_signal().await;
        note!("{}", msg::serve_stopping());
        server
            .shutdown()
            .await
            .map_err(|e| CliError::failure(msg::server_start_failed(&e.to_string())))
    })
}

/// Takes the data directory's lock, or says who holds it.
pub fn lock(data: &Path) -> CmdResult<File> {
    std::fs::create_dir_all(data)
        .map_err(|e| CliError::failure(errors::io(&msg::creating(data), &e)))?;
    let path = data.join(LOCK_FILE);
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| CliError::failure(errors::io(&msg::creating(&path), &e)))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(TryLockError::WouldBlock) => Err(CliError::conflict(msg::data_dir_in_use(data))),
        Err(TryLockError::Error(e)) => Err(CliError::failure(errors::io(&msg::locking(&path), &e))),
    }
}

/// Logs to stderr at `level` (or RUST_LOG, or `info`).
fn init_logging(level: Option<&str>) -> CmdResult {
    use tracing_subscriber::EnvFilter;
    let filter = match level {
        Some(level) => EnvFilter::try_new(level).map_err(|e| {
            CliError::invalid(format!("--log {level}: not a level or filter ({e})"))
        })?,
        None => EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
    };
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init()
        .map_err(|e| CliError::failure(format!("cannot start logging: {e}")))?;
    Ok(())
}

/// Ctrl-C, or SIGTERM where there is one (how scripts and service managers stop a server).
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
