//! `marktplatz serve`: runs the publishing server until Ctrl-C, then finishes in-flight requests.

use std::net::SocketAddr;
use std::path::PathBuf;

use marktplatz_server::Config;

use super::CmdResult;

#[derive(clap::Args)]
pub struct Args {
    /// Data directory (created if missing): the database and the assets.
    #[arg(long)]
    data: PathBuf,
    /// Address to listen on, e.g. 127.0.0.1:8080.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Publish the built-in demo event before serving.
    #[arg(long)]
    demo: bool,
    /// What to log on stderr: error, warn, info (publishes, operations, refusals, limits hit),
    /// debug (every request) or trace; or a filter like `info,marktplatz_server=debug`.
    /// Without it, RUST_LOG is used when set, else `info`.
    #[arg(long, value_name = "LEVEL")]
    log: Option<String>,
}

pub fn run(args: Args) -> CmdResult {
    init_logging(args.log.as_deref())?;
    if args.demo {
        let admin = marktplatz_server::Admin::open(&args.data)?;
        let outcome = super::publish::publish_demo(&admin)?;
        eprintln!(
            "demo event published: head {} ({} added, {} updated, {} removed)",
            outcome.seq, outcome.added, outcome.updated, outcome.removed
        );
    }
    let config = Config::new(args.data, args.listen);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let server = marktplatz_server::start(config).await?;
        // The actual address (a port of 0 picks a free one): scripts read this line.
        println!("marktplatz server listening on {}", server.url());
        eprintln!("(Ctrl-C or SIGTERM stops it, finishing requests in flight)");
        stop_signal().await;
        eprintln!("stopping: finishing requests in flight");
        server.shutdown().await
    })?;
    Ok(())
}

/// Logs to stderr at `level` (or RUST_LOG, or `info`).
fn init_logging(level: Option<&str>) -> CmdResult {
    use tracing_subscriber::EnvFilter;
    let filter = match level {
        Some(level) => EnvFilter::try_new(level)
            .map_err(|e| format!("--log {level}: not a level or filter ({e})"))?,
        None => EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
    };
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init()
        .map_err(|e| format!("cannot start logging: {e}"))?;
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
