//! Caps on open connections (in all, per client), and an idle timeout per connection.

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::forwarded::TrustedProxies;
use super::rate_limit::client_key;
use super::security_headers::SECURITY_HEADERS;

/// The caps every event loop's listener shares: open connections in all, and per client
/// (`rate_limit::client_key`: an address, an IPv6 /64), and the idle timeout.
#[derive(Clone)]
pub struct ConnectionLimits {
    permits: Arc<Semaphore>,
    per_client: usize,
    /// Trusted proxies' connections are not counted per client (`Config::max_connections_per_ip`).
    proxies: TrustedProxies,
    open: Arc<Mutex<HashMap<IpAddr, usize>>>,
    idle: Duration,
}

impl ConnectionLimits {
    pub fn new(
        limit: usize,
        per_client: usize,
        proxies: TrustedProxies,
        idle: Duration,
    ) -> ConnectionLimits {
        ConnectionLimits {
            permits: Arc::new(Semaphore::new(limit.max(1))),
            per_client: per_client.max(1),
            proxies,
            open: Arc::default(),
            idle,
        }
    }

    /// Counts a connection of `client`; `None` when it has its share open already.
    fn enter(&self, client: IpAddr) -> Option<ClientSlot> {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        let count = open.entry(client).or_default();
        if *count >= self.per_client {
            return None;
        }
        *count += 1;
        Some(ClientSlot {
            client,
            open: self.open.clone(),
        })
    }
}

/// A TCP listener that holds at most `limit` connections open, and at most `per_client` from
/// one client, counted over all listeners sharing its [`ConnectionLimits`]. Beyond the first,
/// further clients wait (one per listener accepted and unread, the rest in the kernel's
/// backlog) until one closes; beyond the second, the
/// connection is answered 503 with `Retry-After` and closed, so one client cannot take every
/// slot. A connection on which nothing moved for `idle` is closed, so phones that vanished
/// without a goodbye do not keep their slots.
pub struct LimitedListener {
    inner: TcpListener,
    limits: ConnectionLimits,
}

impl LimitedListener {
    pub fn new(inner: TcpListener, limits: ConnectionLimits) -> LimitedListener {
        LimitedListener { inner, limits }
    }
}

/// One client's count of open connections, given back when the connection closes.
struct ClientSlot {
    client: IpAddr,
    open: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

impl Drop for ClientSlot {
    fn drop(&mut self) {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(count) = open.get_mut(&self.client) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                open.remove(&self.client);
            }
        }
    }
}

/// The answer to a connection over its client's share, written without reading the request.
fn refusal() -> Vec<u8> {
    let body = br#"{"code":"overloaded","message":"too many connections from your address; try again shortly"}"#;
    let mut head = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\ncache-control: no-store\r\nretry-after: 1\r\nconnection: close\r\ncontent-length: {}\r\n",
        body.len()
    );
    for (name, value) in SECURITY_HEADERS {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let mut answer = head.into_bytes();
    answer.extend_from_slice(body);
    answer
}

/// Answers 503 and closes, after taking what the client sent so far (a close with unread data
/// would reset the connection and could lose the answer).
fn refuse(stream: TcpStream) {
    let _ = stream.try_write(&refusal());
    let mut sink = [0u8; 4096];
    while matches!(stream.try_read(&mut sink), Ok(n) if n > 0) {}
    if let Ok(std) = stream.into_std() {
        let _ = std.shutdown(std::net::Shutdown::Write);
    }
}

impl axum::serve::Listener for LimitedListener {
    type Io = LimitedIo;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (LimitedIo, SocketAddr) {
        loop {
            let (stream, addr) = axum::serve::Listener::accept(&mut self.inner).await;
            // A trusted proxy's connections carry all its clients: the overall cap bounds them.
            let slot = if self.limits.proxies.trusts(addr.ip()) {
                None
            } else if let Some(slot) = self.limits.enter(client_key(addr.ip())) {
                Some(slot)
            } else {
                tracing::info!(ip = %addr.ip(), "connection limit per client hit");
                refuse(stream);
                continue;
            };
            // Accepted first, then a slot waited for (the semaphore is never closed): the slots
            // are shared by every loop, and a loop holding one while waiting on its own empty
            // queue would starve a connection queued at another. This loop accepts nothing
            // more meanwhile, so at most one connection per loop waits here, unread.
            let permit = self.limits.permits.clone().acquire_owned().await.ok();
            // Small answers (304s, one-change pages) should leave at once.
            let _ = stream.set_nodelay(true);
            return (
                LimitedIo {
                    stream,
                    _permit: permit,
                    _slot: slot,
                    idle: self.limits.idle,
                    deadline: Box::pin(tokio::time::sleep(self.limits.idle)),
                },
                addr,
            );
        }
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.inner.local_addr()
    }
}

/// A connection holding its slot until it is dropped or idle too long.
pub struct LimitedIo {
    stream: TcpStream,
    _permit: Option<OwnedSemaphorePermit>,
    _slot: Option<ClientSlot>,
    idle: Duration,
    deadline: Pin<Box<tokio::time::Sleep>>,
}

impl LimitedIo {
    fn touch(&mut self) {
        let next = tokio::time::Instant::now() + self.idle;
        self.deadline.as_mut().reset(next);
    }
}

impl AsyncRead for LimitedIo {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        match Pin::new(&mut self.stream).poll_read(cx, buf) {
            Poll::Ready(Ok(())) => {
                if buf.filled().len() > before {
                    self.touch();
                }
                Poll::Ready(Ok(()))
            }
            Poll::Pending => {
                if self.deadline.as_mut().poll(cx).is_ready() {
                    return Poll::Ready(Err(io::Error::new(
                        io::ErrorKind::TimedOut,
                        "connection idle too long",
                    )));
                }
                Poll::Pending
            }
            other => other,
        }
    }
}

impl AsyncWrite for LimitedIo {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let result = Pin::new(&mut self.stream).poll_write(cx, buf);
        if let Poll::Ready(Ok(n)) = result
            && n > 0
        {
            self.touch();
        }
        result
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let result = Pin::new(&mut self.stream).poll_write_vectored(cx, bufs);
        if let Poll::Ready(Ok(n)) = result
            && n > 0
        {
            self.touch();
        }
        result
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
}
