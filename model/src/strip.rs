//! Removing personal metadata from a photo without touching its pixels (issue 15, point 6).
//!
//! Here, not in `marktplatz-media`, because the phone library strips photos before queueing
//! them and never links an image codec; this walk needs none (no pixel is decoded).
//!
//! Photos come from phones: their EXIF carries the GPS position, the camera's serial number and
//! the time; XMP, IPTC and comments carry names. None of it is needed to show the picture, so the
//! file is rewritten by walking its segments (JPEG) or chunks (PNG) and dropping every one that
//! can hold such data. Nothing is re-encoded: the compressed image data is copied byte for byte,
//! so quality does not drop and stripping the same file twice gives the same bytes (and hash).
//!
//! Orientation is the one tag kept (ADR 0007): a phone stores a portrait photo as landscape
//! pixels plus "rotate 90°". Applying it to the pixels would mean re-encoding; instead the EXIF
//! block is replaced by a minimal one holding only the orientation tag.
//!
//! The walk also refuses what cannot be a whole image: a JPEG without its end marker (a cut-off
//! upload, point 2) and a PNG without `IEND`; and it bounds PNG ancillary chunks
//! ([`MAX_PNG_TEXT_CHUNKS`], [`MAX_PNG_TEXT_CHUNK_BYTES`], [`MAX_ICC_PROFILE_BYTES`]) before
//! any pixel data is decoded.

use crate::assets::{JPEG, PNG, sniff_image};
use crate::{Error, Result};

/// The most text chunks (`tEXt`, `zTXt`, `iTXt`) a PNG may carry before it is refused unread.
pub const MAX_PNG_TEXT_CHUNKS: usize = 64;
/// The largest single PNG text chunk accepted (compressed size, as stored).
pub const MAX_PNG_TEXT_CHUNK_BYTES: usize = 64 * 1024;
/// The largest colour profile (JPEG `APP2 ICC_PROFILE` in total, PNG `iCCP`) accepted.
pub const MAX_ICC_PROFILE_BYTES: usize = 1024 * 1024;

/// A photo with its personal metadata removed, and what was removed (for messages and tests).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stripped {
    pub bytes: Vec<u8>,
    /// What was found and dropped, in file order, each named once ("EXIF GPS location", ...).
    pub removed: Vec<&'static str>,
}

/// Rewrites a PNG or JPEG without personal metadata (see the module documentation).
pub fn strip_metadata(bytes: &[u8]) -> Result<Stripped> {
    let mut out = Stripped {
        bytes: Vec::with_capacity(bytes.len()),
        removed: Vec::new(),
    };
    match sniff_image(bytes)? {
        JPEG => strip_jpeg(bytes, &mut out)?,
        PNG => strip_png(bytes, &mut out)?,
        other => {
            return Err(Error::malformed(
                "image",
                format!("{other} cannot be stripped"),
            ));
        }
    }
    Ok(out)
}

/// Refuses an image that still carries personal metadata, naming it; the server's check on
/// uploads, which cannot strip (the file's hash is its name, chosen by the uploader).
pub fn refuse_metadata(bytes: &[u8]) -> Result<()> {
    let stripped = strip_metadata(bytes)?;
    if stripped.removed.is_empty() {
        return Ok(());
    }
    Err(Error::invalid(
        "image",
        "metadata",
        format!(
            "carries {}; photos are published without location and personal metadata: strip it before upload (marktplatz-publish and the apps do)",
            stripped.removed.join(", ")
        ),
    ))
}

impl Stripped {
    fn note(&mut self, what: &'static str) {
        if !self.removed.contains(&what) {
            self.removed.push(what);
        }
    }
}

fn truncated(what: &str) -> Error {
    Error::malformed(
        "image",
        format!("the file ends too early ({what}; truncated upload?)"),
    )
}

// ---- JPEG ----

const SOI: u8 = 0xD8;
const EOI: u8 = 0xD9;
const SOS: u8 = 0xDA;
const APP0: u8 = 0xE0;
const APP1: u8 = 0xE1;
const APP2: u8 = 0xE2;
const APP13: u8 = 0xED;
const APP14: u8 = 0xEE;
const APP15: u8 = 0xEF;
const COM: u8 = 0xFE;

