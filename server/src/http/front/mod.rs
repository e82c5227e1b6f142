//! The server's own HTTP/1.1 front for polls: followers' long-polls (issue 19, ADR 0014), and
//! devices' polls and change pages (issue 23, ADR 0010).
//!
//! Hyper keeps two 8 KiB buffers per connection for its whole life (its read buffer, and its
//! write buffer allocated with the connection; neither can be set smaller): 10,000 followers,
//! each with one connection held open in a long-poll, cost 160 MiB for those alone. A follower
//! connection needs neither: its request is a few hundred bytes, and its answer is written once.
//!
//! So every connection starts here. The front reads the request head into a small buffer, and
//! when it is a poll (`head::front_serves`: a long-poll, a no-change poll, a change page, an
//! event's `head`: what phones send all day) passes it through the whole stack as hyper would
//! (`held_polls::serve`: gate, limits, every check, long-polls held outside the stack), writes
//! the answer (`answer`), and keeps the connection for the next poll, with nothing buffered
//! while it waits. The first request that is anything else, and every malformed or oversized
//! head, hands the connection to hyper for the rest of its life, with the bytes already read
//! (`rewind`): hyper answers it with all its own checks (400, 431, bodies, uploads).
//!
//! The head has hyper's deadline (`header_read_timeout`, from the first wait for a head) and
//! size limits; bytes after the head are kept for the next request (pipelining). As with
//! hyper's `half_close`, nothing is read while a long-poll is held.

mod answer;
mod from_memory;
mod head;
mod rewind;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::Method;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use hyper_util::server::graceful::Watcher;
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite};
use tokio::sync::watch;

use super::access::ReadState;
use super::forwarded::{self, TrustedProxies};
use super::held_polls;
use super::poll_counting;
use head::Head;
use rewind::Rewind;

/// What every connection is served with.
pub struct Front {
    pub app: Router,
    /// Serves what the front hands over, with hyper's limits set (`connections`).
    pub hyper: hyper::server::conn::http1::Builder,
    pub head_timeout: Duration,
    pub max_head_bytes: usize,
    pub max_headers: usize,
    /// Whose `X-Forwarded-For` names the client (`forwarded`).
    pub proxies: Arc<TrustedProxies>,
    /// The gate and the heads, for the no-change polls memory answers (`from_memory`), and the
    /// device counter that counts them.
    pub reads: ReadState,
}

/// A head's bytes are read in steps of this (a follower's head is a few hundred bytes).
const READ_STEP: usize = 512;

/// Serves one connection until it closes, it is handed to hyper and that ends, or `stop` says
/// the server is stopping (an idle connection closes at once; a held long-poll is answered,
/// with `connection: close`).
pub async fn serve<T>(
    front: Arc<Front>,
    mut io: T,
    client: SocketAddr,
    watcher: Watcher,
    mut stop: watch::Receiver<bool>,
) where
    T: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let mut read = Vec::new();
    // The last poll this connection's answers from memory counted for the console.
    let mut counted = None;
    loop {
        let next = tokio::select! {
            _ = stop.changed(), if read.is_empty() => return,
            next = tokio::time::timeout(front.head_timeout, read_head(&front, &mut io, &mut read)) => next,
        };
        // A head not whole in time (slow clients), a failed read or a hang-up: closed.
        let Ok(Ok(Some(head))) = next else {
            return;
        };
        let Head::Poll {
            mut request,
            len,
            close,
        } = head
        else {
            if !*stop.borrow() {
                hand_over(&front, io, read, client, watcher).await;
            }
            return;
        };
        read.drain(..len);
        if read.is_empty() {
            read = Vec::new();
        }
        let response = match from_memory::answer_without_stack(&front.reads, &request) {
            Some(from_memory::FromMemory {
                event,
                not_modified,
            }) => {
                let address = front.proxies.client(client.ip(), request.headers());
                poll_counting::count_from_memory(
                    &front.reads.devices,
                    &mut counted,
                    event,
                    request.headers(),
                    address,
                );
                not_modified
            }
            None => {
                from_memory::bring_up_to_date(&front.reads, request.uri()).await;
                forwarded::tag(&mut *request, client, &front.proxies);
                let Ok(response) = held_polls::serve(front.app.clone(), *request).await;
                response
            }
        };
        let close = close || *stop.borrow();
        if answer::write(&mut io, response, &Method::GET, close)
            .await
            .is_err()
            || close
        {
            return;
        }
    }
}

/// Reads until `read` holds a whole head (or more than the limit: hyper's to refuse);
/// `None` when the client hung up.
async fn read_head(
    front: &Front,
    io: &mut (impl AsyncRead + Unpin),
    read: &mut Vec<u8>,
) -> std::io::Result<Option<Head>> {
    loop {
        if !read.is_empty() {
            match head::read(read, front.max_headers) {
                Head::Partial if read.len() <= front.max_head_bytes => {}
                Head::Partial => return Ok(Some(Head::Other)),
                Head::Poll { len, .. } if len > front.max_head_bytes => {
                    return Ok(Some(Head::Other));
                }
                whole => return Ok(Some(whole)),
            }
        }
        read.reserve(READ_STEP);
        if io.read_buf(read).await? == 0 {
            return Ok(None);
        }
    }
}

/// Serves the rest of the connection with hyper, `read` first.
async fn hand_over<T>(front: &Front, io: T, read: Vec<u8>, client: SocketAddr, watcher: Watcher)
where
    T: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (app, proxies) = (front.app.clone(), front.proxies.clone());
    let service = tower::service_fn(move |request: hyper::Request<Incoming>| {
        let mut request = request.map(Body::new);
        forwarded::tag(&mut request, client, &proxies);
        held_polls::serve(app.clone(), request)
    });
    let connection = front.hyper.serve_connection(
        TokioIo::new(Rewind::new(read, io)),
        TowerToHyperService::new(service),
    );
    // A client that misbehaves or vanishes ends only its own connection.
    let _closed: Result<(), hyper::Error> = watcher.watch(connection).await;
}
