//! Server settings. Defaults suit one fair's server; tests shrink them.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use ipnet::IpNet;

#[derive(Clone, Debug)]
pub struct Config {
    /// Holds everything: `marktplatz.db` and `assets/`; with [`Config::database`], only the
    /// asset cache.
    pub data_dir: PathBuf,
    /// A PostgreSQL database (`postgres://user:password@host/db`) instead of `marktplatz.db`
    /// (ADR 0021): several instances may share it.
    pub database: Option<String>,
    pub listen: SocketAddr,
    /// Most entities per changes page.
    pub page_limit: usize,
    /// About how many bytes of entity bodies a page holds at most (at least one entity).
    pub page_max_bytes: usize,
    /// Largest request body (a published bundle or an uploaded asset).
    pub max_body_bytes: usize,
    /// Largest asset an organiser may upload (photos, logos, maps).
    pub max_asset_bytes: u64,
    /// Most connections open at once; more wait in the listen backlog.
    pub max_connections: usize,
    /// Most connections open at once from one client address (an IPv6 client: its /64); a
    /// further one is answered 503 and closed. A trusted proxy's connections
    /// (`trusted_proxies`) are not counted here: they carry all its clients, whose addresses
    /// only the requests on them tell (the proxy caps its clients' connections).
    pub max_connections_per_ip: usize,
    /// Reverse proxies (addresses or ranges) whose `X-Forwarded-For` names the client for the
    /// per-address limits (`http::forwarded`). Empty: the header is never read.
    pub trusted_proxies: Vec<IpNet>,
    /// Deadline for answering a read (GET, HEAD).
    pub request_timeout: Duration,
    /// A connection on which nothing moved for this long is closed (frees its slot).
    pub idle_timeout: Duration,
    /// Tombstones older than this are purged when publishing, moving the retention horizon.
    /// `None` keeps them forever.
    pub tombstone_retention_secs: Option<i64>,
    /// Largest request head (request line and headers); a larger one is answered 431.
    pub max_header_bytes: usize,
    /// Most request headers; more are answered 431.
    pub max_headers: usize,
    /// A client must send its whole request head within this long (slow-loris clients).
    pub header_read_timeout: Duration,
    /// A write (PUT, POST, DELETE) must arrive and be answered within this long.
    pub upload_timeout: Duration,
    /// After `body_grace`, a request body must have arrived at this average rate at least
    /// (bytes per second), else the request is cut with 408: a trickle cannot hold a slot.
    pub min_body_bytes_per_sec: u64,
    /// How long a body may take before the minimum rate applies (a phone waking its radio).
    pub body_grace: Duration,
    /// Bytes of request bodies held in memory at once, over all requests (bundles, operations,
    /// admin requests; assets go to disk as they arrive). A body that does not fit is answered
    /// 503 with `Retry-After`.
    pub max_body_memory: usize,
    /// Writes and admin requests per client address.
    pub rate_limit_per_ip: RateLimit,
    /// Writes and admin requests per bearer token (by its public id), charged once the token
    /// is known to be valid.
    pub rate_limit_per_token: RateLimit,
    /// Wrong access codes one client address may send. While it is over the limit, every code
    /// it sends is refused alike, the right one too.
    pub wrong_codes_per_ip: RateLimit,
    /// Wrong access codes for one event from all addresses together (guessing spread over many
    /// addresses). While it is over the limit, every code for the event is refused alike.
    pub wrong_codes_per_event: RateLimit,
    /// Longest a long-poll of the tail page (`?wait=N`) is held before the unchanged answer.
    pub long_poll_max_wait: Duration,
    /// Most long-polls held at once, over all addresses; more are answered 429.
    pub max_waiters: usize,
    /// Most long-polls held at once for one client address (its /64); more are answered 429.
    /// Behind a caching proxy the proxy holds one per distinct URL: keep this above that.
    pub max_waiters_per_ip: usize,
    /// Event loops serving connections: each an OS thread with its own listening socket on
    /// `listen` (`SO_REUSEPORT`, where there is one) and its own single-threaded runtime, as
    /// nginx's workers (docs/adr/0010-performance.md, issue 23 part 5). Defaults to the cores
    /// available; 0 counts as 1.
    pub event_loops: usize,
}

/// A token bucket: `burst` requests at once, refilled at `per_second`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RateLimit {
    pub burst: u32,
    pub per_second: f64,
}

/// Most entities per changes page, unless configured. Pages are bounded by their bytes first;
/// this only caps pages of tiny entities.
pub const DEFAULT_PAGE_LIMIT: usize = 5000;

/// About how many bytes of entity bodies a page holds, unless configured. A first sync of a
/// fair is then one or two pages, each compressed as one stream: 36C3's pages of 512 KiB took
/// 609 KB at zstd level 19, the same content in 2 MiB pages 499 KB (cross-references between
/// speakers and sessions found in one window; docs/adr/0010-performance.md, issue 23 part 4).
/// A device holds one page in memory while applying it (it reads up to
/// `wire::MAX_PAGE_BYTES`, 16 MiB).
pub const DEFAULT_PAGE_MAX_BYTES: usize = 2 * 1024 * 1024;

impl Config {
    pub fn new(data_dir: impl Into<PathBuf>, listen: SocketAddr) -> Config {
        Config {
            data_dir: data_dir.into(),
            database: None,
            listen,
            page_limit: DEFAULT_PAGE_LIMIT,
            page_max_bytes: DEFAULT_PAGE_MAX_BYTES,
            max_body_bytes: 64 * 1024 * 1024,
            max_asset_bytes: marktplatz_model::ops::MAX_PHOTO_BYTES,
            max_connections: 1024,
            max_connections_per_ip: 256,
            trusted_proxies: Vec::new(),
            request_timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(75),
            tombstone_retention_secs: Some(30 * 24 * 3600),
            max_header_bytes: 16 * 1024,
            max_headers: 64,
            header_read_timeout: Duration::from_secs(10),
            upload_timeout: Duration::from_secs(300),
            // 8 KiB/s is a poor mobile uplink; a bundle or photo that slow still fits in
            // `upload_timeout` up to 2.4 MB, and a trickle of bytes is cut after 10 s.
            min_body_bytes_per_sec: 8 * 1024,
            body_grace: Duration::from_secs(10),
            max_body_memory: 128 * 1024 * 1024,
            // Organisers behind one venue NAT share an address: generous per address, tighter
            // per token. Reads (GET/HEAD) are never rate limited: they are cheap 304s.
            rate_limit_per_ip: RateLimit {
                burst: 200,
                per_second: 50.0,
            },
            rate_limit_per_token: RateLimit {
                burst: 100,
                per_second: 20.0,
            },
            // A burst of 10, then one every 6 seconds (14,400 a day from one address).
            wrong_codes_per_ip: RateLimit {
                burst: 10,
                per_second: 1.0 / 6.0,
            },
            // A burst of 100, then one a second (86,400 a day for one event, however many
            // addresses guess). docs/adr/0006-organiser-ops.md, 10.
            wrong_codes_per_event: RateLimit {
                burst: 100,
                per_second: 1.0,
            },
            // ElectricSQL's live mode holds 20 s: under mobile carriers' idle cut-offs.
            long_poll_max_wait: Duration::from_secs(20),
            // A waiter is a parked future and a connection (a few KiB); connections are the
            // bound that matters (`max_connections`).
            max_waiters: 20_000,
            max_waiters_per_ip: 64,
            event_loops: std::thread::available_parallelism().map_or(1, usize::from),
        }
    }
}
