//! Accepting connections with hyper's own protections, which `axum::serve` leaves at their
//! defaults: a deadline for the request head (slow-loris clients), and limits on its size and
//! number of headers (431). Each request carries the client's address (`ConnectInfo`) for the
//! rate limits. Stopping waits for in-flight requests; idle connections are closed.

use std::future::Future;
use std::net::SocketAddr;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::serve::Listener;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;

use super::held_polls;
use super::listener::LimitedListener;
use crate::config::Config;

pub async fn serve(
    mut listener: LimitedListener,
    app: Router,
    config: &Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(config.header_read_timeout)
        .max_header_size(config.max_header_bytes)
        .max_headers(config.max_headers)
        // No read while a request is in flight. Hyper's read for a hang-up mid-request took a
        // second 8 KiB read buffer per held long-poll (the request still holds the first): 10,000
        // waiting followers cost ~80 MB more. A client that hangs up during a hold is noticed
        // when the hold ends (at most `long_poll_max_wait`), as any write to it fails then.
        .half_close(true);
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (io, addr) = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        let app = app.clone();
        let service = tower::service_fn(move |request: hyper::Request<Incoming>| {
            let mut request = request.map(Body::new);
            request
                .extensions_mut()
                .insert(ConnectInfo::<SocketAddr>(addr));
            held_polls::serve(app.clone(), request)
        });
        let connection =
            builder.serve_connection(TokioIo::new(io), TowerToHyperService::new(service));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // A client that misbehaves or vanishes ends only its own connection.
            let _closed = connection.await;
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}
