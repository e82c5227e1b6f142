#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The photo metadata stripper against hostile bytes (the CI smoke of the `fuzz/` target
//! `photo_strip`): mutated JPEG and PNG structures never panic, and whatever it returns strips
//! to itself and passes the server's check. `PROPTEST_CASES=20000` for more.

use marktplatz_model::strip::{refuse_metadata, strip_metadata};
use proptest::prelude::*;

fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
    let mut out = vec![0xFF, marker];
    out.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(payload);
    out
}

/// The segment structure of a phone JPEG (the walk decodes no pixels, so the tables and the
/// scan need not be a picture): EXIF with orientation and GPS, XMP, a comment, a scan with
/// stuffed bytes and restart markers.
fn jpeg_structure() -> Vec<u8> {
    let mut tiff = b"MM\0\x2a\0\0\0\x08\0\x02".to_vec();
    tiff.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0]);
    tiff.extend_from_slice(&[0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 38, 0, 0, 0, 0]);
    let mut out = vec![0xFF, 0xD8];
    out.extend(segment(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"));
    out.extend(segment(0xE1, &[b"Exif\0\0".as_slice(), &tiff].concat()));
    out.extend(segment(0xE1, b"http://ns.adobe.com/xap/1.0/\0<x/>"));
    out.extend(segment(0xFE, b"comment"));
    out.extend(segment(0xDB, &[0; 65]));
    out.extend(segment(0xDA, &[1, 1, 0, 0, 63, 0]));
    out.extend_from_slice(&[0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56]);
    out.extend_from_slice(&[0xFF, 0xD9]);
    out
}

fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = (data.len() as u32).to_be_bytes().to_vec();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    out.extend_from_slice(&[0, 0, 0, 0]);
    out
}

fn png_structure() -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    out.extend(png_chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]));
    out.extend(png_chunk(b"tEXt", b"Author\0x"));
    out.extend(png_chunk(b"eXIf", b"MM\0\x2a\0\0\0\x08\0\0\0\0\0\0"));
    out.extend(png_chunk(b"IDAT", &[1, 2, 3]));
    out.extend(png_chunk(b"IEND", &[]));
    out
}

fn check(bytes: &[u8]) {
    if let Ok(stripped) = strip_metadata(bytes) {
        let again = strip_metadata(&stripped.bytes).expect("a stripped file strips again");
        assert_eq!(again.bytes, stripped.bytes, "stripping is not stable");
        assert!(again.removed.is_empty(), "left behind: {:?}", again.removed);
        refuse_metadata(&stripped.bytes).expect("a stripped file passes the check");
    }
}

fn mutated(base: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    let len = base.len();
    (
        prop::collection::vec((0..len, any::<u8>()), 0..6),
        0..=len,
        prop::collection::vec(any::<u8>(), 0..8),
    )
        .prop_map(move |(flips, cut, inserted)| {
            let mut bytes = base.clone();
            for (at, byte) in flips {
                bytes[at] = byte;
            }
            bytes.truncate(cut.max(2));
            bytes.extend(inserted);
            bytes
        })
}

#[test]
fn the_seeds_strip_what_they_carry() {
    let jpeg = strip_metadata(&jpeg_structure()).unwrap();
    assert_eq!(
        jpeg.removed,
        vec!["EXIF GPS location", "XMP metadata", "JPEG comment"]
    );
    let png = strip_metadata(&png_structure()).unwrap();
    assert_eq!(png.removed, vec!["PNG text", "EXIF metadata"]);
}

/// Found by the `photo_strip` fuzz target: `FF 00` taken for a segment after a dropped one,
/// which followed a scan, came out as scan data on the second pass.
#[test]
fn a_stuffed_byte_outside_scan_data_is_refused() {
    let mut bytes = jpeg_structure();
    let end = bytes.len() - 2;
    let mut tail = segment(0xFE, b"dropped");
    tail.extend_from_slice(&[0xFF, 0x00, 0x00, 0x04, 0xFF, 0xFF]);
    bytes.splice(end..end, tail);
    check(&bytes);
    assert!(strip_metadata(&bytes).is_err());
}

proptest! {
    #[test]
    fn mutated_jpegs_never_panic_and_strip_stably(bytes in mutated(jpeg_structure())) {
        check(&bytes);
    }

    #[test]
    fn mutated_pngs_never_panic_and_strip_stably(bytes in mutated(png_structure())) {
        check(&bytes);
    }

    #[test]
    fn any_bytes_behind_a_signature_never_panic(
        png in any::<bool>(),
        tail in prop::collection::vec(any::<u8>(), 0..200),
    ) {
        let mut bytes = if png { b"\x89PNG\r\n\x1a\n".to_vec() } else { vec![0xFF, 0xD8] };
        bytes.extend(tail);
        check(&bytes);
    }
}
