//! The favourites share code: its binary format, hashes and text form, one implementation for
//! the phones (which make and read codes) and the server (which turns a code into a calendar
//! feed).
//!
//! Ids can be long (36-character GUIDs), so the code carries a short hash of each id, resolved
//! against the content of whoever reads it (they hold the same event). The hash length is the
//! shortest (at least 3 bytes) that tells every shared id apart from every other id of its kind
//! on the sending device.
//!
//! Binary layout, version 1:
//! `version(1) | hash_len(1) | event hash(4) | per kind (session, speaker, exhibitor):
//! count (LEB128) then count × hash_len bytes | checksum(1)`, written in RFC 4648 base32
//! without padding: upper-case letters and digits only, which QR codes store in their compact
//! alphanumeric mode and which survive being pasted into a chat (no spaces or symbols).

use std::collections::HashMap;

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

const VERSION: u8 = 1;
const MIN_HASH_LEN: usize = 3;
const MAX_HASH_LEN: usize = 8;
const EVENT_HASH_LEN: usize = 4;
const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
/// Kinds in a code, in this order: sessions, speakers, exhibitors.
pub const GROUPS: usize = 3;

/// A code's content: the event's hash and, per kind, the shared ids' hashes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    hash_len: usize,
    event_hash: [u8; EVENT_HASH_LEN],
    groups: Vec<Vec<Vec<u8>>>,
}

/// The share code for `groups` (session, speaker and exhibitor ids shared) of `event_id`;
/// `local` holds every id of each kind the sender holds, so the hashes tell them apart.
pub fn encode(
    event_id: &str,
    groups: &[Vec<String>; GROUPS],
    local: &[Vec<String>; GROUPS],
) -> String {
    let hash_len = (MIN_HASH_LEN..=MAX_HASH_LEN)
        .find(|&len| {
            groups
                .iter()
                .zip(local)
                .all(|(shared, local)| distinguishes(shared, local, len))
        })
        .unwrap_or(MAX_HASH_LEN);
    let mut bytes = vec![VERSION, hash_len as u8];
    bytes.extend_from_slice(&event_hash(event_id));
    for group in groups {
        push_leb128(&mut bytes, group.len() as u64);
        for id in group {
            bytes.extend_from_slice(&id_hash(id)[..hash_len]);
        }
    }
    bytes.push(checksum(&bytes));
    base32_encode(&bytes)
}

/// Reads a code's text form (case, spaces and hyphens ignored) and checks its structure.
pub fn decode(code: &str) -> Result<Decoded> {
    Decoded::parse(&base32_decode(code)?)
}

/// What resolving one kind's hashes found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Resolved {
    /// The ids whose hash matched exactly one local id, in the code's order.
    pub ids: Vec<String>,
    /// Hashes that matched no local id, or more than one.
    pub unresolved: u32,
}

impl Decoded {
    /// Whether the code was made for `event_id`.
    pub fn is_for_event(&self, event_id: &str) -> bool {
        event_hash(event_id) == self.event_hash
    }

    /// Resolves group `kind` (0 sessions, 1 speakers, 2 exhibitors) against the ids of that
    /// kind the reader holds.
    pub fn resolve<'a>(&self, kind: usize, local: impl IntoIterator<Item = &'a str>) -> Resolved {
        let mut by_hash: HashMap<&[u8], Vec<&str>> = HashMap::new();
        let hashes: Vec<(&str, [u8; 32])> = local.into_iter().map(|id| (id, id_hash(id))).collect();
        for (id, hash) in &hashes {
            by_hash.entry(&hash[..self.hash_len]).or_default().push(id);
        }
        let mut resolved = Resolved::default();
        for hash in self.groups.get(kind).map(Vec::as_slice).unwrap_or_default() {
            match by_hash.get(hash.as_slice()).map(Vec::as_slice) {
                Some([only]) => resolved.ids.push((*only).to_string()),
                _ => resolved.unresolved += 1,
            }
        }
        resolved
    }

    fn parse(bytes: &[u8]) -> Result<Decoded> {
        let bad = |why: &str| Error::malformed("the share code", why);
        let Some((&sum, body)) = bytes.split_last() else {
            return Err(bad("it is empty"));
        };
        if checksum(body) != sum {
            return Err(bad(
                "its check digit does not match (mistyped or cut short?)",
            ));
        }
        let mut reader = body.iter().copied();
        match reader.next() {
            Some(VERSION) => {}
            Some(other) => {
                return Err(bad(&format!(
                    "it is version {other}; this app reads version {VERSION} (update the app)"
                )));
            }
            None => return Err(bad("it is empty")),
        }
        let hash_len = usize::from(reader.next().ok_or_else(|| bad("it is cut short"))?);
        if !(MIN_HASH_LEN..=MAX_HASH_LEN).contains(&hash_len) {
            return Err(bad(&format!("id hash length {hash_len} is not allowed")));
        }
        let mut event_hash = [0u8; EVENT_HASH_LEN];
        for byte in &mut event_hash {
            *byte = reader.next().ok_or_else(|| bad("it is cut short"))?;
        }
        let mut groups = Vec::new();
        for _ in 0..GROUPS {
            let count = read_leb128(&mut reader).ok_or_else(|| bad("it is cut short"))?;
            let mut group = Vec::new();
            for _ in 0..count {
                let hash: Vec<u8> = reader.by_ref().take(hash_len).collect();
                if hash.len() != hash_len {
                    return Err(bad("it is cut short"));
                }
                group.push(hash);
            }
            groups.push(group);
        }
        if reader.next().is_some() {
            return Err(bad("it has bytes after its end"));
        }
        Ok(Decoded {
            hash_len,
            event_hash,
            groups,
        })
    }
}

