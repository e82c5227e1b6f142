//! Marktplatz publishing server: a change log per event, delta pages, content-addressed assets.
//!
//! [`serve`] runs until its shutdown future completes, then finishes in-flight requests.
//! [`start`] runs it in the background on an already bound address (tests, the CLI's demo).
//! [`Admin`] works on a data directory directly: tokens, publishing, history resets.
//! The protocol is described in `docs/adr/0002-sync-protocol.md`.

pub mod access;
pub mod admin;
pub mod auth;
pub mod blobs;
pub mod config;
pub mod connections;
pub mod db;
pub mod error;
pub mod hardening;
pub mod heads;
pub mod http;
pub mod limits;
pub mod log;
pub mod ops;
pub mod pages;
pub mod publish;
pub mod routes;
pub mod thumbs;
pub mod unchanged;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use admin::Admin;
pub use config::Config;

#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error(transparent)]
    Db(#[from] db::DbError),
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
    #[error("{0}")]
    Api(String),
}

impl From<error::ApiError> for ServerError {
    fn from(error: error::ApiError) -> ServerError {
        ServerError::Api(format!("{} ({})", error.message, error.code))
    }
}

/// Binds `config.listen` and serves until `shutdown` completes; in-flight requests finish.
pub async fn serve(
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    let listener = bind(&config).await?;
    let db = open_data(&config)?;
    run(listener, config, db, shutdown).await
}

/// A server running in the background (see [`start`]).
pub struct RunningServer {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<Result<(), ServerError>>,
}

impl RunningServer {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://ip:port`, the base URL devices and publishers use.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting, lets in-flight requests finish, and waits for that.
    pub async fn shutdown(mut self) -> Result<(), ServerError> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match (&mut self.task).await {
            Ok(result) => result,
            Err(e) => Err(ServerError::Api(format!("the server task failed: {e}"))),
        }
    }
}

/// Binds (use port 0 for any free port) and serves in a background task.
pub async fn start(config: Config) -> Result<RunningServer, ServerError> {
    let listener = bind(&config).await?;
    let addr = listener.local_addr()?;
    // Opened before returning: a caller that opens the same data directory next (an admin, a
    // test) must not race the server's first open, and a bad directory fails here, not later.
    let db = open_data(&config)?;
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(run(listener, config, db, async move {
        let _ = stopped.await;
    }));
    Ok(RunningServer {
        addr,
        stop: Some(stop),
        task,
    })
}

async fn bind(config: &Config) -> Result<TcpListener, ServerError> {
    TcpListener::bind(config.listen)
        .await
        .map_err(|source| ServerError::Bind {
            addr: config.listen,
            source,
        })
}

fn open_data(config: &Config) -> Result<db::Db, ServerError> {
    std::fs::create_dir_all(&config.data_dir).map_err(|source| ServerError::DataDir {
        path: config.data_dir.clone(),
        source,
    })?;
    Ok(db::Db::open(&config.data_dir)?)
}

async fn run(
    listener: TcpListener,
    config: Config,
    db: db::Db,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    let listener =
        limits::LimitedListener::new(listener, config.max_connections, config.idle_timeout);
    let config = Arc::new(config);
    let app = routes::router(routes::AppState {
        db: db.clone(),
        config: config.clone(),
        pages: Arc::default(),
    });
    let app = hardening::protect(app, &config)
        // Outermost: the poll that finds nothing new costs the least (unchanged.rs).
        .layer(axum::middleware::from_fn_with_state(
            db.clone(),
            unchanged::answer_unchanged,
        ))
        // Before even that: a protected event is not read without its code (access.rs).
        .layer(axum::middleware::from_fn_with_state(
            Arc::new(access::Gate::new(db.clone())),
            access::require_access,
        ));
    connections::serve(listener, app, &config, shutdown).await?;
    Ok(())
}