fn strip_jpeg(bytes: &[u8], out: &mut Stripped) -> Result<()> {
    if bytes.get(..2) != Some(&[0xFF, SOI]) {
        return Err(Error::malformed(
            "image",
            "a JPEG must start with its SOI marker",
        ));
    }
    out.bytes.extend_from_slice(&[0xFF, SOI]);
    let mut at = 2;
    let mut icc_bytes = 0usize;
    loop {
        // A marker: 0xFF, any number of fill bytes 0xFF, then the marker code.
        if bytes.get(at) != Some(&0xFF) {
            return match bytes.get(at) {
                None => Err(truncated("no end-of-image marker")),
                Some(byte) => Err(Error::malformed(
                    "image",
                    format!("expected a JPEG marker at byte {at}, found 0x{byte:02x}"),
                )),
            };
        }
        while bytes.get(at) == Some(&0xFF) {
            at += 1;
        }
        let Some(&marker) = bytes.get(at) else {
            return Err(truncated("no end-of-image marker"));
        };
        at += 1;
        match marker {
            EOI => {
                out.bytes.extend_from_slice(&[0xFF, EOI]);
                if at < bytes.len() {
                    // Phones append more pictures (MPF) or whole files after the end marker.
                    out.note("data after the image end");
                }
                return Ok(());
            }
            0x01 | 0xD0..=0xD7 => {
                out.bytes.extend_from_slice(&[0xFF, marker]);
                continue;
            }
            SOI => return Err(Error::malformed("image", "a second JPEG start marker")),
            // A stuffed zero belongs inside scan data; kept as a "segment" it would be read as
            // scan data the next time (the stripped file would not strip to itself).
            0x00 => {
                return Err(Error::malformed(
                    "image",
                    format!(
                        "a stuffed byte (FF 00) outside scan data at byte {}",
                        at - 2
                    ),
                ));
            }
            _ => {}
        }
        let length = match bytes.get(at..at + 2) {
            Some(&[high, low]) => usize::from(u16::from_be_bytes([high, low])),
            _ => return Err(truncated("inside a segment header")),
        };
        if length < 2 {
            return Err(Error::malformed(
                "image",
                "a JPEG segment with a length under 2",
            ));
        }
        let Some(payload) = bytes.get(at + 2..at + length) else {
            return Err(truncated("inside a segment"));
        };
        let segment = &bytes[at - 2..at + length];
        at += length;
        match marker {
            APP1 if payload.starts_with(b"Exif\0\0") => {
                let kept = keep_orientation(&payload[6..], out);
                if let Some(exif) = kept {
                    push_jpeg_segment(&mut out.bytes, APP1, &[b"Exif\0\0".as_slice(), &exif]);
                }
            }
            APP1 if payload.starts_with(b"http://ns.adobe.com/") => out.note("XMP metadata"),
            APP0 if payload.starts_with(b"JFIF\0")
                && payload.len() == 14
                && payload[12..] == [0, 0] =>
            {
                out.bytes.extend_from_slice(segment);
            }
            APP0 => out.note("JFIF thumbnail or APP0 data"),
            APP2 if payload.starts_with(b"ICC_PROFILE\0") => {
                icc_bytes += payload.len();
                if icc_bytes > MAX_ICC_PROFILE_BYTES {
                    return Err(icc_too_large());
                }
                out.bytes.extend_from_slice(segment);
            }
            APP13 => out.note("IPTC/Photoshop metadata"),
            // Adobe's colour transform flag: needed to read the colours right.
            APP14 => out.bytes.extend_from_slice(segment),
            APP1..=APP15 => out.note("other application data (APPn)"),
            COM => out.note("JPEG comment"),
            SOS => {
                out.bytes.extend_from_slice(segment);
                at = copy_entropy_coded(bytes, at, &mut out.bytes);
            }
            _ => out.bytes.extend_from_slice(segment),
        }
    }
}

/// Copies compressed scan data up to the next marker that is not a stuffed byte or a restart
/// marker, and returns where that marker starts.
fn copy_entropy_coded(bytes: &[u8], start: usize, out: &mut Vec<u8>) -> usize {
    let mut at = start;
    while at < bytes.len() {
        if bytes[at] == 0xFF {
            match bytes.get(at + 1) {
                Some(0x00 | 0xD0..=0xD7) => at += 2,
                _ => break,
            }
        } else {
            at += 1;
        }
    }
    let end = at.min(bytes.len());
    out.extend_from_slice(&bytes[start..end]);
    end
}

fn push_jpeg_segment(out: &mut Vec<u8>, marker: u8, parts: &[&[u8]]) {
    let length: usize = 2 + parts.iter().map(|part| part.len()).sum::<usize>();
    // Our own segments are tiny (a 26-byte EXIF block); the cast cannot truncate.
    out.extend_from_slice(&[0xFF, marker]);
    out.extend_from_slice(&(length as u16).to_be_bytes());
    for part in parts {
        out.extend_from_slice(part);
    }
}

fn icc_too_large() -> Error {
    Error::invalid(
        "image",
        "colour profile",
        format!("is larger than {} KiB", MAX_ICC_PROFILE_BYTES / 1024),
    )
}

// ---- EXIF (TIFF) ----

const ORIENTATION_TAG: u16 = 0x0112;
const GPS_IFD_TAG: u16 = 0x8825;

/// The EXIF block to keep in place of `tiff` (the TIFF structure after "Exif\0\0"): `tiff`
/// itself when it is already the minimal orientation-only block, a new minimal block when it
/// holds an orientation other than "upright", else nothing. Notes what was dropped.
fn keep_orientation(tiff: &[u8], out: &mut Stripped) -> Option<Vec<u8>> {
    let orientation = exif_orientation(tiff);
    let minimal = orientation.map(minimal_exif);
    if minimal.as_deref() == Some(tiff) {
        return minimal;
    }
    out.note(if exif_has_tag(tiff, GPS_IFD_TAG) {
        "EXIF GPS location"
    } else {
        "EXIF metadata"
    });
    minimal.filter(|_| orientation != Some(1))
}