/// Whether `len`-byte hashes tell each shared id apart from every other local id.
fn distinguishes(shared: &[String], local: &[String], len: usize) -> bool {
    let mut seen: HashMap<Vec<u8>, usize> = HashMap::new();
    for id in local
        .iter()
        .chain(shared.iter().filter(|id| !local.contains(id)))
    {
        *seen.entry(id_hash(id)[..len].to_vec()).or_default() += 1;
    }
    shared
        .iter()
        .all(|id| seen.get(&id_hash(id)[..len]).copied() == Some(1))
}

fn id_hash(id: &str) -> [u8; 32] {
    Sha256::digest(id.as_bytes()).into()
}

fn event_hash(event_id: &str) -> [u8; EVENT_HASH_LEN] {
    let digest = Sha256::digest(format!("event:{event_id}").as_bytes());
    let mut out = [0u8; EVENT_HASH_LEN];
    out.copy_from_slice(&digest[..EVENT_HASH_LEN]);
    out
}

fn checksum(bytes: &[u8]) -> u8 {
    Sha256::digest(bytes)[0]
}

fn push_leb128(out: &mut Vec<u8>, mut value: u64) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn read_leb128(bytes: &mut impl Iterator<Item = u8>) -> Option<u64> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = bytes.next()?;
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 8 / 5 + 1);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
        buffer &= (1 << bits) - 1;
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

/// Decodes base32, ignoring case, spaces and hyphens (people group characters when typing).
fn base32_decode(code: &str) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(code.len() * 5 / 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for ch in code.chars() {
        if ch.is_whitespace() || ch == '-' {
            continue;
        }
        let upper = ch.to_ascii_uppercase();
        let value = ALPHABET
            .iter()
            .position(|&a| char::from(a) == upper)
            .ok_or_else(|| {
                Error::malformed(
                    "the share code",
                    format!("'{ch}' is not one of its letters (A-Z, 2-7)"),
                )
            })?;
        buffer = (buffer << 5) | value as u32;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base32_round_trips_every_length() {
        for len in 0..40 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            let code = base32_encode(&bytes);
            assert!(code.bytes().all(|b| ALPHABET.contains(&b)));
            assert_eq!(base32_decode(&code).unwrap(), bytes, "{code}");
            assert_eq!(
                base32_decode(&code.to_lowercase()).unwrap(),
                bytes,
                "lower case"
            );
        }
        // RFC 4648 test vector.
        assert_eq!(base32_encode(b"foobar"), "MZXW6YTBOI");
    }

    #[test]
    fn leb128_round_trips() {
        for value in [0u64, 1, 127, 128, 300, 16384, u64::from(u32::MAX)] {
            let mut bytes = Vec::new();
            push_leb128(&mut bytes, value);
            assert_eq!(read_leb128(&mut bytes.into_iter()), Some(value));
        }
    }

    #[test]
    fn a_changed_character_is_detected() {
        let mut bytes = vec![VERSION, 3];
        bytes.extend_from_slice(&event_hash("e"));
        for _ in 0..3 {
            push_leb128(&mut bytes, 0);
        }
        bytes.push(checksum(&bytes));
        assert!(Decoded::parse(&bytes).is_ok());
        bytes[3] ^= 1;
        let err = Decoded::parse(&bytes).err().unwrap().to_string();
        assert!(err.contains("check digit"), "{err}");
    }

    #[test]
    fn a_code_resolves_against_the_readers_ids() {
        let local: Vec<String> = (0..2000).map(|i| format!("session-{i}")).collect();
        let shared = vec!["session-7".to_string(), "session-1999".to_string()];
        let groups = [shared.clone(), vec!["anna".to_string()], Vec::new()];
        let everything = [local.clone(), vec!["anna".to_string()], Vec::new()];
        let code = encode("fair", &groups, &everything);
        let decoded = decode(&code.to_lowercase()).unwrap();
        assert!(decoded.is_for_event("fair"));
        assert!(!decoded.is_for_event("other-fair"));
        let sessions = decoded.resolve(0, local.iter().map(String::as_str));
        assert_eq!(sessions.ids, shared);
        assert_eq!(sessions.unresolved, 0);
        // A reader without the speaker's id cannot resolve it, and says so.
        let speakers = decoded.resolve(1, ["bernd"]);
        assert_eq!(
            speakers,
            Resolved {
                ids: Vec::new(),
                unresolved: 1
            }
        );
        assert_eq!(decoded.resolve(7, ["x"]), Resolved::default());
    }

    #[test]
    fn hash_length_grows_until_ids_are_distinct() {
        let local: Vec<String> = (0..5000).map(|i| format!("session-{i}")).collect();
        let shared: Vec<String> = local[..30].to_vec();
        let len = (MIN_HASH_LEN..=MAX_HASH_LEN)
            .find(|&len| distinguishes(&shared, &local, len))
            .unwrap();
        assert!((MIN_HASH_LEN..=MAX_HASH_LEN).contains(&len));
        assert!(distinguishes(&shared, &local, len));
    }
}
