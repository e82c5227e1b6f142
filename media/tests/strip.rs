#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Personal metadata is stripped from photos without touching their pixels; cut-off files and
//! oversized PNG ancillary chunks are refused (issue 15, points 6, 2 and the decode limits).

use image::{ImageDecoder, Rgb, RgbImage};
use marktplatz_media::strip::{MAX_PNG_TEXT_CHUNKS, refuse_metadata, strip_metadata};
use marktplatz_media::{decode, encode_jpeg, encode_png};

/// Big-endian EXIF with orientation `orientation` in IFD0 and a GPS IFD holding a latitude.
pub fn exif_with_gps(orientation: u16) -> Vec<u8> {
    let mut tiff = b"MM\0\x2a\0\0\0\x08".to_vec();
    // IFD0 at 8: two entries (orientation, GPS IFD pointer), next IFD 0.
    tiff.extend_from_slice(&[0, 2]);
    tiff.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1]);
    tiff.extend_from_slice(&orientation.to_be_bytes());
    tiff.extend_from_slice(&[0, 0]);
    tiff.extend_from_slice(&[0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 38]);
    tiff.extend_from_slice(&[0, 0, 0, 0]);
    // GPS IFD at 38: GPSLatitudeRef 'N'; the marker string below stands for the coordinates.
    tiff.extend_from_slice(&[0, 1, 0, 1, 0, 2, 0, 0, 0, 2, b'N', 0, 0, 0, 0, 0, 0, 0]);
    tiff.extend_from_slice(b"GPS 52.5200N 13.4050E");
    let mut payload = b"Exif\0\0".to_vec();
    payload.extend_from_slice(&tiff);
    payload
}

fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
    let mut out = vec![0xFF, marker];
    out.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(payload);
    out
}

/// A real JPEG (4x2 pixels, left half red) with GPS EXIF (orientation 6), XMP and a comment.
pub fn photo_with_gps() -> Vec<u8> {
    let image = RgbImage::from_fn(4, 2, |x, _| {
        if x < 2 {
            Rgb([255, 0, 0])
        } else {
            Rgb([0, 0, 255])
        }
    });
    let plain = encode_jpeg(&image, 95).expect("encode");
    let mut out = plain[..2].to_vec();
    out.extend(segment(0xE1, &exif_with_gps(6)));
    out.extend(segment(
        0xE1,
        b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>Anna Muster</x:xmpmeta>",
    ));
    out.extend(segment(0xFE, b"taken at Musterstrasse 1"));
    out.extend_from_slice(&plain[2..]);
    out
}

fn orientation(jpeg: &[u8]) -> image::metadata::Orientation {
    let mut decoder =
        image::codecs::jpeg::JpegDecoder::new(std::io::Cursor::new(jpeg)).expect("decoder");
    decoder.orientation().expect("orientation")
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

#[test]
fn jpeg_loses_gps_xmp_and_comment_but_keeps_orientation_and_pixels() {
    let photo = photo_with_gps();
    assert!(contains(&photo, b"GPS 52.5200N"));
    let stripped = strip_metadata(&photo).expect("strip");
    for secret in [
        &b"GPS 52.5200N"[..],
        b"Anna Muster",
        b"Musterstrasse",
        b"xmpmeta",
    ] {
        assert!(
            !contains(&stripped.bytes, secret),
            "{:?} survived",
            String::from_utf8_lossy(secret)
        );
    }
    assert_eq!(
        stripped.removed,
        vec!["EXIF GPS location", "XMP metadata", "JPEG comment"]
    );
    assert_eq!(
        orientation(&stripped.bytes),
        image::metadata::Orientation::Rotate90
    );
    // Lossless: the same pixels, and upright (2 wide, 4 high after the rotation).
    let before = decode(&photo).expect("decode original");
    let after = decode(&stripped.bytes).expect("decode stripped");
    assert_eq!((after.width(), after.height()), (2, 4));
    assert_eq!(before.to_rgb8().into_raw(), after.to_rgb8().into_raw());
    // Stable: stripping again changes nothing, and the result passes the server's check.
    let again = strip_metadata(&stripped.bytes).expect("strip again");
    assert_eq!(again.bytes, stripped.bytes);
    assert!(again.removed.is_empty());
    refuse_metadata(&stripped.bytes).expect("stripped photo accepted");
    let refusal = refuse_metadata(&photo)
        .expect_err("photo with GPS refused")
        .to_string();
    assert!(refusal.contains("EXIF GPS location"), "{refusal}");
}

#[test]
fn a_plain_jpeg_is_unchanged() {
    let image = RgbImage::from_pixel(3, 3, Rgb([10, 200, 30]));
    let plain = encode_jpeg(&image, 80).expect("encode");
    let stripped = strip_metadata(&plain).expect("strip");
    assert_eq!(stripped.bytes, plain);
    assert!(stripped.removed.is_empty());
}

#[test]
fn a_truncated_jpeg_is_refused() {
    let photo = photo_with_gps();
    let cut = &photo[..photo.len() - 40];
    let error = decode(cut).expect_err("truncated JPEG refused").to_string();
    assert!(error.contains("ends too early"), "{error}");
    assert!(strip_metadata(cut).is_err());
}

fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = (data.len() as u32).to_be_bytes().to_vec();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let mut crc = crc32fast::Hasher::new();
    crc.update(kind);
    crc.update(data);
    out.extend_from_slice(&crc.finalize().to_be_bytes());
    out
}

