//! Server settings. Defaults suit one fair's server; tests shrink them.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Clone, Debug)]
pub struct Config {
    /// Holds everything: `marktplatz.db` and `assets/`.
    pub data_dir: PathBuf,
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
    /// Writes and admin requests per client address.
    pub rate_limit_per_ip: RateLimit,
    /// Writes and admin requests per bearer token (by its public id).
    pub rate_limit_per_token: RateLimit,
}

/// A token bucket: `burst` requests at once, refilled at `per_second`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RateLimit {
    pub burst: u32,
    pub per_second: f64,
}

impl Config {
    pub fn new(data_dir: impl Into<PathBuf>, listen: SocketAddr) -> Config {
        Config {
            data_dir: data_dir.into(),
            listen,
            page_limit: 500,
            page_max_bytes: 512 * 1024,
            max_body_bytes: 64 * 1024 * 1024,
            max_asset_bytes: marktplatz_model::ops::MAX_PHOTO_BYTES,
            max_connections: 1024,
            request_timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(75),
            tombstone_retention_secs: Some(30 * 24 * 3600),
            max_header_bytes: 16 * 1024,
            max_headers: 64,
            header_read_timeout: Duration::from_secs(10),
            upload_timeout: Duration::from_secs(300),
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
        }
    }
}
