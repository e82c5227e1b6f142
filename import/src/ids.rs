//! Stable ids: the file's own guid when it has one, otherwise one derived from what identifies
//! the entry, so importing the same file twice (or a newer version of it) gives the same ids.

use sha2::{Digest, Sha256};

/// Ids longer than this are hashed instead (the bundle allows 200 bytes).
const MAX_KEPT_ID_LEN: usize = 120;

/// A UUID-shaped id (RFC 9562 version 8, from SHA-256) for `key` within `namespace`.
pub(crate) fn derived(namespace: &str, key: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"marktplatz-import\0");
    hasher.update(namespace.as_bytes());
    hasher.update([0u8]);
    hasher.update(key.as_bytes());
    let digest = hasher.finalize();
    let mut b = [0u8; 16];
    b.copy_from_slice(&digest[..16]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    format!(
        "{}-{}-{}-{}-{}",
        hex::encode(&b[0..4]),
        hex::encode(&b[4..6]),
        hex::encode(&b[6..8]),
        hex::encode(&b[8..10]),
        hex::encode(&b[10..16])
    )
}

/// The file's own id, if it can be used as ours: not empty, not too long, no control characters
/// or spaces. GUIDs are lower-cased (they are case-insensitive).
pub(crate) fn usable(raw: &str) -> Option<String> {
    let id = raw.trim();
    if id.is_empty()
        || id.len() > MAX_KEPT_ID_LEN
        || id.chars().any(|c| c.is_control() || c.is_whitespace())
    {
        return None;
    }
    if looks_like_uuid(id) {
        return Some(id.to_ascii_lowercase());
    }
    Some(id.to_string())
}

pub(crate) fn looks_like_uuid(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

/// A readable id from a name (`36C3 Congress` -> `36c3-congress`), or None if nothing is left.
pub(crate) fn slug(name: &str) -> Option<String> {
    let mut out = String::new();
    for c in marktplatz_model::text::fold(name).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        if out.len() >= 60 {
            break;
        }
    }
    let out = out.trim_end_matches('-').to_string();
    (!out.is_empty()).then_some(out)
}

/// The key two names share when they differ only in case, accents or spacing.
pub(crate) fn name_key(name: &str) -> String {
    marktplatz_model::text::fold(name)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_ids_are_stable_and_uuid_shaped() {
        let a = derived("session", "id:42");
        assert_eq!(a, derived("session", "id:42"));
        assert_ne!(a, derived("speaker", "id:42"));
        assert!(looks_like_uuid(&a), "{a}");
        assert_eq!(&a[14..15], "8", "version nibble: {a}");
    }

    #[test]
    fn usable_ids() {
        assert_eq!(
            usable(" 6A32CB72-A69D-423C-91B5-60D88EB8E6C7 ").as_deref(),
            Some("6a32cb72-a69d-423c-91b5-60d88eb8e6c7")
        );
        assert_eq!(usable("Mixed-Case-UID").as_deref(), Some("Mixed-Case-UID"));
        assert_eq!(usable(""), None);
        assert_eq!(usable("has space"), None);
        assert_eq!(usable(&"x".repeat(121)), None);
    }

    #[test]
    fn slugs_and_keys() {
        assert_eq!(
            slug("36th Chaos Communication Congress").as_deref(),
            Some("36th-chaos-communication-congress")
        );
        assert_eq!(
            slug("Bürgeramt – digital!").as_deref(),
            Some("burgeramt-digital")
        );
        assert_eq!(slug("🎉"), None);
        assert_eq!(name_key("1Komona  Headnut"), name_key("1komona headnut"));
    }
}
