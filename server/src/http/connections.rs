//! Accepting connections: each is served by the long-poll front (`front`), which hands
//! everything but followers' long-polls to hyper, with hyper's own protections that
//! `axum::serve` leaves at their defaults: a deadline for the request head (slow-loris
//! clients), and limits on its size and number of headers (431). Each request carries the
//! client's address (`ConnectInfo`) for the rate limits. Stopping waits for in-flight requests;
//! idle connections are closed.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::Router;
use axum::serve::Listener;
use hyper_util::rt::TokioTimer;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::sync::watch;

use super::access::ReadState;
use super::forwarded::TrustedProxies;
use super::front::{self, Front};
use super::listener::LimitedListener;
use crate::config::Config;

pub async fn serve(
    mut listener: LimitedListener,
    app: Router,
    reads: ReadState,
    config: &Config,
    accepted: &AtomicU64,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let mut hyper = hyper::server::conn::http1::Builder::new();
    hyper
        .timer(TokioTimer::new())
        .header_read_timeout(config.header_read_timeout)
        .max_header_size(config.max_header_bytes)
        .max_headers(config.max_headers)
        // No read while a request is in flight. Hyper's read for a hang-up mid-request took a
        // second 8 KiB read buffer per held long-poll (the request still holds the first): 10,000
        // waiting followers cost ~80 MB more. A client that hangs up during a hold is noticed
        // when the hold ends (at most `long_poll_max_wait`), as any write to it fails then.
        .half_close(true);
    let front = Arc::new(Front {
        app,
        hyper,
        head_timeout: config.header_read_timeout,
        max_head_bytes: config.max_header_bytes,
        max_headers: config.max_headers,
        proxies: Arc::new(TrustedProxies::new(&config.trusted_proxies)),
        reads,
    });
    let graceful = GracefulShutdown::new();
    // The front's own connections are told to stop here; they hold a watcher each, so the
    // graceful shutdown waits for them as for hyper's.
    let (stop, stopping) = watch::channel(false);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (io, addr) = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        accepted.fetch_add(1, Ordering::Relaxed);
        tokio::spawn(front::serve(
            front.clone(),
            io,
            addr,
            graceful.watcher(),
            stopping.clone(),
        ));
    }
    drop(listener);
    let _ = stop.send(true);
    graceful.shutdown().await;
    Ok(())
}
