//! Marktplatz publishing server: a change log per event, delta pages, content-addressed assets.
//!
//! Three layers, each depending only on the ones below it
//! (`docs/ARCHITECTURE.md, "The server"`):
//! - [`store`]: the database and the asset files; its own errors, never HTTP;
//! - [`cache`]: what is kept in memory in front of it (heads, finished pages);
//! - [`http`]: routes, extractors, the middleware stack and the connection loop.
//!
//! [`serve`] runs until its shutdown future completes, then finishes in-flight requests.
//! [`start`] runs it in the background, one event loop per core (`event_loops`).
//! [`Admin`] works on a data directory directly: tokens, publishing, history resets.
//! The protocol is described in `docs/adr/0002-sync-protocol.md`.

pub mod admin;
pub mod cache;
pub mod config;
pub mod console;
mod event_loops;
pub mod feeds;
pub mod http;
pub mod lang;
pub mod probe;
pub mod programme;
pub mod store;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use tokio::sync::watch;

pub use admin::{Admin, AdminError};
pub use config::Config;
pub use http::forwarded::parse_trusted_proxy;
pub use ipnet::IpNet;
/// Tokens and roles (what `Admin::issue_token` takes and gives).
pub use store::auth;

#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot create the data directory {path}: {source}")]
    DataDir {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("the server stopped: {0}")]
    Io(#[from] std::io::Error),
    #[error("the server task failed: {0}")]
    Task(String),
}

/// Binds `config.listen` and serves until `shutdown` completes; in-flight requests finish.
pub async fn serve(
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    let server = start(config).await?;
    shutdown.await;
    server.shutdown().await
}

/// A server running in the background (see [`start`]).
pub struct RunningServer {
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    loops: Vec<event_loops::Loop>,
    pages: Arc<cache::pages::PageCache>,
    /// Other instances' writes (PostgreSQL): stale caches, woken long-polls. Lives as long as
    /// the server serves.
    _changes: Option<store::changes::Listener>,
}

impl RunningServer {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://ip:port`, the base URL devices and publishers use.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Change pages waiting to be compressed again at the best level, or being so (benchmarks
    /// wait for none before measuring what a later device gets).
    pub fn pages_recompressing(&self) -> usize {
        self.pages.recompressing()
    }

    /// Connections each event loop accepted so far ([`Config::event_loops`]).
    pub fn accepted_per_loop(&self) -> Vec<u64> {
        self.loops
            .iter()
            .map(|l| l.accepted.load(std::sync::atomic::Ordering::Relaxed))
            .collect()
    }

    /// Stops accepting, lets in-flight requests finish on every loop, and waits for that.
    pub async fn shutdown(self) -> Result<(), ServerError> {
        let _ = self.stop.send(true);
        let mut result = Ok(());
        for event_loop in self.loops {
            let stopped = event_loop
                .stopped
                .await
                .unwrap_or_else(|_| Err(ServerError::Task("an event loop panicked".into())));
            if result.is_ok() {
                result = stopped;
            }
        }
        tracing::info!("stopped");
        result
    }
}

/// Binds (use port 0 for any free port) and serves on [`Config::event_loops`] threads of its
/// own. Call it on a runtime.
pub async fn start(config: Config) -> Result<RunningServer, ServerError> {
    let listeners = event_loops::bind(config.listen, config.event_loops.max(1))?;
    let addr = listeners[0].local_addr()?;
    // Opened before returning: a caller that opens the same data directory next (an admin, a
    // test) must not race the server's first open, and a bad directory fails here, not later.
    let db = open_data(&config).await?;
    let limits = http::listener::ConnectionLimits::new(
        config.max_connections,
        config.max_connections_per_ip,
        http::forwarded::TrustedProxies::new(&config.trusted_proxies),
        config.idle_timeout,
    );
    let config = Arc::new(config);
    tracing::info!(
        listen = %addr,
        data = %config.data_dir.display(),
        loops = listeners.len(),
        "serving"
    );
    let pages = Arc::new(cache::pages::PageCache::default());
    let mut state = http::AppState::new(db, config.clone());
    state.pages = pages.clone();
    let changes = state.listen_to_other_instances();
    let reads = state.reads();
    let shared = event_loops::Shared {
        app: http::app(state),
        reads,
        config,
        limits,
    };
    let (stop, stopping) = watch::channel(false);
    // Should one fail to start, those already started stop when `stop` is dropped.
    let loops = listeners
        .into_iter()
        .enumerate()
        .map(|(index, listener)| {
            event_loops::spawn(index, listener, shared.clone(), stopping.clone())
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(RunningServer {
        addr,
        stop,
        loops,
        pages,
        _changes: changes,
    })
}

/// Opens the database on a blocking thread: the PostgreSQL client blocks on a runtime of its
/// own, which cannot run on one of tokio's worker threads.
async fn open_data(config: &Config) -> Result<store::Db, ServerError> {
    std::fs::create_dir_all(&config.data_dir).map_err(|source| ServerError::DataDir {
        path: config.data_dir.clone(),
        source,
    })?;
    let (data_dir, database) = (config.data_dir.clone(), config.database.clone());
    Ok(store::blocking("opening the database", move || {
        store::Db::at(&data_dir, database.as_deref())
    })
    .await??)
}
