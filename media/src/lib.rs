//! Image work for organisers' tools and the server: describing a file (hash, size, dimensions),
//! decoding it safely, thumbnails; and the demo event with its drawn pictures ([`demo`]).
//!
//! Organisers upload photos from anywhere, so every decode runs under [`Limits`]: a file that
//! declares huge dimensions (a decompression bomb) or is cut short is an [`Error`], never a
//! panic or an out-of-memory abort. Only PNG and JPEG are accepted; they are recognised by their
//! first bytes ([`marktplatz_model::assets`]), not by a name or a declared type.
//!
//! The phone library never links this crate (nor the `image` crate): a phone shows pictures,
//! it does not make them.

pub mod demo;

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::metadata::Orientation;
use image::{
    DynamicImage, ImageBuffer, ImageDecoder, ImageEncoder, ImageError, ImageFormat, ImageReader,
    Limits, PixelWithColorType, RgbImage,
};
pub use marktplatz_model::assets::{JPEG, PNG};
use marktplatz_model::assets::{sha256_hex, sniff_image};
use marktplatz_model::model::AssetRef;
/// Personal-metadata stripping (lives in the model so the phone library can use it).
pub use marktplatz_model::strip;
pub use marktplatz_model::{Error, Result};

/// Largest width or height we decode. Phone cameras stay well below (a 200 MP sensor is about
/// 16000 x 12000, but phones save 12 MP by default); anything larger is refused.
pub const MAX_DIMENSION: u32 = 12_000;
/// Most memory one decode may use for pixels.
pub const MAX_DECODE_BYTES: u64 = 256 * 1024 * 1024;
/// JPEG quality of thumbnails: small files with no visible blocking at list sizes.
pub const THUMBNAIL_QUALITY: u8 = 80;

/// Describes a file for the content model: its hash and size, and for a PNG or JPEG whose
/// header reads within the limits, its display dimensions (EXIF rotation applied).
pub fn asset_ref(bytes: &[u8], media_type: &str) -> AssetRef {
    let dimensions = decoder(bytes).ok().map(|mut decoder| {
        let (width, height) = decoder.dimensions();
        match decoder.orientation().unwrap_or(Orientation::NoTransforms) {
            Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH => (height, width),
            _ => (width, height),
        }
    });
    AssetRef {
        sha256: sha256_hex(bytes),
        media_type: media_type.to_string(),
        bytes: bytes.len() as u64,
        width: dimensions.map(|(w, _)| w),
        height: dimensions.map(|(_, h)| h),
    }
}

/// Decodes a PNG or JPEG within the limits, upright (EXIF orientation applied).
pub fn decode(bytes: &[u8]) -> Result<DynamicImage> {
    let mut decoder = decoder(bytes)?;
    // Some decoders allocate the whole pixel buffer before looking at the data: check first.
    if decoder.total_bytes() > MAX_DECODE_BYTES {
        let (width, height) = decoder.dimensions();
        return Err(too_large(Some((width, height))));
    }
    // The structural walk refuses a cut-off file (the JPEG decoder would fill in grey) and
    // oversized ancillary PNG chunks before any pixel data is decoded.
    strip::strip_metadata(bytes)?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(image_error)?;
    image.apply_orientation(orientation);
    Ok(image)
}

/// A JPEG no larger than `max_edge` on its longer side (smaller images keep their size; nothing
/// is enlarged), with its [`AssetRef`].
pub fn thumbnail(bytes: &[u8], max_edge: u32) -> Result<(AssetRef, Vec<u8>)> {
    if max_edge == 0 {
        return Err(Error::invalid(
            "thumbnail",
            "max_edge",
            "must be at least 1",
        ));
    }
    let image = decode(bytes)?;
    let image = if image.width().max(image.height()) > max_edge {
        image.thumbnail(max_edge, max_edge)
    } else {
        image
    };
    let jpeg = encode_jpeg(&flatten(&image), THUMBNAIL_QUALITY)?;
    Ok((asset_ref(&jpeg, JPEG), jpeg))
}

/// Encodes an RGB image as baseline JPEG at the given quality (1-100).
pub fn encode_jpeg(image: &RgbImage, quality: u8) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    // `encode` rather than the generic `encode_image`: the non-generic entry point is compiled
    // (and optimised) inside the image crate, not in ours.
    JpegEncoder::new_with_quality(&mut out, quality.clamp(1, 100))
        .encode(
            image.as_raw(),
            image.width(),
            image.height(),
            image::ExtendedColorType::Rgb8,
        )
        .map_err(|e| Error::malformed("JPEG encoding", e))?;
    Ok(out)
}

