//! The device's asset cache: files named by their SHA-256 in `<device dir>/assets/`, indexed in
//! content.db (`asset_cache`, `asset_pin`), kept within a byte budget by LRU eviction; pinned
//! files are never evicted.
//!
//! A download goes to `assets/partial/<sha256>` first and resumes from where it stopped
//! (`Range` with `If-Range`, so a changed representation restarts from zero). The hash is
//! checked before the file is moved into place: a file under its final name is always right.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode};
use rusqlite::{OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::cancel::CancelToken;
use super::client::Client;
use super::http;
use super::retry::with_retry;
use crate::error::{Error, Result, SqliteContext};
use crate::store::{Store, StoredBody, table_of};
use marktplatz_model::assets::is_sha256;
use marktplatz_model::model::{AssetRef, Entity, EntityKind};

pub const ASSET_DIR: &str = "assets";
const PARTIAL_DIR: &str = "partial";
/// Assets fetched together with the content must be at most this big; bigger ones (and every
/// full-size gallery image) are fetched when shown.
pub const PREFETCH_MAX_BYTES: u64 = 512 * 1024;
/// A use refreshes the LRU stamp only when the last one is older than this (saves writes).
const TOUCH_EVERY_MS: i64 = 60_000;

/// One per device folder (share it): concurrent fetches of the same asset wait for each other.
pub struct AssetCache {
    dir: PathBuf,
    budget: u64,
    in_flight: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

/// What keeping the budget did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Eviction {
    pub files: u32,
    pub bytes: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CacheUsage {
    pub files: u32,
    pub bytes: u64,
    pub pinned_bytes: u64,
}

impl AssetCache {
    /// The cache for the store in `store_dir`, keeping at most `budget` bytes (pinned files
    /// count, but are never evicted).
    pub fn new(store_dir: &Path, budget: u64) -> AssetCache {
        AssetCache {
            dir: store_dir.join(ASSET_DIR),
            budget,
            in_flight: Mutex::new(HashMap::new()),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn budget(&self) -> u64 {
        self.budget
    }

    fn final_path(&self, sha256: &str) -> PathBuf {
        self.dir.join(sha256)
    }

    fn partial_path(&self, sha256: &str) -> PathBuf {
        self.dir.join(PARTIAL_DIR).join(sha256)
    }

    /// The file of a complete asset, if cached (refreshing its LRU stamp).
    pub fn get(&self, store: &Store, sha256: &str) -> Result<Option<PathBuf>> {
        if !is_sha256(sha256) {
            return Ok(None);
        }
        let path = self.final_path(sha256);
        let row: Option<i64> = store.read(|tx| {
            tx.prepare_cached(
                "SELECT last_used FROM asset_cache WHERE sha256 = ?1 AND complete = 1",
            )
            .and_then(|mut s| s.query_row([sha256], |r| r.get(0)).optional())
            .context("looking up an asset")
        })?;
        let Some(last_used) = row else {
            return Ok(None);
        };
        if !path.is_file() {
            // The file went missing (cleared by the OS): forget it so it is fetched again.
            store.write_content(|tx| {
                tx.sql()
                    .prepare_cached("DELETE FROM asset_cache WHERE sha256 = ?1")
                    .and_then(|mut s| s.execute([sha256]))
                    .context("forgetting a lost asset")
            })?;
            return Ok(None);
        }
        let now = now_ms();
        if now - last_used > TOUCH_EVERY_MS {
            store.write_content(|tx| {
                tx.sql()
                    .prepare_cached("UPDATE asset_cache SET last_used = ?2 WHERE sha256 = ?1")
                    .and_then(|mut s| s.execute(params![sha256, now]))
                    .context("recording an asset use")
            })?;
        }
        Ok(Some(path))
    }

    /// The asset's file, downloading (or resuming) it from `server_url` if needed.
    pub async fn fetch(
        &self,
        client: &Client,
        store: &Store,
        server_url: &str,
        asset: &AssetRef,
        cancel: &CancelToken,
    ) -> Result<PathBuf> {
        if !is_sha256(&asset.sha256) {
            return Err(Error::Protocol(format!(
                "'{}' is not an asset hash",
                asset.sha256
            )));
        }
        if let Some(path) = self.get(store, &asset.sha256)? {
            return Ok(path);
        }
        // One download per asset at a time: a second caller waits, then finds it cached.
        let gate = self
            .in_flight
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(asset.sha256.clone())
            .or_default()
            .clone();
        let result = {
            let _turn = cancel.run(gate.lock()).await?;
            self.fetch_locked(client, store, server_url, asset, cancel)
                .await
        };
        let mut in_flight = self
            .in_flight
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if Arc::strong_count(&gate) <= 2 {
            in_flight.remove(&asset.sha256);
        }
        result
    }

    async fn fetch_locked(
        &self,
        client: &Client,
        store: &Store,
        server_url: &str,
        asset: &AssetRef,
        cancel: &CancelToken,
    ) -> Result<PathBuf> {
        if let Some(path) = self.get(store, &asset.sha256)? {
            return Ok(path);
        }
        let url = format!(
            "{}/v1/assets/{}",
            server_url.trim_end_matches('/'),
            asset.sha256
        );
        let url = url.as_str();
        with_retry(&client.config.retry, cancel, move || {
            self.download_once(client, store, url, asset, cancel)
        })
        .await?;
        let path = self.final_path(&asset.sha256);
        self.keep_budget(store, &[asset.sha256.as_str()])?;
        Ok(path)
    }

    /// One attempt: resumes a partial file when there is one, verifies, moves into place.
    async fn download_once(
        &self,
        client: &Client,
        store: &Store,
        url: &str,
        asset: &AssetRef,
        cancel: &CancelToken,
    ) -> Result<()> {
        let sha = asset.sha256.as_str();
        let partial = self.partial_path(sha);
        let partial_dir = self.dir.join(PARTIAL_DIR);
        std::fs::create_dir_all(&partial_dir)
            .map_err(|e| Error::io(format!("creating {}", partial_dir.display()), e))?;
        let validator: Option<String> = store
            .read(|tx| {
                tx.prepare_cached("SELECT validator FROM asset_cache WHERE sha256 = ?1")
                    .and_then(|mut s| s.query_row([sha], |r| r.get(0)).optional())
                    .context("looking up a partial asset")
            })?
            .flatten();
        let mut offset = std::fs::metadata(&partial).map(|m| m.len()).unwrap_or(0);
        if offset >= asset.bytes || validator.is_none() {
            offset = 0;
        }
        let mut headers = HeaderMap::new();
        // Byte ranges refer to the bytes as stored: ask for no content coding.
        headers.insert(
            reqwest::header::ACCEPT_ENCODING,
            HeaderValue::from_static("identity"),
        );
        if offset > 0
            && let Some(tag) = &validator
            && let (Ok(range), Ok(if_range)) = (
                HeaderValue::from_str(&format!("bytes={offset}-")),
                HeaderValue::from_str(tag),
            )
        {
            headers.insert(reqwest::header::RANGE, range);
            headers.insert(reqwest::header::IF_RANGE, if_range);
        }
        let response = match http::send(client, Method::GET, url, headers, None).await {
            Err(Error::Server { status: 416, .. }) => {
                // Our partial file does not fit the asset: start over next attempt.
                let _ = std::fs::remove_file(&partial);
                return Err(Error::Offline {
                    url: url.to_string(),
                    message: "the partial download did not match; starting over".into(),
                });
            }
            other => other?,
        };
        let resumed = response.status() == StatusCode::PARTIAL_CONTENT;
        if resumed {
            let start = response
                .headers()
                .get(reqwest::header::CONTENT_RANGE)
                .and_then(|v| v.to_str().ok())
                .and_then(content_range_start);
            if start != Some(offset) {
                let _ = std::fs::remove_file(&partial);
                return Err(Error::Protocol(format!(
                    "asset {sha}: asked to resume at byte {offset}, the server sent another range"
                )));
            }
        } else {
            offset = 0;
        }
        let etag = response
            .headers()
            .get(reqwest::header::ETAG)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        store.write_content(|tx| {
            tx.sql()
                .prepare_cached(
                    "INSERT INTO asset_cache (sha256, media_type, bytes, complete, validator, last_used)
                     VALUES (?1, ?2, ?3, 0, ?4, ?5)
                     ON CONFLICT (sha256) DO UPDATE SET validator = ?4",
                )
                .and_then(|mut s| {
                    s.execute(params![sha, asset.media_type, asset.bytes as i64, etag, now_ms()])
                })
                .context("recording a download")
        })?;
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .write(true)
            .append(resumed)
            .truncate(!resumed)
            .open(&partial)
            .map_err(|e| Error::io(format!("opening {}", partial.display()), e))?;
        let mut received = offset;
        let mut response = response;
        loop {
            let chunk = cancel
                .run(response.chunk())
                .await?
                .map_err(|e| http::map_reqwest(url, e, client))?;
            let Some(chunk) = chunk else { break };
            received += chunk.len() as u64;
            if received > asset.bytes {
                drop(file);
                let _ = std::fs::remove_file(&partial);
                return Err(Error::Protocol(format!(
                    "asset {sha} is larger than the {} bytes announced",
                    asset.bytes
                )));
            }
            file.write_all(&chunk)
                .map_err(|e| Error::io(format!("writing {}", partial.display()), e))?;
            if received < asset.bytes {
                crate::failpoint::hit("mid_asset_download");
            }
        }
        file.sync_all()
            .map_err(|e| Error::io(format!("saving {}", partial.display()), e))?;
        drop(file);
        if received < asset.bytes {
            // Keep what arrived: the next attempt resumes from here.
            return Err(Error::Offline {
                url: url.to_string(),
                message: format!(
                    "the download stopped after {received} of {} bytes",
                    asset.bytes
                ),
            });
        }
        let actual = hash_file(&partial)?;
        if actual != sha {
            let _ = std::fs::remove_file(&partial);
            store.write_content(|tx| {
                tx.sql()
                    .prepare_cached("DELETE FROM asset_cache WHERE sha256 = ?1")
                    .and_then(|mut s| s.execute([sha]))
                    .context("forgetting a bad download")
            })?;
            return Err(Error::Protocol(format!(
                "asset {sha} failed its hash check (the bytes received hash to {actual}); it was discarded"
            )));
        }
        let target = self.final_path(sha);
        std::fs::rename(&partial, &target)
            .map_err(|e| Error::io(format!("moving {} into place", target.display()), e))?;
        store.write_content(|tx| {
            tx.sql()
                .prepare_cached(
                    "UPDATE asset_cache SET complete = 1, last_used = ?2 WHERE sha256 = ?1",
                )
                .and_then(|mut s| s.execute(params![sha, now_ms()]))
                .context("recording a finished download")
        })?;
        Ok(())
    }

    /// Pins an asset for `owner`: it is never evicted while any owner pins it.
    pub fn pin(&self, store: &Store, sha256: &str, owner: &str) -> Result<()> {
        store.write_content(|tx| {
            tx.sql()
                .prepare_cached("INSERT OR IGNORE INTO asset_pin (sha256, owner) VALUES (?1, ?2)")
                .and_then(|mut s| s.execute(params![sha256, owner]))
                .context("pinning an asset")?;
            Ok(())
        })
    }

    pub fn unpin(&self, store: &Store, sha256: &str, owner: &str) -> Result<()> {
        store.write_content(|tx| {
            tx.sql()
                .prepare_cached("DELETE FROM asset_pin WHERE sha256 = ?1 AND owner = ?2")
                .and_then(|mut s| s.execute(params![sha256, owner]))
                .context("unpinning an asset")?;
            Ok(())
        })
    }

    /// Replaces everything `owner` pins with `hashes` (one transaction).
    pub fn set_pins(&self, store: &Store, owner: &str, hashes: &[String]) -> Result<()> {
        store.write_content(|tx| {
            tx.sql()
                .prepare_cached("DELETE FROM asset_pin WHERE owner = ?1")
                .and_then(|mut s| s.execute([owner]))
                .context("unpinning assets")?;
            for sha in hashes {
                tx.sql()
                    .prepare_cached(
                        "INSERT OR IGNORE INTO asset_pin (sha256, owner) VALUES (?1, ?2)",
                    )
                    .and_then(|mut s| s.execute(params![sha, owner]))
                    .context("pinning an asset")?;
            }
            Ok(())
        })
    }

    pub fn usage(&self, store: &Store) -> Result<CacheUsage> {
        store.read(|tx| {
            tx.prepare_cached(
                "SELECT count(*), coalesce(sum(bytes), 0),
                        coalesce(sum(CASE WHEN EXISTS (SELECT 1 FROM asset_pin p WHERE p.sha256 = c.sha256)
                                          THEN bytes ELSE 0 END), 0)
                 FROM asset_cache c WHERE complete = 1",
            )
            .and_then(|mut s| {
                s.query_row([], |r| {
                    Ok(CacheUsage {
                        files: r.get::<_, i64>(0)?.max(0) as u32,
                        bytes: r.get::<_, i64>(1)?.max(0) as u64,
                        pinned_bytes: r.get::<_, i64>(2)?.max(0) as u64,
                    })
                })
            })
            .context("measuring the asset cache")
        })
    }

    /// Evicts least recently used, unpinned files until the cache fits its budget; `keep` are
    /// spared (files in use right now).
    pub fn keep_budget(&self, store: &Store, keep: &[&str]) -> Result<Eviction> {
        let victims = store.write_content(|tx| {
            let total: i64 = tx
                .sql()
                .prepare_cached(
                    "SELECT coalesce(sum(bytes), 0) FROM asset_cache WHERE complete = 1",
                )
                .and_then(|mut s| s.query_row([], |r| r.get(0)))
                .context("measuring the asset cache")?;
            let mut total = total.max(0) as u64;
            if total <= self.budget {
                return Ok(Vec::new());
            }
            let candidates: Vec<(String, i64)> = {
                let mut stmt = tx
                    .sql()
                    .prepare_cached(
                        "SELECT sha256, bytes FROM asset_cache c WHERE complete = 1
                           AND NOT EXISTS (SELECT 1 FROM asset_pin p WHERE p.sha256 = c.sha256)
                         ORDER BY last_used, sha256",
                    )
                    .context("choosing assets to evict")?;
                let rows = stmt
                    .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                    .context("choosing assets to evict")?;
                rows.collect::<rusqlite::Result<_>>()
                    .context("choosing assets to evict")?
            };
            let mut victims = Vec::new();
            for (sha, bytes) in candidates {
                if total <= self.budget {
                    break;
                }
                if keep.contains(&sha.as_str()) {
                    continue;
                }
                tx.sql()
                    .prepare_cached("DELETE FROM asset_cache WHERE sha256 = ?1")
                    .and_then(|mut s| s.execute([&sha]))
                    .context("evicting an asset")?;
                total = total.saturating_sub(bytes.max(0) as u64);
                victims.push((sha, bytes.max(0) as u64));
            }
            Ok(victims)
        })?;
        // Files go after the index rows are committed: a crash in between leaves a stray file
        // (harmless), never a row pointing at nothing that `get` would trust.
        let mut eviction = Eviction::default();
        for (sha, bytes) in victims {
            let _ = std::fs::remove_file(self.final_path(&sha));
            eviction.files += 1;
            eviction.bytes += bytes;
        }
        Ok(eviction)
    }

    /// The assets that travel with an event's content: its logo and venue map, speaker photos,
    /// exhibitor logos and gallery thumbnails, each at most [`PREFETCH_MAX_BYTES`]. Full-size
    /// gallery images are left for [`AssetCache::fetch`] when shown.
    pub fn prefetch_list(&self, store: &Store, event_id: &str) -> Result<Vec<AssetRef>> {
        let kinds = [
            EntityKind::Event,
            EntityKind::Speaker,
            EntityKind::Exhibitor,
            EntityKind::GalleryItem,
        ];
        let bodies: Vec<(EntityKind, StoredBody)> = store.read(|tx| {
            let mut all = Vec::new();
            for kind in kinds {
                let (table, _) = table_of(kind);
                let mut stmt = tx
                    .prepare_cached(&format!("SELECT body FROM {table} WHERE event_id = ?1"))
                    .context("listing assets")?;
                let rows = stmt
                    .query_map([event_id], |r| r.get::<_, StoredBody>(0))
                    .context("listing assets")?;
                for row in rows {
                    all.push((kind, row.context("listing assets")?));
                }
            }
            Ok(all)
        })?;
        let mut wanted: Vec<AssetRef> = Vec::new();
        for (kind, body) in bodies {
            let entity = Entity::from_json(kind, &body.0)
                .map_err(|e| Error::malformed(format!("stored {kind}"), e))?;
            let refs: Vec<&AssetRef> = match &entity {
                Entity::GalleryItem(item) => item.thumbnail.iter().collect(),
                other => other.assets(),
            };
            for asset in refs {
                if asset.bytes <= PREFETCH_MAX_BYTES
                    && !wanted.iter().any(|w| w.sha256 == asset.sha256)
                {
                    wanted.push(asset.clone());
                }
            }
        }
        let complete: Vec<String> = store.read(|tx| {
            let mut stmt = tx
                .prepare_cached("SELECT sha256 FROM asset_cache WHERE complete = 1")
                .context("listing cached assets")?;
            let rows = stmt
                .query_map([], |r| r.get(0))
                .context("listing cached assets")?;
            rows.collect::<rusqlite::Result<_>>()
                .context("listing cached assets")
        })?;
        wanted.retain(|a| !complete.contains(&a.sha256) || !self.final_path(&a.sha256).is_file());
        Ok(wanted)
    }

    /// The assets an event pins: its logo and venue map (the map must work offline).
    pub fn event_pins(&self, store: &Store, event_id: &str) -> Result<Vec<String>> {
        let body: Option<StoredBody> = store.read(|tx| {
            tx.prepare_cached("SELECT body FROM event WHERE event_id = ?1")
                .and_then(|mut s| s.query_row([event_id], |r| r.get(0)).optional())
                .context("reading the event")
        })?;
        let Some(body) = body else {
            return Ok(Vec::new());
        };
        let entity = Entity::from_json(EntityKind::Event, &body.0)
            .map_err(|e| Error::malformed("stored event", e))?;
        Ok(entity
            .assets()
            .into_iter()
            .map(|a| a.sha256.clone())
            .collect())
    }
}

/// The start offset of `bytes a-b/total`.
fn content_range_start(value: &str) -> Option<u64> {
    let range = value.trim().strip_prefix("bytes ")?;
    let (span, _) = range.split_once('/')?;
    let (start, _) = span.split_once('-')?;
    start.trim().parse().ok()
}

fn hash_file(path: &Path) -> Result<String> {
    let mut file = std::fs::File::open(path)
        .map_err(|e| Error::io(format!("reading {}", path.display()), e))?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let n = file
            .read(&mut buffer)
            .map_err(|e| Error::io(format!("reading {}", path.display()), e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Ok(hex::encode(hasher.finalize()))
}

/// Records a file this device put into the asset folder itself (a photo the organiser queued)
/// as complete, pinned for `owner` until it lets go.
pub(crate) fn record_local_file(
    store: &Store,
    sha256: &str,
    media_type: &str,
    bytes: u64,
    owner: &str,
) -> Result<()> {
    store.write_content(|tx| {
        let sql = tx.sql();
        sql.prepare_cached(
            "INSERT INTO asset_cache (sha256, media_type, bytes, complete, last_used)
             VALUES (?1, ?2, ?3, 1, ?4)
             ON CONFLICT (sha256) DO UPDATE SET complete = 1, last_used = ?4",
        )
        .and_then(|mut s| s.execute(params![sha256, media_type, bytes as i64, now_ms()]))
        .context("recording a queued photo")?;
        sql.prepare_cached("INSERT OR IGNORE INTO asset_pin (sha256, owner) VALUES (?1, ?2)")
            .and_then(|mut s| s.execute(params![sha256, owner]))
            .context("pinning a queued photo")?;
        Ok(())
    })
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_range_start_is_read() {
        assert_eq!(content_range_start("bytes 100-199/200"), Some(100));
        assert_eq!(content_range_start("bytes */200"), None);
    }

    fn add(store: &Store, cache: &AssetCache, name: &str, bytes: usize, last_used: i64) -> String {
        let data = name.repeat(bytes / name.len());
        let sha = hex::encode(Sha256::digest(data.as_bytes()));
        std::fs::create_dir_all(cache.dir()).unwrap();
        std::fs::write(cache.final_path(&sha), &data).unwrap();
        store
            .write_content(|tx| {
                tx.sql()
                    .execute(
                        "INSERT INTO asset_cache (sha256, media_type, bytes, complete, last_used)
                         VALUES (?1, 'image/png', ?2, 1, ?3)",
                        params![sha, data.len() as i64, last_used],
                    )
                    .context("test")
            })
            .unwrap();
        sha
    }

    #[test]
    fn eviction_removes_least_recently_used_unpinned_files() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let cache = AssetCache::new(dir.path(), 2500);
        let oldest = add(&store, &cache, "a", 1000, 1);
        let pinned = add(&store, &cache, "b", 1000, 2);
        let middle = add(&store, &cache, "c", 1000, 3);
        let newest = add(&store, &cache, "d", 1000, 4);
        cache.pin(&store, &pinned, "event:e").unwrap();
        let eviction = cache.keep_budget(&store, &[]).unwrap();
        assert_eq!(
            eviction,
            Eviction {
                files: 2,
                bytes: 2000
            }
        );
        assert!(cache.get(&store, &oldest).unwrap().is_none());
        assert!(cache.get(&store, &middle).unwrap().is_none());
        assert!(!cache.final_path(&oldest).exists());
        assert!(cache.get(&store, &pinned).unwrap().is_some());
        assert!(cache.get(&store, &newest).unwrap().is_some());
        let usage = cache.usage(&store).unwrap();
        assert_eq!(
            (usage.files, usage.bytes, usage.pinned_bytes),
            (2, 2000, 1000)
        );
    }

    #[test]
    fn a_lost_file_is_forgotten() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let cache = AssetCache::new(dir.path(), 1 << 20);
        let sha = add(&store, &cache, "x", 100, 1);
        std::fs::remove_file(cache.final_path(&sha)).unwrap();
        assert!(cache.get(&store, &sha).unwrap().is_none());
        assert_eq!(cache.usage(&store).unwrap().files, 0);
    }
}
