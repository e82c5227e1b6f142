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
    /// Most connections open at once; more wait in the listen backlog.
    pub max_connections: usize,
    /// Deadline for answering a read (GET, HEAD).
    pub request_timeout: Duration,
    /// A connection on which nothing moved for this long is closed (frees its slot).
    pub idle_timeout: Duration,
    /// Tombstones older than this are purged when publishing, moving the retention horizon.
    /// `None` keeps them forever.
    pub tombstone_retention_secs: Option<i64>,
}

impl Config {
    pub fn new(data_dir: impl Into<PathBuf>, listen: SocketAddr) -> Config {
        Config {
            data_dir: data_dir.into(),
            listen,
            page_limit: 500,
            page_max_bytes: 512 * 1024,
            max_body_bytes: 64 * 1024 * 1024,
            max_connections: 1024,
            request_timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(75),
            tombstone_retention_secs: Some(30 * 24 * 3600),
        }
    }
}
