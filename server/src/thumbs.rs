//! Gallery thumbnails made by the server, so phones never download a full photo to list it.
//!
//! A thumbnail is made once per source image and remembered in the `thumbnail` table, so a
//! republished bundle gets the same thumbnail reference and its gallery items stay unchanged.

use std::path::Path;

use rusqlite::{OptionalExtension, params};

use marktplatz_core::bundle::Bundle;
use marktplatz_core::media;
use marktplatz_core::model::AssetRef;
use marktplatz_core::wire::code;

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
        if let Some(known) = known_thumbnail(db, &item.image.sha256)? {
            item.thumbnail = Some(known);
            continue;
        }
        let path = blob_path(data_dir, &item.image.sha256);
        let bytes =
            std::fs::read(&path).map_err(|e| ApiError::internal("reading a gallery image", e))?;
        let (thumb, jpeg) = media::thumbnail(&bytes, THUMBNAIL_EDGE).map_err(|e| {
            ApiError::unprocessable(
                code::INVALID_BUNDLE,
                format!("gallery item '{}': image: {e}", item.id),
            )
        })?;
        // A small image is its own thumbnail: no second file for nothing.
        let thumb = if thumb.bytes >= item.image.bytes {
            item.image.clone()
        } else {
            blobs::put(
                db,
                data_dir,
                &thumb.sha256,
                &thumb.media_type,
                &jpeg,
                thumb.width.zip(thumb.height),
            )?;
            made += 1;
            thumb
        };
        db.write_blocking(|tx| {
            tx.prepare_cached(
                "INSERT OR REPLACE INTO thumbnail (source, max_edge, thumb) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![item.image.sha256, THUMBNAIL_EDGE, thumb.sha256])?;
            Ok(())
        })?;
        item.thumbnail = Some(thumb);
    }
    Ok(made)
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