/// Encodes an 8-bit image (RGB, RGBA, grey) as PNG.
pub fn encode_png<P>(image: &ImageBuffer<P, Vec<u8>>) -> Result<Vec<u8>>
where
    P: PixelWithColorType<Subpixel = u8>,
{
    let mut out = Vec::new();
    PngEncoder::new(&mut out)
        .write_image(image.as_raw(), image.width(), image.height(), P::COLOR_TYPE)
        .map_err(|e| Error::malformed("PNG encoding", e))?;
    Ok(out)
}

/// Encodes a black-and-white picture given as rows of dark (`true`) and light modules, each
/// module `scale` pixels square, as a greyscale PNG (a poster's QR code).
pub fn encode_modules_png(modules: &[Vec<bool>], scale: u32) -> Result<Vec<u8>> {
    let rows = u32::try_from(modules.len()).map_err(|e| Error::malformed("PNG encoding", e))?;
    let cols = u32::try_from(modules.first().map_or(0, Vec::len))
        .map_err(|e| Error::malformed("PNG encoding", e))?;
    let scale = scale.max(1);
    let image = image::GrayImage::from_fn(cols * scale, rows * scale, |x, y| {
        let dark = modules
            .get((y / scale) as usize)
            .and_then(|row| row.get((x / scale) as usize))
            .copied()
            .unwrap_or(false);
        image::Luma([if dark { 0 } else { 255 }])
    });
    encode_png(&image)
}

/// JPEG has no transparency: transparent parts (logos) go onto white, not black.
fn flatten(image: &DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        return image.to_rgb8();
    }
    let rgba = image.to_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let over_white = |c: u8| {
            let c = u32::from(c);
            let a = u32::from(a);
            ((c * a + 255 * (255 - a) + 127) / 255) as u8
        };
        image::Rgb([over_white(r), over_white(g), over_white(b)])
    })
}

fn limits() -> Limits {
    // `Limits` is non-exhaustive: start from the defaults and tighten them.
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_DIMENSION);
    limits.max_image_height = Some(MAX_DIMENSION);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    limits
}

/// A decoder that has read the header and accepted the limits.
fn decoder(bytes: &[u8]) -> Result<impl ImageDecoder + '_> {
    let format = match sniff_image(bytes)? {
        PNG => ImageFormat::Png,
        _ => ImageFormat::Jpeg,
    };
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits());
    reader.into_decoder().map_err(image_error)
}

fn too_large(dimensions: Option<(u32, u32)>) -> Error {
    let declared = dimensions
        .map(|(w, h)| format!(" ({w} x {h} pixels)"))
        .unwrap_or_default();
    Error::invalid(
        "image",
        "size",
        format!(
            "is too large to decode safely{declared}: at most {MAX_DIMENSION} x {MAX_DIMENSION} pixels and {} MiB of pixel data are accepted",
            MAX_DECODE_BYTES / (1024 * 1024)
        ),
    )
}

