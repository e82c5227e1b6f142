//! Content-addressed files: `<data>/assets/<sha256>`, indexed in the `asset` table (written
//! only here).
//!
//! A file is written to a temporary name and renamed into place only after its hash matched,
//! so a file under its final name always holds exactly the bytes its name promises.

use std::io::Write;
use std::path::{Path, PathBuf};

use rusqlite::{OptionalExtension, Transaction, params};

use marktplatz_core::model::AssetRef;
use marktplatz_core::wire::{code, is_sha256, sha256_hex};

use super::db::{Db, now};
use super::error::{Result, StoreError};

pub const ASSET_DIR: &str = "assets";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlobMeta {
    pub sha256: String,
    pub media_type: String,
    pub bytes: u64,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

impl BlobMeta {
    pub fn asset_ref(&self) -> AssetRef {
        AssetRef {
            sha256: self.sha256.clone(),
            media_type: self.media_type.clone(),
            bytes: self.bytes,
            width: self.width,
            height: self.height,
        }
    }
}

pub fn blob_path(data_dir: &Path, sha256: &str) -> PathBuf {
    data_dir.join(ASSET_DIR).join(sha256)
}

pub fn meta(tx: &Transaction<'_>, sha256: &str) -> Result<Option<BlobMeta>> {
    Ok(tx
        .prepare_cached("SELECT media_type, bytes, width, height FROM asset WHERE sha256 = ?1")?
        .query_row([sha256], |r| {
            Ok(BlobMeta {
                sha256: sha256.to_string(),
                media_type: r.get(0)?,
                bytes: r.get::<_, i64>(1)?.max(0) as u64,
                width: r.get(2)?,
                height: r.get(3)?,
            })
        })
        .optional()?)
}

/// Stores `bytes` under `sha256` after checking the hash. Returns whether it was new.
pub fn put(
    db: &Db,
    data_dir: &Path,
    sha256: &str,
    media_type: &str,
    bytes: &[u8],
    size: Option<(u32, u32)>,
) -> Result<bool> {
    if !is_sha256(sha256) {
        return Err(StoreError::BadInput(format!(
            "'{sha256}' is not a lower-case hex SHA-256"
        )));
    }
    if media_type.trim().is_empty() || !media_type.contains('/') {
        return Err(StoreError::BadInput(
            "send the asset's media type in Content-Type (like image/jpeg)".into(),
        ));
    }
    if bytes.is_empty() {
        return Err(StoreError::BadInput("an asset cannot be empty".into()));
    }
    let actual = sha256_hex(bytes);
    if actual != sha256 {
        return Err(StoreError::refused(
            code::HASH_MISMATCH,
            format!("the bytes sent hash to {actual}, not {sha256}"),
        ));
    }
    if db.read_blocking(|tx| meta(tx, sha256))?.is_some() {
        return Ok(false);
    }
    let dir = data_dir.join(ASSET_DIR);
    std::fs::create_dir_all(&dir).map_err(StoreError::io("creating the asset folder"))?;
    let final_path = blob_path(data_dir, sha256);
    let temp_path = dir.join(format!(".{sha256}.{}.tmp", std::process::id()));
    let write = || -> std::io::Result<()> {
        let mut file = std::fs::File::create(&temp_path)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temp_path, &final_path)
    };
    if let Err(e) = write() {
        let _ = std::fs::remove_file(&temp_path);
        return Err(StoreError::Io {
            context: "storing an asset",
            source: e,
        });
    }
    db.write_blocking(|tx| {
        tx.prepare_cached(
            "INSERT OR IGNORE INTO asset (sha256, media_type, bytes, width, height, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![
            sha256,
            media_type,
            bytes.len() as i64,
            size.map(|s| s.0),
            size.map(|s| s.1),
            now()
        ])?;
        Ok(())
    })?;
    Ok(true)
}

/// Which of `hashes` the server does not hold.
pub fn missing(tx: &Transaction<'_>, hashes: &[String]) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for hash in hashes {
        if meta(tx, hash)?.is_none() && !out.contains(hash) {
            out.push(hash.clone());
        }
    }
    Ok(out)
}
