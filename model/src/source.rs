//! Publishing sources: every publish is a snapshot of one named source (a file: the programme,
//! the exhibitor list), and replaces only what that source published before
//! (`docs/adr/0013-safe-publishing.md`).

/// The source of a publish that names none (clients from before sources existed).
pub const DEFAULT_SOURCE: &str = "bundle";

/// The query parameter of `PUT /v1/events/{event}/bundle` that names the source.
pub const SOURCE_PARAM: &str = "source";

/// Longest source name accepted.
pub const MAX_SOURCE_CHARS: usize = 64;

/// Longest release note accepted (characters).
pub const MAX_NOTE_CHARS: usize = 500;

/// The query parameter of the bundle PUT with the release note.
pub const NOTE_PARAM: &str = "note";

/// One publish as `GET /v1/events/{event}/releases` lists it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Release {
    /// 1, 2, 3, ... per event.
    pub number: u64,
    /// Unix seconds.
    pub published_at: i64,
    /// Whom the publishing token was issued to.
    pub subject: String,
    pub source: String,
    pub note: String,
    /// The change-log head after the publish.
    pub seq: u64,
    pub added: u64,
    pub updated: u64,
    pub removed: u64,
    pub unchanged: u64,
}

/// The answer of `GET /v1/events/{event}/releases`: newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ReleaseList {
    pub releases: Vec<Release>,
}

/// What one source published last (`GET /v1/events/{event}/published?source=NAME`, organiser
/// token): its sessions and exhibitors as it sent them, for matching a file without ids to them
/// (`docs/adr/0015-stable-identity.md`). Empty for a source never published.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PublishedSource {
    pub source: String,
    #[serde(default)]
    pub sessions: Vec<crate::model::Session>,
    #[serde(default)]
    pub exhibitors: Vec<crate::model::Exhibitor>,
}

pub use crate::preview::{EntityRef, Preview};

/// A source name: 1 to 64 ASCII letters, digits, `.`, `_` or `-` (it travels in a URL query and
/// is shown in release lists, so nothing that needs escaping).
pub fn is_valid_source(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_SOURCE_CHARS
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// The source a file publishes as by default: its name without extension, with every character
/// a source name cannot hold replaced by `-` (`None` when nothing usable is left).
pub fn source_from_file_stem(stem: &str) -> Option<String> {
    let name: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .take(MAX_SOURCE_CHARS)
        .collect();
    let name = name.trim_matches('-').to_string();
    is_valid_source(&name).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_names() {
        assert!(is_valid_source("programme"));
        assert!(is_valid_source("exhibitors-2027.v2"));
        assert!(!is_valid_source(""));
        assert!(!is_valid_source("a b"));
        assert!(!is_valid_source(&"x".repeat(65)));
        assert_eq!(
            source_from_file_stem("Aussteller Liste").as_deref(),
            Some("Aussteller-Liste")
        );
        assert_eq!(source_from_file_stem("   "), None);
    }
}
