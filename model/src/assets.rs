//! Files as the device, the server and the organiser's tools agree on them: an asset is named by
//! the SHA-256 of its bytes, and pictures are PNG or JPEG, recognised by their first bytes.
//! Decoding and thumbnails (the `image` crate) stay in `marktplatz-media`, which only
//! organiser tools and the server link.

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

pub const PNG: &str = "image/png";
pub const JPEG: &str = "image/jpeg";

const PNG_MAGIC: &[u8] = b"\x89PNG\r\n\x1a\n";
const JPEG_MAGIC: &[u8] = &[0xFF, 0xD8, 0xFF];

/// The lower-case hex SHA-256 of `bytes`: an asset's name.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Whether `text` is a lower-case hex SHA-256 (an asset's name).
pub fn is_sha256(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The media type of a PNG or JPEG file by its first bytes; `None` for anything else.
pub fn image_media_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(PNG_MAGIC) {
        Some(PNG)
    } else if bytes.starts_with(JPEG_MAGIC) {
        Some(JPEG)
    } else {
        None
    }
}

/// Like [`image_media_type`], with an error that says what the bytes were instead.
pub fn sniff_image(bytes: &[u8]) -> Result<&'static str> {
    if let Some(media_type) = image_media_type(bytes) {
        return Ok(media_type);
    }
    if bytes.is_empty() {
        return Err(Error::malformed("image", "the file is empty"));
    }
    let head: Vec<String> = bytes.iter().take(8).map(|b| format!("{b:02x}")).collect();
    Err(Error::malformed(
        "image",
        format!(
            "not a PNG or JPEG file (it starts with the bytes {}); only PNG and JPEG are accepted",
            head.join(" ")
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_lower_case_hex_sha256() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(is_sha256(&sha256_hex(b"")));
        assert!(!is_sha256(&"A".repeat(64)));
        assert!(!is_sha256("abc"));
    }

    #[test]
    fn pictures_are_recognised_by_their_first_bytes() {
        assert_eq!(image_media_type(b"\x89PNG\r\n\x1a\nrest"), Some(PNG));
        assert_eq!(image_media_type(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(JPEG));
        assert_eq!(image_media_type(b"<html>"), None);
        let err = sniff_image(b"GIF89a").unwrap_err().to_string();
        assert!(err.contains("47 49 46 38 39 61"), "{err}");
        assert!(sniff_image(b"").unwrap_err().to_string().contains("empty"));
    }
}
