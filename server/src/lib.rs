//! Marktplatz publishing server: a change log per event, delta pages, content-addressed assets.
//!
//! Three layers, each depending only on the ones below it
//! (`docs/ARCHITECTURE.md, "The server"`):
//! - [`store`]: the database and the asset files; its own errors, never HTTP;
//! - [`cache`]: what is kept in memory in front of it (heads, finished pages);
//! - [`http`]: routes, extractors, the middleware stack and the connection loop.
//!
//! [`serve`] runs until its shutdown future completes, then finishes in-flight requests.
//! [`start`] runs it in the background on an already bound address (tests, the CLI's demo).
//! [`Admin`] works on a data directory directly: tokens, publishing, history resets.
//! The protocol is described in `docs/adr/0002-sync-protocol.md`.

pub mod admin;
pub mod cache;
pub mod config;
pub mod console;
pub mod feeds;
pub mod http;
pub mod lang;
pub mod probe;
pub mod programme;
pub mod store;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

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
    let listener = bind(&config).await?;
    let db = open_data(&config).await?;
    run(listener, config, db, Arc::default(), shutdown).await
}

/// A server running in the background (see [`start`]).
pub struct RunningServer {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<Result<(), ServerError>>,
    pages: Arc<cache::pages::PageCache>,
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

    /// Stops accepting, lets in-flight requests finish, and waits for that.
    pub async fn shutdown(mut self) -> Result<(), ServerError> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match (&mut self.task).await {
            Ok(result) => result,
            Err(e) => Err(ServerError::Task(e.to_string())),
        }
    }
}

/// Binds (use port 0 for any free port) and serves in a background task.
pub async fn start(config: Config) -> Result<RunningServer, ServerError> {
    let listener = bind(&config).await?;
    let addr = listener.local_addr()?;
    // Opened before returning: a caller that opens the same data directory next (an admin, a
    // test) must not race the server's first open, and a bad directory fails here, not later.
    let db = open_data(&config).await?;
    let (stop, stopped) = oneshot::channel::<()>();
    let pages = Arc::new(cache::pages::PageCache::default());
    let task = tokio::spawn(run(listener, config, db, pages.clone(), async move {
        let _ = stopped.await;
    }));
    Ok(RunningServer {
        addr,
        stop: Some(stop),
        task,
        pages,
    })
}

/// Connections the kernel queues for `accept` (it caps this at `net.core.somaxconn`). Tokio's
/// default, 1,024, overflowed when 10,000 phones connected at once: the rest retried their
/// SYN after 1 and 3 s, which was the server's p99 in `bench server` (nginx is configured with
/// 4,096 there too).
const LISTEN_BACKLOG: u32 = 4096;

async fn bind(config: &Config) -> Result<TcpListener, ServerError> {
    let addr = config.listen;
    let listen = || -> std::io::Result<TcpListener> {
        let socket = if addr.is_ipv4() {
            tokio::net::TcpSocket::new_v4()?
        } else {
            tokio::net::TcpSocket::new_v6()?
        };
        // As `TcpListener::bind` does: a restarted server rebinds while old connections linger.
        socket.set_reuseaddr(true)?;
        socket.bind(addr)?;
        socket.listen(LISTEN_BACKLOG)
    };
    listen().map_err(|source| ServerError::Bind { addr, source })
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

async fn run(
    listener: TcpListener,
    config: Config,
    db: store::Db,
    pages: Arc<cache::pages::PageCache>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    let listener = http::listener::LimitedListener::new(
        listener,
        config.max_connections,
        config.max_connections_per_ip,
        http::forwarded::TrustedProxies::new(&config.trusted_proxies),
        config.idle_timeout,
    );
    let config = Arc::new(config);
    tracing::info!(
        listen = %config.listen,
        data = %config.data_dir.display(),
        "serving"
    );
    let mut state = http::AppState::new(db, config.clone());
    state.pages = pages;
    // Other instances' writes (PostgreSQL): stale caches, woken long-polls. Lives as long as
    // the server serves.
    let _changes = state.listen_to_other_instances();
    let app = http::app(state);
    http::connections::serve(listener, app, &config, shutdown).await?;
    tracing::info!("stopped");
    Ok(())
}
