//! Reading request bodies, always after the request was authenticated (the principal
//! extractors run before a handler's body argument) and always bounded:
//!
//! - in size: a declared `Content-Length` over the limit is refused before a byte is read
//!   (413), and counting stops the moment the limit is passed;
//! - in pace: after `body_grace`, the body must have arrived at `min_body_bytes_per_sec` on
//!   average, and all of it within `upload_timeout` (408): a trickle cannot hold a slot;
//! - in memory: bodies held in memory share one budget, `max_body_memory`, over all requests
//!   (503 with `Retry-After` when it is spent); assets are written to disk as they arrive,
//!   hashed on the way, and only a small head of them is kept.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, StatusCode, header};
use futures_util::StreamExt;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

use marktplatz_model::wire::code;

use super::error::{ApiError, ApiResult};
use crate::config::Config;

/// How much of an upload is kept in memory to recognise it (type, dimensions).
pub const HEAD_BYTES: usize = 512 * 1024;

/// The rules every body is read by (from the [`Config`]).
pub struct BodyRules {
    min_rate: u64,
    grace: Duration,
    deadline: Duration,
    memory: Arc<Semaphore>,
}

/// A body held in memory, with its share of the budget (given back when dropped).
pub struct InMemory {
    pub bytes: Bytes,
    _share: Option<OwnedSemaphorePermit>,
}

/// A body written to a temporary file, removed when this is dropped unless it was moved away.
pub struct OnDisk {
    pub path: PathBuf,
    /// Lower-case hex SHA-256 of the bytes.
    pub sha256: String,
    pub bytes: u64,
    /// The first [`HEAD_BYTES`] of it.
    pub head: Vec<u8>,
}

impl Drop for OnDisk {
    fn drop(&mut self) {
        // Gone already when it was moved into place.
        let _ = std::fs::remove_file(&self.path);
    }
}

/// The `Content-Length` a request declares, if any.
pub fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

fn too_large(what: &str, limit: u64) -> ApiError {
    tracing::info!(what, limit, "body limit hit");
    ApiError::payload_too_large(format!("{what} is at most {limit} bytes"))
}

/// Tracks a body's arrival against the minimum rate and the deadline.
struct Pace {
    started: Instant,
    received: u64,
}

impl BodyRules {
    pub fn new(config: &Config) -> BodyRules {
        BodyRules {
            min_rate: config.min_body_bytes_per_sec.max(1),
            grace: config.body_grace,
            deadline: config.upload_timeout,
            memory: Arc::new(Semaphore::new(config.max_body_memory)),
        }
    }

    /// When the next bytes must have arrived.
    fn due(&self, pace: &Pace) -> Instant {
        let earned = Duration::from_secs_f64(pace.received as f64 / self.min_rate as f64);
        (pace.started + self.grace + earned).min(pace.started + self.deadline)
    }

    /// The next chunk of `body` (`None` at its end), or 408 when it comes too late.
    async fn next_chunk(
        &self,
        stream: &mut (impl futures_util::Stream<Item = Result<Bytes, axum::Error>> + Unpin),
        pace: &mut Pace,
        what: &str,
    ) -> ApiResult<Option<Bytes>> {
        match tokio::time::timeout_at(self.due(pace), stream.next()).await {
            Err(_) => {
                let elapsed = pace.started.elapsed();
                tracing::info!(what, received = pace.received, ?elapsed, "body too slow");
                Err(ApiError::new(
                    StatusCode::REQUEST_TIMEOUT,
                    code::REQUEST_TIMEOUT,
                    format!(
                        "{what} did not arrive in time (at least {} bytes a second, all within {} s)",
                        self.min_rate,
                        self.deadline.as_secs()
                    ),
                ))
            }
            Ok(None) => Ok(None),
            Ok(Some(Err(e))) => Err(ApiError::bad_request(format!(
                "{what} could not be read: {e}"
            ))),
            Ok(Some(Ok(chunk))) => {
                pace.received += chunk.len() as u64;
                Ok(Some(chunk))
            }
        }
    }