/// The smallest EXIF block: big-endian TIFF, one IFD with the orientation tag, no next IFD.
fn minimal_exif(orientation: u16) -> Vec<u8> {
    let mut tiff = b"MM\0\x2a\0\0\0\x08\0\x01".to_vec();
    tiff.extend_from_slice(&ORIENTATION_TAG.to_be_bytes());
    tiff.extend_from_slice(&[0, 3, 0, 0, 0, 1]);
    tiff.extend_from_slice(&orientation.to_be_bytes());
    tiff.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
    tiff
}

/// The entries of IFD0 as (tag, first value as u16), or nothing when the block is unreadable.
fn ifd0_entries(tiff: &[u8]) -> Option<Vec<(u16, u16)>> {
    let big_endian = match tiff.get(..4)? {
        b"MM\0\x2a" => true,
        b"II\x2a\0" => false,
        _ => return None,
    };
    let u16_at = |at: usize| -> Option<u16> {
        let pair = [*tiff.get(at)?, *tiff.get(at + 1)?];
        Some(if big_endian {
            u16::from_be_bytes(pair)
        } else {
            u16::from_le_bytes(pair)
        })
    };
    let quad = tiff.get(4..8)?;
    let quad = [quad[0], quad[1], quad[2], quad[3]];
    let ifd = usize::try_from(if big_endian {
        u32::from_be_bytes(quad)
    } else {
        u32::from_le_bytes(quad)
    })
    .ok()?;
    let count = usize::from(u16_at(ifd)?);
    (0..count)
        .map(|index| {
            let entry = ifd.checked_add(2 + 12 * index)?;
            Some((u16_at(entry)?, u16_at(entry + 8)?))
        })
        .collect()
}

fn exif_orientation(tiff: &[u8]) -> Option<u16> {
    ifd0_entries(tiff)?
        .into_iter()
        .find(|(tag, _)| *tag == ORIENTATION_TAG)
        .map(|(_, value)| value)
        .filter(|value| (1..=8).contains(value))
}

fn exif_has_tag(tiff: &[u8], wanted: u16) -> bool {
    ifd0_entries(tiff).is_some_and(|entries| entries.iter().any(|(tag, _)| *tag == wanted))
}

// ---- PNG ----

const PNG_SIGNATURE: &[u8; 8] = b"\x89PNG\r\n\x1a\n";

fn strip_png(bytes: &[u8], out: &mut Stripped) -> Result<()> {
    if bytes.get(..8) != Some(PNG_SIGNATURE.as_slice()) {
        return Err(Error::malformed(
            "image",
            "a PNG must start with its signature",
        ));
    }
    out.bytes.extend_from_slice(PNG_SIGNATURE);
    let mut at = 8;
    let mut text_chunks = 0usize;
    loop {
        let Some(header) = bytes.get(at..at + 8) else {
            return Err(truncated("no IEND chunk"));
        };
        let length = u32::from_be_bytes([header[0], header[1], header[2], header[3]]);
        let length = usize::try_from(length).map_err(|_| truncated("inside a chunk"))?;
        let kind: [u8; 4] = [header[4], header[5], header[6], header[7]];
        let Some(chunk) = at
            .checked_add(12 + length)
            .and_then(|end| bytes.get(at..end))
        else {
            return Err(truncated("inside a chunk"));
        };
        let data = &chunk[8..8 + length];
        at += chunk.len();
        match &kind {
            b"tEXt" | b"zTXt" | b"iTXt" => {
                text_chunks += 1;
                if text_chunks > MAX_PNG_TEXT_CHUNKS || length > MAX_PNG_TEXT_CHUNK_BYTES {
                    return Err(Error::invalid(
                        "image",
                        "text chunks",
                        format!(
                            "a PNG may carry at most {MAX_PNG_TEXT_CHUNKS} text chunks of at most {} KiB each",
                            MAX_PNG_TEXT_CHUNK_BYTES / 1024
                        ),
                    ));
                }
                out.note("PNG text");
            }
            b"iCCP" if length > MAX_ICC_PROFILE_BYTES => return Err(icc_too_large()),
            b"eXIf" => {
                if let Some(exif) = keep_orientation(data, out) {
                    push_png_chunk(&mut out.bytes, b"eXIf", &exif);
                }
            }
            b"tIME" => out.note("PNG time stamp"),
            b"IEND" => {
                out.bytes.extend_from_slice(chunk);
                if at < bytes.len() {
                    out.note("data after the image end");
                }
                return Ok(());
            }
            _ => out.bytes.extend_from_slice(chunk),
        }
    }
}

fn push_png_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    // Our own chunks are tiny (a 26-byte EXIF block); the cast cannot truncate.
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let mut crc = crc32fast::Hasher::new();
    crc.update(kind);
    crc.update(data);
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    out.extend_from_slice(&crc.finalize().to_be_bytes());
}
