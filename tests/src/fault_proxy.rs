//! A small HTTP/1.1-aware TCP proxy between a device and a real server, for two jobs:
//!
//! - **Counting** every byte on the device's socket in both directions, headers included
//!   (the benchmark's "bytes on the wire").
//! - **Injecting faults** per request: hang, reset, canned answers (500/503/429, garbage),
//!   truncated or corrupted bodies, rewritten bodies, delays.
//!
//! It understands just enough HTTP to find request and response boundaries (Content-Length
//! and chunked bodies), so faults hit one request even on a kept-alive connection. Rules are
//! matched in order by a path substring; each fires a given number of times.
//!
//! For soaks, [`Chaos`] makes a bad network out of it: seeded random drops, resets, truncated
//! and stalled bodies, 429s with `Retry-After`, bursts of 5xx and stale 304s, plus latency and
//! a bandwidth cap on every answer. Every exchange is logged with the client's `User-Agent`
//! and time, so [`FaultProxy::tight_loops`] can tell a retry storm from honest retries.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// Rewrites a response body.
pub type BodyMap = Arc<dyn Fn(&[u8]) -> Vec<u8> + Send + Sync>;

/// What to do to one request.
#[derive(Clone)]
pub enum Fault {
    /// Forward unchanged.
    Pass,
    /// Read the request and never answer (until the device gives up and closes).
    Hang,
    /// Read the request, then reset the connection (RST).
    Reset,
    /// Answer with this instead of asking the server.
    Respond {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Forward, but send only the first `keep` bytes of the body, then close: the framing
    /// promises more than arrives.
    Truncate { keep: usize },
    /// Forward with the body rewritten (Content-Length fixed up; the request is sent without
    /// Accept-Encoding so the body is plain).
    MapBody(BodyMap),
    /// Wait, then forward.
    Delay(Duration),
    /// Read the request, then close the connection without an answer (FIN, not RST).
    Drop,
    /// Forward, send the head and the first `after` body bytes, then go silent for `pause`
    /// and close: the device's read timeout has to notice.
    Stall { after: usize, pause: Duration },
    /// Answer `304 Not Modified` to a conditional request without asking the server, as a
    /// stale cache would after the resource changed (unconditional requests pass).
    Stale304,
}

impl Fault {
    /// A JSON error answer like the server's, with optional `Retry-After`.
    pub fn status(status: u16, retry_after: Option<u64>) -> Fault {
        let mut headers = vec![("content-type".to_string(), "application/json".to_string())];
        if let Some(seconds) = retry_after {
            headers.push(("retry-after".to_string(), seconds.to_string()));
        }
        Fault::Respond {
            status,
            headers,
            body: format!(r#"{{"code":"injected","message":"injected {status}"}}"#).into_bytes(),
        }
    }

    /// A 200 whose body is `body` (garbage JSON, a page from elsewhere, wrong asset bytes).
    pub fn ok_body(content_type: &str, body: impl Into<Vec<u8>>) -> Fault {
        Fault::Respond {
            status: 200,
            headers: vec![("content-type".to_string(), content_type.to_string())],
            body: body.into(),
        }
    }
}

/// A bad network, applied to every request no rule claimed. Probabilities are per request
/// and drawn from a seeded generator, so a soak is repeatable in what it injects.
#[derive(Clone, Debug)]
pub struct Chaos {
    pub seed: u64,
    pub drop: f64,
    pub reset: f64,
    pub truncate: f64,
    pub stall: f64,
    pub stall_for: Duration,
    /// 429 with `Retry-After: 1`.
    pub too_many: f64,
    /// Starts a burst: this request and the next `burst_len - 1` get 503.
    pub server_error: f64,
    pub burst_len: u32,
    pub stale_304: f64,
    /// Added before every request is forwarded.
    pub latency: Duration,
    /// Bytes per second towards the device (`None`: unlimited).
    pub bandwidth: Option<u64>,
}

impl Chaos {
    /// Roughly "every other packet lost": about half of all requests meet a fault.
    pub fn hostile(seed: u64) -> Chaos {
        Chaos {
            seed,
            drop: 0.10,
            reset: 0.08,
            truncate: 0.08,
            stall: 0.04,
            stall_for: Duration::from_millis(1500),
            too_many: 0.06,
            server_error: 0.03,
            burst_len: 4,
            stale_304: 0.08,
            latency: Duration::from_millis(20),
            bandwidth: Some(256 * 1024),
        }
    }
}

/// What chaos injected, by fault.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Injected {
    pub drops: u64,
    pub resets: u64,
    pub truncations: u64,
    pub stalls: u64,
    pub too_many: u64,
    pub server_errors: u64,
    pub stale_304s: u64,
}

impl Injected {
    pub fn total(&self) -> u64 {
        self.drops
            + self.resets
            + self.truncations
            + self.stalls
            + self.too_many
            + self.server_errors
            + self.stale_304s
    }
}

struct ChaosState {
    chaos: Chaos,
    rng: u64,
    burst_left: u32,
}

impl ChaosState {
    fn roll(&mut self) -> f64 {
        // xorshift64*
        self.rng ^= self.rng >> 12;
        self.rng ^= self.rng << 25;
        self.rng ^= self.rng >> 27;
        (self.rng.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }

    fn pick(&mut self, injected: &mut Injected, conditional: bool) -> Fault {
        if self.burst_left > 0 {
            self.burst_left -= 1;
            injected.server_errors += 1;
            return Fault::status(503, None);
        }
        let c = self.chaos.clone();
        let mut x = self.roll();
        let mut take = |p: f64| {
            if x < p {
                true
            } else {
                x -= p;
                false
            }
        };
        if take(c.drop) {
            injected.drops += 1;
            Fault::Drop
        } else if take(c.reset) {
            injected.resets += 1;
            Fault::Reset
        } else if take(c.truncate) {
            injected.truncations += 1;
            Fault::Truncate { keep: 7 }
        } else if take(c.stall) {
            injected.stalls += 1;
            Fault::Stall {
                after: 5,
                pause: c.stall_for,
            }
        } else if take(c.too_many) {
            injected.too_many += 1;
            Fault::status(429, Some(1))
        } else if take(c.server_error) {
            injected.server_errors += 1;
            self.burst_left = c.burst_len.saturating_sub(1);
            Fault::status(503, None)
        } else if take(c.stale_304) && conditional {
            injected.stale_304s += 1;
            Fault::Stale304
        } else {
            Fault::Pass
        }
    }
}

struct Rule {
    path_contains: String,
    fault: Fault,
    remaining: usize,
}

/// One request as the proxy saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exchange {
    pub method: String,
    pub path: String,
    /// 0 when no answer was sent (hang, reset).
    pub status: u16,
    /// Bytes from the device (request line, headers, body).
    pub up: u64,
    /// Bytes to the device (status line, headers, body).
    pub down: u64,
    /// The device's `User-Agent` (soaks give each device its own).
    pub agent: String,
    /// The request's `Idempotency-Key`, if any: two writes with different keys are different
    /// requests even on the same path.
    pub key: String,
    /// When the request arrived.
    pub at: Instant,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Traffic {
    pub up: u64,
    pub down: u64,
    pub connections: u64,
}

impl Traffic {
    pub fn total(&self) -> u64 {
        self.up + self.down
    }
}

#[derive(Default)]
struct State {
    rules: Vec<Rule>,
    exchanges: Vec<Exchange>,
    traffic: Traffic,
    chaos: Option<ChaosState>,
    injected: Injected,
}

/// A request repeated in a tight loop: the same device, method, path (and idempotency key)
/// more than `max_per_second` times within one second.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TightLoop {
    pub agent: String,
    pub method: String,
    pub path: String,
    pub count: usize,
}

pub struct FaultProxy {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    task: JoinHandle<()>,
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

impl FaultProxy {
    /// Listens on 127.0.0.1 (any free port) and forwards to `upstream`.
    pub async fn start(upstream: SocketAddr) -> std::io::Result<FaultProxy> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(Mutex::new(State::default()));
        let shared = state.clone();
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let _ = client.set_nodelay(true);
                lock(&shared).traffic.connections += 1;
                let state = shared.clone();
                tokio::spawn(async move {
                    let _ = serve_connection(client, upstream, state).await;
                });
            }
        });
        Ok(FaultProxy { addr, state, task })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The next `times` requests whose path contains `path_contains` get `fault`.
    pub fn inject(&self, path_contains: &str, fault: Fault, times: usize) {
        lock(&self.state).rules.push(Rule {
            path_contains: path_contains.to_string(),
            fault,
            remaining: times,
        });
    }

    /// Drops every rule not used up yet, and the chaos.
    pub fn heal(&self) {
        let mut state = lock(&self.state);
        state.rules.clear();
        state.chaos = None;
    }

    /// Applies `chaos` to every request no rule claims, until [`FaultProxy::heal`].
    pub fn set_chaos(&self, chaos: Chaos) {
        lock(&self.state).chaos = Some(ChaosState {
            rng: chaos.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1,
            chaos,
            burst_left: 0,
        });
    }

    pub fn injected(&self) -> Injected {
        lock(&self.state).injected.clone()
    }

    /// Requests repeated by one device (same method, path and idempotency key) more than
    /// `max_per_second` times within any one second.
    pub fn tight_loops(&self, max_per_second: usize) -> Vec<TightLoop> {
        let state = lock(&self.state);
        let mut by_key: HashMap<(&str, &str, &str, &str), Vec<Instant>> = HashMap::new();
        for e in &state.exchanges {
            by_key
                .entry((
                    e.agent.as_str(),
                    e.method.as_str(),
                    e.path.as_str(),
                    e.key.as_str(),
                ))
                .or_default()
                .push(e.at);
        }
        let mut loops = Vec::new();
        for ((agent, method, path, _), times) in by_key {
            let mut start = 0;
            let mut worst = 0;
            for end in 0..times.len() {
                while times[end].duration_since(times[start]) > Duration::from_secs(1) {
                    start += 1;
                }
                worst = worst.max(end - start + 1);
            }
            if worst > max_per_second {
                loops.push(TightLoop {
                    agent: agent.to_string(),
                    method: method.to_string(),
                    path: path.to_string(),
                    count: worst,
                });
            }
        }
        loops
    }

    pub fn traffic(&self) -> Traffic {
        lock(&self.state).traffic
    }

    pub fn exchanges(&self) -> Vec<Exchange> {
        lock(&self.state).exchanges.clone()
    }

    /// Zeroes the counters and the exchange log (rules stay).
    pub fn reset_counters(&self) {
        let mut state = lock(&self.state);
        state.traffic = Traffic::default();
        state.exchanges.clear();
    }
}