/// A real PNG with `extra` chunks inserted after IHDR.
fn png_with(extra: &[Vec<u8>]) -> Vec<u8> {
    let plain = encode_png(&RgbImage::from_pixel(2, 2, Rgb([1, 2, 3]))).expect("encode");
    let after_ihdr = 8 + 12 + 13;
    let mut out = plain[..after_ihdr].to_vec();
    for chunk in extra {
        out.extend_from_slice(chunk);
    }
    out.extend_from_slice(&plain[after_ihdr..]);
    out
}

#[test]
fn png_loses_text_time_and_exif_location() {
    let tiff = exif_with_gps(1)[6..].to_vec();
    let png = png_with(&[
        png_chunk(b"tEXt", b"Author\0Anna Muster"),
        png_chunk(b"tIME", &[7, 234, 12, 5, 15, 0, 0]),
        png_chunk(b"eXIf", &tiff),
    ]);
    decode(&png).expect("the crafted PNG is valid");
    let stripped = strip_metadata(&png).expect("strip");
    assert!(!contains(&stripped.bytes, b"Anna Muster"));
    assert!(!contains(&stripped.bytes, b"GPS 52.5200N"));
    assert!(
        !contains(&stripped.bytes, b"eXIf"),
        "upright: no EXIF needed"
    );
    assert_eq!(
        stripped.removed,
        vec!["PNG text", "PNG time stamp", "EXIF GPS location"]
    );
    let plain = png_with(&[]);
    assert_eq!(stripped.bytes, plain);
}

#[test]
fn png_ancillary_chunks_are_bounded_before_decoding() {
    let many: Vec<Vec<u8>> = (0..=MAX_PNG_TEXT_CHUNKS)
        .map(|_| png_chunk(b"tEXt", b"k\0v"))
        .collect();
    let error = decode(&png_with(&many))
        .expect_err("too many text chunks")
        .to_string();
    assert!(error.contains("text chunks"), "{error}");
    let big_text = png_chunk(b"zTXt", &vec![b'a'; 65 * 1024]);
    assert!(decode(&png_with(&[big_text])).is_err());
    let mut icc = b"sRGB\0\0".to_vec();
    icc.resize(1024 * 1024 + 10, 0);
    let error = decode(&png_with(&[png_chunk(b"iCCP", &icc)]))
        .expect_err("huge iCCP")
        .to_string();
    assert!(error.contains("colour profile"), "{error}");
    // Within the limits the same chunks are accepted.
    decode(&png_with(&[png_chunk(b"tEXt", b"k\0v")])).expect("one small text chunk");
}
