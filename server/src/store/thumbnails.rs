//! Gallery thumbnails made by the server (table `thumbnail`), so phones never download a full
//! photo to list it.
//!
//! A thumbnail is made once per source image and remembered, so a republished bundle gets the
//! same thumbnail reference and its gallery items stay unchanged.
//!
//! Decoding an image may take up to `media::MAX_DECODE_BYTES` of memory and seconds of CPU, so
//! decodes are bounded in total, not only each one: at most [`decode_slots`] run at once in the
//! process; the rest wait their turn (up to [`DECODE_WAIT`], then `Busy`: 503).

use std::path::Path;
use std::sync::{Condvar, Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use super::engine::args;

use marktplatz_media as media;
use marktplatz_model::bundle::Bundle;
use marktplatz_model::model::AssetRef;
use marktplatz_model::wire::code;

use super::blobs;
use super::db::Db;
use super::error::{Result, StoreError};

/// Longest edge of a gallery thumbnail, in pixels.
pub const THUMBNAIL_EDGE: u32 = 480;

/// Gives every gallery item without a thumbnail one (its image must be stored already).
/// Returns how many were newly made. An image that cannot be decoded refuses the bundle.
pub fn fill_gallery_thumbnails(db: &Db, data_dir: &Path, bundle: &mut Bundle) -> Result<u64> {
    let mut made = 0;
    for item in bundle.gallery.iter_mut().filter(|g| g.thumbnail.is_none()) {
        let (thumb, new) = thumbnail_for(db, data_dir, &item.image).map_err(|e| match e {
            ThumbnailError::Image(e) => StoreError::refused(
                code::INVALID_BUNDLE,
                format!("gallery item '{}': image: {e}", item.id),
            ),
            ThumbnailError::Store(e) => e,
        })?;
        made += u64::from(new);
        item.thumbnail = Some(thumb);
    }
    Ok(made)
}

/// Why a thumbnail could not be made: the image itself, or the server.
#[derive(Debug, thiserror::Error)]
pub enum ThumbnailError {
    /// Not a JPEG or PNG, cut short, too large to decode: the uploader's fault.
    #[error("{0}")]
    Image(marktplatz_model::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<ThumbnailError> for StoreError {
    fn from(error: ThumbnailError) -> StoreError {
        match error {
            ThumbnailError::Image(e) => StoreError::refused(code::NOT_AN_IMAGE, e.to_string()),
            ThumbnailError::Store(e) => e,
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
    let path = blobs::local_path(db, data_dir, &image.sha256)?;
    let bytes = std::fs::read(&path).map_err(StoreError::io("reading a gallery image"))?;
    let (thumb, jpeg) = {
        let _slot = DecodeSlot::take()?;
        media::thumbnail(&bytes, THUMBNAIL_EDGE).map_err(ThumbnailError::Image)?
    };
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
        tx.execute(
            "INSERT INTO thumbnail (source, max_edge, thumb) VALUES ($1, $2, $3)
             ON CONFLICT (source, max_edge) DO UPDATE SET thumb = excluded.thumb",
            args![&image.sha256, THUMBNAIL_EDGE, &thumb.sha256],
        )?;
        Ok(())
    })?;
    Ok((thumb, made))
}

fn known_thumbnail(db: &Db, source: &str) -> Result<Option<AssetRef>> {
    db.read_blocking(|tx| {
        let thumb: Option<String> = tx.query_opt(
            "SELECT thumb FROM thumbnail WHERE source = $1 AND max_edge = $2",
            args![source, THUMBNAIL_EDGE],
            |r| r.get(0),
        )?;
        match thumb {
            Some(sha) => Ok(blobs::meta(tx, &sha)?.map(|m| m.asset_ref())),
            None => Ok(None),
        }
    })
}

/// How long a decode waits for a free slot before the request is answered 503.
pub const DECODE_WAIT: Duration = Duration::from_secs(30);

/// How many images may be decoded at once: one per core, at most four.
pub fn decode_slots() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 4)
}

#[derive(Default)]
struct Decodes {
    running: usize,
    /// The most that ever ran at once (for tests and the log).
    peak: usize,
}

fn decodes() -> &'static (Mutex<Decodes>, Condvar) {
    static DECODES: OnceLock<(Mutex<Decodes>, Condvar)> = OnceLock::new();
    DECODES.get_or_init(Default::default)
}

/// The most image decodes that ran at once in this process so far.
pub fn peak_decodes() -> usize {
    decodes()
        .0
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .peak
}

/// One of the [`decode_slots`], held while an image is decoded (blocking: call off the async
/// runtime, as all store work is).
struct DecodeSlot;

impl DecodeSlot {
    fn take() -> Result<DecodeSlot> {
        let (lock, freed) = decodes();
        let deadline = Instant::now() + DECODE_WAIT;
        let mut state = lock.lock().unwrap_or_else(PoisonError::into_inner);
        while state.running >= decode_slots() {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                tracing::warn!(slots = decode_slots(), "no image decode slot free");
                return Err(StoreError::Busy("decoding other images"));
            }
            state = freed
                .wait_timeout(state, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        state.running += 1;
        state.peak = state.peak.max(state.running);
        Ok(DecodeSlot)
    }
}

impl Drop for DecodeSlot {
    fn drop(&mut self) {
        let (lock, freed) = decodes();
        lock.lock().unwrap_or_else(PoisonError::into_inner).running -= 1;
        freed.notify_one();
    }
}