fn image_error(error: ImageError) -> Error {
    match error {
        ImageError::Limits(_) => too_large(None),
        ImageError::IoError(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            Error::malformed("image", "the file ends too early (truncated upload?)")
        }
        ImageError::Unsupported(e) => {
            Error::malformed("image", format!("uses a feature we cannot read: {e}"))
        }
        other => Error::malformed("image", other.to_string().trim_end()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::RgbaImage;

    fn sample_rgb(width: u32, height: u32) -> RgbImage {
        RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x * 255 / width) as u8, (y * 255 / height) as u8, 128])
        })
    }

    fn sample_png(width: u32, height: u32) -> Vec<u8> {
        let rgba = RgbaImage::from_fn(width, height, |x, y| {
            image::Rgba([(x % 256) as u8, (y % 256) as u8, 200, 255])
        });
        encode_png(&rgba).unwrap()
    }

    #[test]
    fn png_and_jpeg_round_trip_with_dimensions() {
        let png = sample_png(40, 30);
        assert_eq!(sniff_image(&png).unwrap(), PNG);
        let asset = asset_ref(&png, PNG);
        assert_eq!((asset.width, asset.height), (Some(40), Some(30)));
        assert_eq!(asset.bytes, png.len() as u64);
        assert_eq!(asset.sha256, sha256_hex(&png));
        assert_eq!(asset.sha256.len(), 64);
        let decoded = decode(&png).unwrap().to_rgba8();
        assert_eq!(decoded.get_pixel(17, 23).0, [17, 23, 200, 255]);

        let jpeg = encode_jpeg(&sample_rgb(64, 48), 90).unwrap();
        assert_eq!(sniff_image(&jpeg).unwrap(), JPEG);
        let asset = asset_ref(&jpeg, JPEG);
        assert_eq!((asset.width, asset.height), (Some(64), Some(48)));
        let decoded = decode(&jpeg).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (64, 48));
    }

    #[test]
    fn sha256_is_lower_case_hex_of_the_bytes() {
        // The well-known digest of "abc".
        assert_eq!(
            asset_ref(b"abc", "text/plain").sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let text = asset_ref(b"abc", "text/plain");
        assert_eq!((text.width, text.height, text.bytes), (None, None, 3));
    }

    #[test]
    fn non_images_are_rejected_by_name() {
        for bytes in [
            &b"GIF89a\x01\x00\x01\x00"[..],
            b"%PDF-1.7 hello",
            b"<svg xmlns='http://www.w3.org/2000/svg'/>",
        ] {
            let err = sniff_image(bytes).unwrap_err().to_string();
            assert!(err.contains("not a PNG or JPEG"), "{err}");
            assert!(decode(bytes).is_err());
            assert!(thumbnail(bytes, 100).is_err());
        }
        let err = sniff_image(b"").unwrap_err().to_string();
        assert!(err.contains("empty"), "{err}");
    }

    #[test]
    fn truncated_png_is_an_error() {
        let png = sample_png(200, 150);
        for cut in [png.len() / 2, 40, 12] {
            let err = decode(&png[..cut]).unwrap_err().to_string();
            assert!(err.contains("image is malformed"), "cut at {cut}: {err}");
            assert!(thumbnail(&png[..cut], 64).is_err());
        }
        // A cut file still gets a hash, but no dimensions claimed from a header it lacks.
        let asset = asset_ref(&png[..12], PNG);
        assert_eq!((asset.width, asset.height), (None, None));
    }

    /// A valid PNG header declaring `width` x `height` followed by a few bytes of (bogus) data:
    /// what a decompression bomb looks like before its data is read.
    fn png_header(width: u32, height: u32) -> Vec<u8> {
        let mut ihdr = Vec::new();
        ihdr.extend_from_slice(&width.to_be_bytes());
        ihdr.extend_from_slice(&height.to_be_bytes());
        ihdr.extend_from_slice(&[8, 6, 0, 0, 0]); // 8-bit RGBA, deflate, no filter, no interlace
        let mut file = b"\x89PNG\r\n\x1a\n".to_vec();
        file.extend_from_slice(&13u32.to_be_bytes());
        let mut chunk = b"IHDR".to_vec();
        chunk.extend_from_slice(&ihdr);
        let crc = crc32(&chunk);
        file.extend_from_slice(&chunk);
        file.extend_from_slice(&crc.to_be_bytes());
        // An IDAT holding a tiny zlib stream.
        let idat_data = [0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01];
        file.extend_from_slice(&(idat_data.len() as u32).to_be_bytes());
        let mut chunk = b"IDAT".to_vec();
        chunk.extend_from_slice(&idat_data);
        let crc = crc32(&chunk);
        file.extend_from_slice(&chunk);
        file.extend_from_slice(&crc.to_be_bytes());
        file
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &byte in data {
            crc ^= u32::from(byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    #[test]
    fn huge_declared_dimensions_are_refused_before_allocating() {
        for (width, height) in [
            (100_000, 100_000),
            (MAX_DIMENSION + 1, 10),
            (11_000, 11_000),
        ] {
            let bomb = png_header(width, height);
            let err = decode(&bomb).unwrap_err().to_string();
            assert!(
                err.contains("too large to decode safely"),
                "{width}x{height}: {err}"
            );
            let err = thumbnail(&bomb, 320).unwrap_err().to_string();
            assert!(err.contains("too large"), "{err}");
        }
        // The same header at a sane size is read (and then fails on its bogus data, cleanly).
        let small = png_header(16, 16);
        assert_eq!(asset_ref(&small, PNG).width, Some(16));
        assert!(decode(&small).is_err());
    }

    #[test]
    fn jpeg_declaring_huge_dimensions_is_refused() {
        let mut jpeg = encode_jpeg(&sample_rgb(16, 16), 80).unwrap();
        // Rewrite the SOF0 frame header's height and width to 60000 x 60000.
        let sof = jpeg
            .windows(2)
            .position(|w| w == [0xFF, 0xC0])
            .expect("baseline JPEG has SOF0");
        jpeg[sof + 5..sof + 7].copy_from_slice(&60_000u16.to_be_bytes());
        jpeg[sof + 7..sof + 9].copy_from_slice(&60_000u16.to_be_bytes());
        let err = decode(&jpeg).unwrap_err().to_string();
        assert!(err.contains("too large to decode safely"), "{err}");
    }

    #[test]
    fn thumbnail_fits_the_edge_and_never_enlarges() {
        let big = encode_jpeg(&sample_rgb(1024, 683), 85).unwrap();
        let (asset, bytes) = thumbnail(&big, 320).unwrap();
        assert_eq!(asset.media_type, JPEG);
        assert_eq!((asset.width, asset.height), (Some(320), Some(213)));
        assert_eq!(asset.sha256, sha256_hex(&bytes));
        assert!(bytes.len() < big.len());

        let tall = sample_png(300, 900);
        let (asset, _) = thumbnail(&tall, 300).unwrap();
        assert_eq!((asset.width, asset.height), (Some(100), Some(300)));

        let small = sample_png(120, 80);
        let (asset, bytes) = thumbnail(&small, 320).unwrap();
        assert_eq!((asset.width, asset.height), (Some(120), Some(80)));
        assert_eq!(sniff_image(&bytes).unwrap(), JPEG);

        assert!(thumbnail(&small, 0).is_err());
    }

    /// A JPEG whose EXIF says "rotate 90 degrees clockwise to display", as phones write them.
    fn jpeg_rotated_by_exif(width: u32, height: u32) -> Vec<u8> {
        let plain = encode_jpeg(&sample_rgb(width, height), 80).unwrap();
        let mut tiff = b"II*\0".to_vec();
        tiff.extend_from_slice(&8u32.to_le_bytes()); // first IFD right after the header
        tiff.extend_from_slice(&1u16.to_le_bytes()); // one entry
        tiff.extend_from_slice(&0x0112u16.to_le_bytes()); // Orientation
        tiff.extend_from_slice(&3u16.to_le_bytes()); // SHORT
        tiff.extend_from_slice(&1u32.to_le_bytes()); // one value
        tiff.extend_from_slice(&[6, 0, 0, 0]); // 6 = rotate 90 CW, padded
        tiff.extend_from_slice(&0u32.to_le_bytes()); // no next IFD
        let mut app1 = vec![0xFF, 0xE1];
        app1.extend_from_slice(&((2 + 6 + tiff.len()) as u16).to_be_bytes());
        app1.extend_from_slice(b"Exif\0\0");
        app1.extend_from_slice(&tiff);
        let mut jpeg = plain[..2].to_vec();
        jpeg.extend_from_slice(&app1);
        jpeg.extend_from_slice(&plain[2..]);
        jpeg
    }

    #[test]
    fn exif_rotation_is_applied_to_dimensions_decode_and_thumbnail() {
        let jpeg = jpeg_rotated_by_exif(40, 20);
        let asset = asset_ref(&jpeg, JPEG);
        assert_eq!((asset.width, asset.height), (Some(20), Some(40)));
        let upright = decode(&jpeg).unwrap();
        assert_eq!((upright.width(), upright.height()), (20, 40));
        let (thumb, _) = thumbnail(&jpeg, 10).unwrap();
        assert_eq!((thumb.width, thumb.height), (Some(5), Some(10)));
    }

    #[test]
    fn transparent_png_thumbnail_is_on_white() {
        let clear = RgbaImage::from_pixel(10, 10, image::Rgba([0, 0, 0, 0]));
        let (_, bytes) = thumbnail(&encode_png(&clear).unwrap(), 10).unwrap();
        let pixel = decode(&bytes).unwrap().to_rgb8().get_pixel(5, 5).0;
        assert!(pixel.iter().all(|&c| c > 245), "{pixel:?}");
    }
}