/// The fault for one request, and the chaos's latency and bandwidth (if any).
fn take_fault(
    state: &Mutex<State>,
    path: &str,
    conditional: bool,
) -> (Fault, Duration, Option<u64>) {
    let mut state = lock(state);
    let found = state
        .rules
        .iter_mut()
        .find(|r| r.remaining > 0 && path.contains(&r.path_contains));
    if let Some(rule) = found {
        rule.remaining -= 1;
        return (rule.fault.clone(), Duration::ZERO, None);
    }
    let State {
        chaos, injected, ..
    } = &mut *state;
    match chaos {
        Some(chaos) => {
            let fault = chaos.pick(injected, conditional);
            (fault, chaos.chaos.latency, chaos.chaos.bandwidth)
        }
        None => (Fault::Pass, Duration::ZERO, None),
    }
}

/// Writes `bytes` no faster than `bandwidth` bytes per second (in slices of 1/20 s).
async fn write_paced<W: AsyncWriteExt + Unpin>(
    writer: &mut W,
    bytes: &[u8],
    bandwidth: Option<u64>,
) -> std::io::Result<()> {
    let Some(rate) = bandwidth.filter(|r| *r > 0) else {
        return writer.write_all(bytes).await;
    };
    let slice = ((rate / 20) as usize).max(512);
    for part in bytes.chunks(slice) {
        writer.write_all(part).await?;
        if part.len() == slice {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    Ok(())
}

/// A parsed message head plus its raw bytes.
struct Head {
    raw: Vec<u8>,
    first_line: String,
    headers: Vec<(String, String)>,
}

impl Head {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn content_length(&self) -> Option<usize> {
        self.header("content-length")?.trim().parse().ok()
    }

    fn is_chunked(&self) -> bool {
        self.header("transfer-encoding")
            .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"))
    }
}

async fn read_head<R: AsyncRead + Unpin>(
    reader: &mut BufReader<R>,
) -> std::io::Result<Option<Head>> {
    let mut raw = Vec::new();
    loop {
        let mut line = Vec::new();
        let n = read_line(reader, &mut line).await?;
        if n == 0 {
            return Ok(None);
        }
        raw.extend_from_slice(&line);
        if line == b"\r\n" {
            break;
        }
    }
    let text = String::from_utf8_lossy(&raw).to_string();
    let mut lines = text.split("\r\n");
    let first_line = lines.next().unwrap_or_default().to_string();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    Ok(Some(Head {
        raw,
        first_line,
        headers,
    }))
}

async fn read_line<R: AsyncRead + Unpin>(
    reader: &mut BufReader<R>,
    out: &mut Vec<u8>,
) -> std::io::Result<usize> {
    use tokio::io::AsyncBufReadExt;
    reader.read_until(b'\n', out).await
}

/// Reads a body framed by `head`; returns (raw bytes as framed, decoded body).
async fn read_body<R: AsyncRead + Unpin>(
    reader: &mut BufReader<R>,
    head: &Head,
    has_body: bool,
) -> std::io::Result<(Vec<u8>, Vec<u8>)> {
    if !has_body {
        return Ok((Vec::new(), Vec::new()));
    }
    if head.is_chunked() {
        let mut raw = Vec::new();
        let mut body = Vec::new();
        loop {
            let mut line = Vec::new();
            if read_line(reader, &mut line).await? == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            raw.extend_from_slice(&line);
            let size_text = String::from_utf8_lossy(&line);
            let size_text = size_text.trim().split(';').next().unwrap_or("0");
            let size = usize::from_str_radix(size_text, 16)
                .map_err(|_| std::io::Error::other("bad chunk size"))?;
            if size == 0 {
                // Trailers until an empty line.
                loop {
                    let mut trailer = Vec::new();
                    if read_line(reader, &mut trailer).await? == 0 {
                        break;
                    }
                    raw.extend_from_slice(&trailer);
                    if trailer == b"\r\n" {
                        break;
                    }
                }
                return Ok((raw, body));
            }
            let mut chunk = vec![0u8; size + 2];
            reader.read_exact(&mut chunk).await?;
            raw.extend_from_slice(&chunk);
            body.extend_from_slice(&chunk[..size]);
        }
    }
    let length = head.content_length().unwrap_or(0);
    let mut body = vec![0u8; length];
    reader.read_exact(&mut body).await?;
    Ok((body.clone(), body))
}

type Upstream = (
    BufReader<tokio::net::tcp::OwnedReadHalf>,
    tokio::net::tcp::OwnedWriteHalf,
);

async fn serve_connection(
    client: TcpStream,
    upstream_addr: SocketAddr,
    state: Arc<Mutex<State>>,
) -> std::io::Result<()> {
    let (client_read, mut client_write) = client.into_split();
    let mut client_read = BufReader::new(client_read);
    let mut upstream: Option<Upstream> = None;
    loop {
        let Some(request) = read_head(&mut client_read).await? else {
            return Ok(());
        };
        let (request_body, _) = read_body(
            &mut client_read,
            &request,
            request.content_length().is_some() || request.is_chunked(),
        )
        .await?;
        let mut parts = request.first_line.split(' ');
        let method = parts.next().unwrap_or_default().to_string();
        let path = parts.next().unwrap_or_default().to_string();
        let up = (request.raw.len() + request_body.len()) as u64;
        let conditional = request.header("if-none-match").is_some();
        let (fault, latency, bandwidth) = take_fault(&state, &path, conditional);
        let mut exchange = Exchange {
            method: method.clone(),
            path: path.clone(),
            status: 0,
            up,
            down: 0,
            agent: request.header("user-agent").unwrap_or_default().to_string(),
            key: request
                .header("idempotency-key")
                .unwrap_or_default()
                .to_string(),
            at: Instant::now(),
        };
        if !latency.is_zero() {
            tokio::time::sleep(latency).await;
        }
        let record = |exchange: &Exchange| {
            let mut s = lock(&state);
            s.traffic.up += exchange.up;
            s.traffic.down += exchange.down;
            s.exchanges.push(exchange.clone());
        };
        match &fault {
            Fault::Hang => {
                record(&exchange);
                // Wait for the device to give up.
                let mut sink = [0u8; 1024];
                while client_read.read(&mut sink).await.unwrap_or(0) > 0 {}
                return Ok(());
            }
            Fault::Reset => {
                record(&exchange);
                let client = client_read
                    .into_inner()
                    .reunite(client_write)
                    .map_err(|e| std::io::Error::other(e.to_string()))?;
                let _ = client.set_zero_linger();
                drop(client);
                return Ok(());
            }
            Fault::Respond {
                status,
                headers,
                body,
            } => {
                let mut answer = format!("HTTP/1.1 {status} Injected\r\n");
                for (name, value) in headers {
                    answer.push_str(&format!("{name}: {value}\r\n"));
                }
                answer.push_str(&format!("content-length: {}\r\n\r\n", body.len()));
                let mut bytes = answer.into_bytes();
                bytes.extend_from_slice(body);
                client_write.write_all(&bytes).await?;
                exchange.status = *status;
                exchange.down = bytes.len() as u64;
                record(&exchange);
                continue;
            }
            Fault::Drop => {
                record(&exchange);
                let _ = client_write.shutdown().await;
                return Ok(());
            }
            Fault::Stale304 => {
                let etag = request.header("if-none-match").unwrap_or_default();
                let answer = format!(
                    "HTTP/1.1 304 Not Modified\r\netag: {etag}\r\ncache-control: max-age=5\r\n\r\n"
                );
                client_write.write_all(answer.as_bytes()).await?;
                exchange.status = 304;
                exchange.down = answer.len() as u64;
                record(&exchange);
                continue;
            }
            Fault::Delay(duration) => tokio::time::sleep(*duration).await,
            Fault::Pass | Fault::Truncate { .. } | Fault::MapBody(_) | Fault::Stall { .. } => {}
        }
        // Forward to the server, on a fresh upstream connection if the kept one was closed by
        // the server meanwhile (as a real proxy would; the device never sees that race).
        let mut request_bytes = if matches!(fault, Fault::MapBody(_)) {
            strip_header(&request.raw, "accept-encoding")
        } else {
            request.raw.clone()
        };
        request_bytes.extend_from_slice(&request_body);
        let mut fresh = upstream.is_none();
        let response = loop {
            if upstream.is_none() {
                let stream = TcpStream::connect(upstream_addr).await?;
                let _ = stream.set_nodelay(true);
                let (r, w) = stream.into_split();
                upstream = Some((BufReader::new(r), w));
            }
            let Some((upstream_read, upstream_write)) = upstream.as_mut() else {
                return Ok(());
            };
            let sent = upstream_write.write_all(&request_bytes).await;
            let head = match sent {
                Ok(()) => read_head(upstream_read).await,
                Err(error) => Err(error),
            };
            match head {
                Ok(Some(head)) => break head,
                Ok(None) | Err(_) if !fresh => {
                    upstream = None;
                    fresh = true;
                }
                Ok(None) => return Ok(()),
                Err(error) => return Err(error),
            }
        };
        let Some((upstream_read, _)) = upstream.as_mut() else {
            return Ok(());
        };
        let status: u16 = response
            .first_line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let has_body = method != "HEAD" && status != 304 && status != 204 && status >= 200;
        let (raw_body, body) = read_body(upstream_read, &response, has_body).await?;
        exchange.status = status;
        let close_after = response
            .header("connection")
            .is_some_and(|v| v.eq_ignore_ascii_case("close"));
        match fault {
            Fault::Truncate { keep } => {
                // Announce the full body, send part of it, close.
                let mut head = strip_header(&response.raw, "transfer-encoding");
                head = strip_header(&head, "content-length");
                head.truncate(head.len() - 2);
                head.extend_from_slice(
                    format!("content-length: {}\r\n\r\n", body.len()).as_bytes(),
                );
                let cut = keep.min(body.len());
                client_write.write_all(&head).await?;
                client_write.write_all(&body[..cut]).await?;
                client_write.flush().await?;
                exchange.down = (head.len() + cut) as u64;
                record(&exchange);
                return Ok(());
            }
            Fault::Stall { after, pause } => {
                client_write.write_all(&response.raw).await?;
                let cut = after.min(raw_body.len());
                client_write.write_all(&raw_body[..cut]).await?;
                client_write.flush().await?;
                exchange.down = (response.raw.len() + cut) as u64;
                record(&exchange);
                tokio::time::sleep(pause).await;
                return Ok(());
            }
            Fault::MapBody(map) => {
                let new_body = map(&body);
                let mut head = strip_header(&response.raw, "transfer-encoding");
                head = strip_header(&head, "content-length");
                head.truncate(head.len() - 2);
                head.extend_from_slice(
                    format!("content-length: {}\r\n\r\n", new_body.len()).as_bytes(),
                );
                client_write.write_all(&head).await?;
                client_write.write_all(&new_body).await?;
                exchange.down = (head.len() + new_body.len()) as u64;
            }
            _ => {
                write_paced(&mut client_write, &response.raw, bandwidth).await?;
                write_paced(&mut client_write, &raw_body, bandwidth).await?;
                exchange.down = (response.raw.len() + raw_body.len()) as u64;
            }
        }
        record(&exchange);
        if close_after {
            return Ok(());
        }
    }
}

/// The head without any header named `name`.
fn strip_header(raw: &[u8], name: &str) -> Vec<u8> {
    let text = String::from_utf8_lossy(raw);
    let mut out = String::new();
    for line in text.split_inclusive("\r\n") {
        let is_named = line
            .split_once(':')
            .is_some_and(|(k, _)| k.trim().eq_ignore_ascii_case(name));
        if !is_named {
            out.push_str(line);
        }
    }
    out.into_bytes()
}
