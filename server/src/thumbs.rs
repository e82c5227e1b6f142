//! Gallery thumbnails made by the server, so phones never download a full photo to list it.
//!
//! A thumbnail is made once per source image and remembered in the `thumbnail` table, so a
//! republished bundle gets the same thumbnail reference and its gallery items stay unchanged.

use std::path::Path;

use rusqlite::{OptionalExtension, params};

use marktplatz_media as media;
use marktplatz_model::bundle::Bundle;
use marktplatz_model::model::AssetRef;
use marktplatz_model::wire::code;

use crate::blobs::{self, blob_path};
use crate::db::Db;
use crate::error::{ApiError, ApiResult};

/// Longest edge of a gallery thumbnail, in pixels.
pub const THUMBNAIL_EDGE: u32 = 480;

/// Gives every gallery item without a thumbnail one (its image must be stored already).
/// Returns how many were newly made. An image that cannot be decoded refuses the bundle.
pub fn fill_gallery_thumbnails(db: &Db, data_dir: &Path, bundle: &mut Bundle) -> ApiResult<u64> {
    let mut made = 0;
    for item in bundle.gallery.iter_mut().filter(|g| g.thumbnail.is_none()) {
        let (thumb, new) = thumbnail_for(db, data_dir, &item.image).map_err(|e| match e {
            ThumbnailError::Image(e) => ApiError::unprocessable(
                code::INVALID_BUNDLE,
                format!("gallery item '{}': image: {e}", item.id),
            ),
            ThumbnailError::Server(e) => e,
        })?;
        made += u64::from(new);
        item.thumbnail = Some(thumb);
    }
    Ok(made)
}

/// Why a thumbnail could not be made: the image itself, or the server.
#[derive(Debug)]
pub enum ThumbnailError {
    /// Not a JPEG or PNG, cut short, too large to decode: the uploader's fault.
    Image(marktplatz_media::Error),
    Server(ApiError),
}

impl std::fmt::Display for ThumbnailError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ThumbnailError::Image(e) => write!(f, "{e}"),
            ThumbnailError::Server(e) => write!(f, "{}", e.message),
        }
    }
}

impl From<ApiError> for ThumbnailError {
    fn from(error: ApiError) -> ThumbnailError {
        ThumbnailError::Server(error)
    }
}

impl From<ThumbnailError> for ApiError {
    fn from(error: ThumbnailError) -> ApiError {
        match error {
            ThumbnailError::Image(e) => ApiError::unprocessable(code::NOT_AN_IMAGE, e.to_string()),
            ThumbnailError::Server(e) => e,
        }
    }
}

/// The thumbnail of a stored image (made once, then remembered), and whether it was made now.
/// A small image is its own thumbnail.
pub fn thumbnail_for(
    db: &Db,
    data_dir: &Path,
    image: &AssetRef,
) -> Result<(AssetRef, bool), ThumbnailError> {
    if let Some(known) = known_thumbnail(db, &image.sha256)? {
        return Ok((known, false));
    }
    let path = blob_path(data_dir, &image.sha256);
    let bytes =
        std::fs::read(&path).map_err(|e| ApiError::internal("reading a gallery image", e))?;
    let (thumb, jpeg) = media::thumbnail(&bytes, THUMBNAIL_EDGE).map_err(ThumbnailError::Image)?;
    // A small image is its own thumbnail: no second file for nothing.
    let (thumb, made) = if thumb.bytes >= image.bytes {
        (image.clone(), false)
    } else {
        blobs::put(
            db,
            data_dir,
            &thumb.sha256,
            &thumb.media_type,
            &jpeg,
            thumb.width.zip(thumb.height),
        )?;
        (thumb, true)
    };
    db.write_blocking(|tx| {
        tx.prepare_cached(
            "INSERT OR REPLACE INTO thumbnail (source, max_edge, thumb) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![image.sha256, THUMBNAIL_EDGE, thumb.sha256])?;
        Ok(())
    })?;
    Ok((thumb, made))
}

fn known_thumbnail(db: &Db, source: &str) -> ApiResult<Option<AssetRef>> {
    db.read_blocking(|tx| {
        let thumb: Option<String> = tx
            .prepare_cached("SELECT thumb FROM thumbnail WHERE source = ?1 AND max_edge = ?2")?
            .query_row(params![source, THUMBNAIL_EDGE], |r| r.get(0))
            .optional()?;
        match thumb {
            Some(sha) => Ok(blobs::meta(tx, &sha)?.map(|m| m.asset_ref())),
            None => Ok(None),
        }
    })
}

/// Width and height of an image, when the server can read its header (recorded with the asset).
pub fn image_size(bytes: &[u8], media_type: &str) -> Option<(u32, u32)> {
    if !media_type.starts_with("image/") {
        return None;
    }
    let described = media::asset_ref(bytes, media_type);
    described.width.zip(described.height)
}
