//! Content-addressed files: `<data>/assets/<sha256>`, indexed in the `asset` table (written
//! only here). On PostgreSQL the bytes are also rows of `asset_content`, written with the
//! `asset` row, and `<data>/assets/` is each instance's cache of them ([`local_path`], ADR 0021).
//!
//! A file is written to a temporary name and renamed into place only after its hash matched,
//! so a file under its final name always holds exactly the bytes its name promises.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::engine::{Engine, Tx, args};

use marktplatz_media as media;
use marktplatz_model::assets::{is_sha256, sha256_hex};
use marktplatz_model::model::AssetRef;
use marktplatz_model::wire::code;

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

/// The file holding a stored asset's bytes. On PostgreSQL an asset another instance stored is
/// fetched into this instance's cache first (a temporary name, renamed once complete). Blocking.
pub fn local_path(db: &Db, data_dir: &Path, sha256: &str) -> Result<PathBuf> {
    let path = blob_path(data_dir, sha256);
    if db.engine() == Engine::Sqlite || path.exists() {
        return Ok(path);
    }
    let content: Option<Vec<u8>> = db.read_blocking(|tx| {
        tx.query_opt(
            "SELECT content FROM asset_content WHERE sha256 = $1",
            args![sha256],
            |r| r.get(0),
        )
    })?;
    let Some(content) = content else {
        // Not stored: the caller's open fails as it would on SQLite.
        return Ok(path);
    };
    let dir = data_dir.join(ASSET_DIR);
    std::fs::create_dir_all(&dir).map_err(StoreError::io("creating the asset folder"))?;
    let temp = dir.join(format!(".{sha256}.{}.cache", std::process::id()));
    let written = std::fs::write(&temp, &content).and_then(|()| std::fs::rename(&temp, &path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(StoreError::Io {
            context: "caching an asset",
            source: e,
        });
    }
    Ok(path)
}

pub fn meta(tx: &Tx<'_>, sha256: &str) -> Result<Option<BlobMeta>> {
    tx.query_opt(
        "SELECT media_type, bytes, width, height FROM asset WHERE sha256 = $1",
        args![sha256],
        |r| {
            Ok(BlobMeta {
                sha256: sha256.to_string(),
                media_type: r.get(0)?,
                bytes: r.get_u64(1)?,
                width: r.get(2)?,
                height: r.get(3)?,
            })
        },
    )
}

/// The media types an asset is served as; anything else stored (by an older server, or by an
/// admin on the data directory) is served as `application/octet-stream`. With `nosniff` a
/// browser then renders nothing of it: no organiser can host a page on the server's origin.
pub const SERVED_TYPES: [&str; 2] = [media::PNG, media::JPEG];

/// The `Content-Type` a stored asset is served with.
pub fn served_type(stored: &str) -> &'static str {
    SERVED_TYPES
        .into_iter()
        .find(|served| *served == stored)
        .unwrap_or("application/octet-stream")
}

/// What an uploaded asset is, recognised by its first bytes: a PNG or JPEG image (the only
/// files the content model refers to), or refused with `not_an_image`. The declared
/// `Content-Type` is not trusted.
pub fn sniff_upload(head: &[u8]) -> Result<&'static str> {
    marktplatz_model::assets::sniff_image(head)
        .map_err(|e| StoreError::refused(code::NOT_AN_IMAGE, format!("asset: {e}")))
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
    check(sha256, &sha256_hex(bytes), bytes.len() as u64, media_type)?;
    if db.read_blocking(|tx| meta(tx, sha256))?.is_some() {
        return Ok(false);
    }
    let dir = data_dir.join(ASSET_DIR);
    std::fs::create_dir_all(&dir).map_err(StoreError::io("creating the asset folder"))?;
    let temp_path = dir.join(format!(".{sha256}.{}.tmp", std::process::id()));
    let write = || -> std::io::Result<()> {
        let mut file = std::fs::File::create(&temp_path)?;
        file.write_all(bytes)?;
        Ok(())
    };
    if let Err(e) = write() {
        let _ = std::fs::remove_file(&temp_path);
        return Err(StoreError::Io {
            context: "storing an asset",
            source: e,
        });
    }
    let stored = Stored {
        sha256,
        media_type,
        bytes: bytes.len() as u64,
        size,
    };
    let result = persist(db, data_dir, &temp_path, &stored);
    let _ = std::fs::remove_file(&temp_path);
    result.map(|()| true)
}

/// What a file is about to be stored as.
pub struct Stored<'a> {
    pub sha256: &'a str,
    pub media_type: &'a str,
    pub bytes: u64,
    pub size: Option<(u32, u32)>,
}

