//! Photos that arrive straight from a camera (the console's gallery, hall plan and logo
//! uploads): stripped of personal metadata here, because the browser cannot strip them, then
//! stored as content-addressed assets and given their thumbnail by [`thumbnails::thumbnail_for`],
//! the function a `photo.add` through the HTTP API uses too.
//!
//! Checking ([`strip`]) and storing ([`put`]) are apart so that a caller with several files
//! can check all of them before it stores any.

use std::path::Path;

use marktplatz_media as media;
use marktplatz_model::assets::sha256_hex;
use marktplatz_model::model::AssetRef;
use marktplatz_model::ops::MAX_PHOTO_BYTES;
use marktplatz_model::wire::code;

use super::blobs;
use super::db::Db;
use super::error::{Result, StoreError};
use super::thumbnails;

/// A photo ready to be stored: its bytes without personal metadata and what they are.
pub struct Stripped {
    pub bytes: Vec<u8>,
    pub media_type: &'static str,
}

/// The photo without its EXIF, XMP, IPTC and comments (orientation kept, pixels untouched:
/// `marktplatz_model::strip`). Refused (`not_an_image`) when it is not a whole JPEG or PNG
/// (a cut-off upload has no end marker) or is larger than a gallery photo may be.
pub fn strip(original: &[u8]) -> Result<Stripped> {
    if original.is_empty() || original.len() as u64 > MAX_PHOTO_BYTES {
        return Err(StoreError::refused(
            code::NOT_AN_IMAGE,
            format!(
                "{} bytes; a photo has 1 to {MAX_PHOTO_BYTES} bytes",
                original.len()
            ),
        ));
    }
    let stripped = media::strip::strip_metadata(original)
        .map_err(|e| StoreError::refused(code::NOT_AN_IMAGE, e.to_string()))?;
    let media_type = blobs::sniff_upload(&stripped.bytes)?;
    Ok(Stripped {
        bytes: stripped.bytes,
        media_type,
    })
}

/// Stores a stripped photo (once: the same bytes are the same asset) and makes its
/// thumbnail; returns the photo's record. An image the decoder refuses (too large, damaged
/// pixel data) is refused here, before any operation refers to it.
pub fn put(db: &Db, data_dir: &Path, photo: &Stripped) -> Result<AssetRef> {
    let image = store(db, data_dir, photo)?;
    thumbnails::thumbnail_for(db, data_dir, &image)?;
    Ok(image)
}

/// Stores a stripped image (a hall plan, a logo: shown whole, no thumbnail); returns its
/// record with the dimensions read from its header.
pub fn store(db: &Db, data_dir: &Path, image: &Stripped) -> Result<AssetRef> {
    let sha256 = sha256_hex(&image.bytes);
    let size = blobs::image_size(&image.bytes, image.media_type);
    blobs::put(db, data_dir, &sha256, image.media_type, &image.bytes, size)?;
    Ok(db
        .read_blocking(|tx| blobs::meta(tx, &sha256))?
        .ok_or_else(|| {
            StoreError::internal("storing an image", "the stored image is not recorded")
        })?
        .asset_ref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anything_but_a_whole_jpeg_or_png_is_refused_before_it_is_stored() {
        for bad in [
            &b""[..],
            b"<html>not a photo</html>",
            b"\xff\xd8\xff\xe0\x00\x10JFIF",
        ] {
            let err = strip(bad).err().map(|e| e.code());
            assert_eq!(err, Some(code::NOT_AN_IMAGE), "{bad:?}");
        }
    }
}
