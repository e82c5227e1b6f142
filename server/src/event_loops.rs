//! One event loop per core, as nginx's workers: each loop is an OS thread running a
//! single-threaded runtime with its own listening socket on the server's address
//! (`SO_REUSEPORT`: the kernel spreads new connections over the sockets), and accepts and
//! serves its own connections. Under one work-stealing runtime some connections waited
//! seconds while the median was nginx's (docs/adr/0010-performance.md, issue 23 part 5).
//! What the loops share (the app's state and caches, the connection limits, the store) is
//! behind `Arc`s; blocking work runs on each loop's blocking threads.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use axum::Router;
use tokio::net::{TcpListener, TcpSocket};
use tokio::sync::{oneshot, watch};

use crate::ServerError;
use crate::config::Config;
use crate::http::access::ReadState;
use crate::http::connections;
use crate::http::listener::{ConnectionLimits, LimitedListener};

/// Connections the kernel queues for `accept` per socket (it caps this at
/// `net.core.somaxconn`). Tokio's default, 1,024, overflowed when 10,000 phones connected at
/// once: the rest retried their SYN after 1 and 3 s (nginx is configured with 4,096 in
/// `bench server` too).
const LISTEN_BACKLOG: u32 = 4096;

/// Binds `loops` listening sockets on `addr`; with port 0 the first picks the port and the
/// others join it. Must run on a runtime (tokio registers the sockets, then lets them go).
pub fn bind(addr: SocketAddr, loops: usize) -> Result<Vec<std::net::TcpListener>, ServerError> {
    let shared = loops > 1 && cfg!(unix);
    if shared && addr.port() != 0 {
        // A socket with `SO_REUSEPORT` would join another server's on the same port (same
        // user) instead of failing: a plain bind first says whether the port is free.
        drop(listen(addr, false)?);
    }
    let first = listen(addr, shared)?;
    let addr = first
        .local_addr()
        .map_err(|source| ServerError::Bind { addr, source })?;
    let mut listeners = vec![first];
    for _ in 1..loops {
        listeners.push(listen(addr, shared)?);
    }
    Ok(listeners)
}

fn listen(addr: SocketAddr, shared: bool) -> Result<std::net::TcpListener, ServerError> {
    let listen = || -> std::io::Result<std::net::TcpListener> {
        let socket = if addr.is_ipv4() {
            TcpSocket::new_v4()?
        } else {
            TcpSocket::new_v6()?
        };
        // As `TcpListener::bind` does: a restarted server rebinds while old connections linger.
        socket.set_reuseaddr(true)?;
        #[cfg(unix)]
        if shared {
            socket.set_reuseport(true)?;
        }
        socket.bind(addr)?;
        socket.listen(LISTEN_BACKLOG)?.into_std()
    };
    listen().map_err(|source| ServerError::Bind { addr, source })
}

/// What every loop serves with.
#[derive(Clone)]
pub struct Shared {
    pub app: Router,
    /// What the front answers no-change polls from (`http::front::from_memory::answer_without_stack`).
    pub reads: ReadState,
    pub config: Arc<Config>,
    pub limits: ConnectionLimits,
}

/// A running loop: its connections accepted so far, and its result once it stopped.
pub struct Loop {
    pub accepted: Arc<AtomicU64>,
    pub stopped: oneshot::Receiver<Result<(), ServerError>>,
}

/// Starts loop `index` on `listener`; it stops accepting once `stop` holds `true` (or its
/// sender is gone), finishes its in-flight requests, and then answers on [`Loop::stopped`].
pub fn spawn(
    index: usize,
    listener: std::net::TcpListener,
    shared: Shared,
    stop: watch::Receiver<bool>,
) -> Result<Loop, ServerError> {
    let accepted = Arc::new(AtomicU64::new(0));
    let (done, stopped) = oneshot::channel();
    let counted = accepted.clone();
    std::thread::Builder::new()
        .name(format!("marktplatz-loop-{index}"))
        .spawn(move || {
            let result = run(listener, shared, &counted, stop);
            let _ = done.send(result);
        })?;
    Ok(Loop { accepted, stopped })
}

fn run(
    listener: std::net::TcpListener,
    shared: Shared,
    accepted: &AtomicU64,
    mut stop: watch::Receiver<bool>,
) -> Result<(), ServerError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let served = runtime.block_on(async {
        let listener = LimitedListener::new(TcpListener::from_std(listener)?, shared.limits);
        let shutdown = async move {
            let _ = stop.wait_for(|stopping| *stopping).await;
        };
        connections::serve(
            listener,
            shared.app,
            shared.reads,
            &shared.config,
            accepted,
            shutdown,
        )
        .await
    });
    // In-flight requests are done; what is left (a page's recompression in the background)
    // is dropped, as it would be when the process ends, without waiting for its thread.
    runtime.shutdown_background();
    Ok(served?)
}