/// An upload written to a file in the asset folder, as it arrived.
pub struct Upload<'a> {
    /// The hash it was sent as (its name to be).
    pub sha256: &'a str,
    pub temp: &'a Path,
    /// The hash of the bytes written.
    pub actual: &'a str,
    pub bytes: u64,
    /// Its first bytes (what it is, its dimensions).
    pub head: &'a [u8],
}

/// Stores an uploaded file under the hash it was sent as, once its bytes hash to it and it is
/// a PNG or JPEG image ([`sniff_upload`]; stored with the type recognised, never the one
/// declared). Returns whether it was new; the caller removes the file when it is still there.
pub fn put_upload(db: &Db, data_dir: &Path, upload: &Upload<'_>) -> Result<bool> {
    check(upload.sha256, upload.actual, upload.bytes, media::JPEG)?;
    let media_type = sniff_upload(upload.head)?;
    refuse_personal_metadata(upload.temp)?;
    if db.read_blocking(|tx| meta(tx, upload.sha256))?.is_some() {
        return Ok(false);
    }
    let asset = Stored {
        sha256: upload.sha256,
        media_type,
        bytes: upload.bytes,
        size: image_size(upload.head, media_type),
    };
    persist(db, data_dir, upload.temp, &asset).map(|()| true)
}

/// Refuses an upload that is not a whole image or still carries location or personal metadata
/// (issue 15). The server cannot strip it: an asset's name is the hash its uploader computed,
/// so the organiser's tools strip before hashing (ADR 0007) and the server only checks.
fn refuse_personal_metadata(temp: &Path) -> Result<()> {
    // The upload is already bounded by the body limit and on disk; the walk copies it once.
    let bytes = std::fs::read(temp).map_err(StoreError::io("reading an uploaded asset"))?;
    media::strip::refuse_metadata(&bytes).map_err(|e| match e {
        marktplatz_model::Error::Invalid { ref field, .. } if field == "metadata" => {
            StoreError::refused(code::IMAGE_METADATA, format!("asset: {e}"))
        }
        _ => StoreError::refused(code::NOT_AN_IMAGE, format!("asset: {e}")),
    })
}

fn check(sha256: &str, actual: &str, bytes: u64, media_type: &str) -> Result<()> {
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
    if bytes == 0 {
        return Err(StoreError::BadInput("an asset cannot be empty".into()));
    }
    if actual != sha256 {
        return Err(StoreError::refused(
            code::HASH_MISMATCH,
            format!("the bytes sent hash to {actual}, not {sha256}"),
        ));
    }
    Ok(())
}

/// Makes the written file durable, renames it to its hash (so a file under its final name
/// always holds exactly the bytes its name promises) and records it.
fn persist(db: &Db, data_dir: &Path, temp: &Path, asset: &Stored<'_>) -> Result<()> {
    let final_path = blob_path(data_dir, asset.sha256);
    std::fs::File::open(temp)
        .and_then(|file| file.sync_all())
        .and_then(|()| std::fs::rename(temp, &final_path))
        .map_err(StoreError::io("storing an asset"))?;
    // On PostgreSQL the bytes go with the row: any instance can serve them.
    let content = match db.engine() {
        Engine::Sqlite => None,
        Engine::Postgres => {
            Some(std::fs::read(&final_path).map_err(StoreError::io("storing an asset"))?)
        }
    };
    db.write_blocking(|tx| {
        if let Some(content) = &content {
            tx.execute(
                "INSERT INTO asset_content (sha256, content) VALUES ($1, $2)
                 ON CONFLICT (sha256) DO NOTHING",
                args![asset.sha256, content],
            )?;
        }
        tx.execute(
            "INSERT INTO asset (sha256, media_type, bytes, width, height, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (sha256) DO NOTHING",
            args![
                asset.sha256,
                asset.media_type,
                asset.bytes as i64,
                asset.size.map(|s| s.0),
                asset.size.map(|s| s.1),
                now()
            ],
        )?;
        Ok(())
    })
}

/// Which of `hashes` the server does not hold.
pub fn missing(tx: &Tx<'_>, hashes: &[String]) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for hash in hashes {
        if meta(tx, hash)?.is_none() && !out.contains(hash) {
            out.push(hash.clone());
        }
    }
    Ok(out)
}

/// Width and height of an image, when the server can read its header (recorded with the asset).
pub fn image_size(bytes: &[u8], media_type: &str) -> Option<(u32, u32)> {
    if !media_type.starts_with("image/") {
        return None;
    }
    let described = media::asset_ref(bytes, media_type);
    described.width.zip(described.height)
}