    /// Reads a whole body into memory: at most `limit` bytes, within the shared budget.
    pub async fn to_memory(
        &self,
        headers: &HeaderMap,
        body: Body,
        limit: usize,
        what: &str,
    ) -> ApiResult<InMemory> {
        let declared = declared_length(headers);
        if declared.is_some_and(|n| n > limit as u64) {
            return Err(too_large(what, limit as u64));
        }
        // A declared body takes its share at once; an undeclared one as it grows.
        let mut share = match declared {
            Some(n) => Some(self.reserve(n as usize)?),
            None => None,
        };
        let mut stream = body.into_data_stream();
        let mut pace = Pace {
            started: Instant::now(),
            received: 0,
        };
        let mut buffer = Vec::with_capacity(declared.unwrap_or(0) as usize);
        while let Some(chunk) = self.next_chunk(&mut stream, &mut pace, what).await? {
            if buffer.len() + chunk.len() > limit {
                return Err(too_large(what, limit as u64));
            }
            if declared.is_none_or(|n| (buffer.len() + chunk.len()) as u64 > n) {
                let more = self.reserve(chunk.len())?;
                match &mut share {
                    Some(held) => held.merge(more),
                    None => share = Some(more),
                }
            }
            buffer.extend_from_slice(&chunk);
        }
        Ok(InMemory {
            bytes: Bytes::from(buffer),
            _share: share,
        })
    }

    fn reserve(&self, bytes: usize) -> ApiResult<OwnedSemaphorePermit> {
        let permits = u32::try_from(bytes).unwrap_or(u32::MAX);
        self.memory
            .clone()
            .try_acquire_many_owned(permits)
            .map_err(|_| {
                tracing::warn!(bytes, "body memory budget spent");
                ApiError::overloaded(1)
            })
    }

    /// Writes a body to a new file in `dir` as it arrives (at most `limit` bytes), hashing it
    /// on the way and keeping its first [`HEAD_BYTES`].
    pub async fn to_file(
        &self,
        headers: &HeaderMap,
        body: Body,
        limit: u64,
        dir: &Path,
        what: &str,
    ) -> ApiResult<OnDisk> {
        if declared_length(headers).is_some_and(|n| n > limit) {
            return Err(too_large(what, limit));
        }
        tokio::fs::create_dir_all(dir)
            .await
            .map_err(|e| ApiError::internal("creating the upload folder", e))?;
        let name: [u8; 12] = rand::random();
        let mut upload = OnDisk {
            path: dir.join(format!(".upload-{}.tmp", hex::encode(name))),
            sha256: String::new(),
            bytes: 0,
            head: Vec::new(),
        };
        let file = tokio::fs::File::create(&upload.path)
            .await
            .map_err(|e| ApiError::internal("storing an upload", e))?;
        let mut file = tokio::io::BufWriter::with_capacity(64 * 1024, file);
        let mut hasher = Sha256::new();
        let mut stream = body.into_data_stream();
        let mut pace = Pace {
            started: Instant::now(),
            received: 0,
        };
        while let Some(chunk) = self.next_chunk(&mut stream, &mut pace, what).await? {
            if upload.bytes + chunk.len() as u64 > limit {
                return Err(too_large(what, limit));
            }
            upload.bytes += chunk.len() as u64;
            hasher.update(&chunk);
            let room = HEAD_BYTES.saturating_sub(upload.head.len());
            upload
                .head
                .extend_from_slice(&chunk[..room.min(chunk.len())]);
            file.write_all(&chunk)
                .await
                .map_err(|e| ApiError::internal("storing an upload", e))?;
        }
        file.flush()
            .await
            .map_err(|e| ApiError::internal("storing an upload", e))?;
        upload.sha256 = hex::encode(hasher.finalize());
        Ok(upload)
    }
}
