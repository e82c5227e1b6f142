//! Sharing favourites as a short code (for a QR code or a chat message) and reading a friend's.
//!
//! Ids can be long (36-character GUIDs), so the code carries a short hash of each id, resolved
//! against the content on the receiving device (both devices hold the same event). The hash
//! length is the shortest (at least 3 bytes) that tells every shared id apart from every other
//! id of its kind on the sending device.
//!
//! Binary layout, version 1:
//! `version(1) | hash_len(1) | event hash(4) | per kind (session, speaker, exhibitor):
//! count (LEB128) then count × hash_len bytes | checksum(1)`, written in RFC 4648 base32
//! without padding: upper-case letters and digits only, which QR codes store in their compact
//! alphanumeric mode and which survive being pasted into a chat (no spaces or symbols).

use std::collections::HashMap;

use sha2::{Digest, Sha256};

use super::{FavouriteKind, FavouriteState};
use crate::error::{Error, Result, SqliteContext};
use crate::store::{SessionSummary, Store};
use marktplatz_model::model::SessionStatus;

const VERSION: u8 = 1;
const MIN_HASH_LEN: usize = 3;
const MAX_HASH_LEN: usize = 8;
const EVENT_HASH_LEN: usize = 4;
const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// A friend's favourites, resolved against this device's content.
#[derive(Clone, Debug, PartialEq)]
pub struct SharedFavourites {
    pub event_id: String,
    pub sessions: Vec<SharedSession>,
    /// Speaker ids (those found on this device).
    pub speaker_ids: Vec<String>,
    /// Exhibitor ids (those found on this device).
    pub exhibitor_ids: Vec<String>,
    /// Shared entries this device cannot resolve (not in its content, or ambiguous).
    pub unresolved: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SharedSession {
    pub session: SessionSummary,
    /// Already one of my favourites.
    pub mine: bool,
    /// My (other) favourited sessions it overlaps.
    pub clashes_with: Vec<String>,
}

/// The event's favourites as a share code.
pub fn share_code(store: &Store, event_id: &str) -> Result<String> {
    let mut groups = Vec::new();
    let mut local = Vec::new();
    for kind in FavouriteKind::ALL {
        groups.push(super::favourite_ids(store, event_id, kind)?);
        local.push(local_ids(store, event_id, kind)?);
    }
    let hash_len = (MIN_HASH_LEN..=MAX_HASH_LEN)
        .find(|&len| {
            groups
                .iter()
                .zip(&local)
                .all(|(shared, local)| distinguishes(shared, local, len))
        })
        .unwrap_or(MAX_HASH_LEN);
    let mut bytes = vec![VERSION, hash_len as u8];
    bytes.extend_from_slice(&event_hash(event_id));
    for group in &groups {
        push_leb128(&mut bytes, group.len() as u64);
        for id in group {
            bytes.extend_from_slice(&id_hash(id)[..hash_len]);
        }
    }
    bytes.push(checksum(&bytes));
    Ok(base32_encode(&bytes))
}

/// Reads a friend's share code: their sessions (with what clashes with my favourites),
/// speakers and exhibitors. Changes nothing; add the ones wanted with `add_favourite`.
pub fn read_share_code(store: &Store, code: &str) -> Result<SharedFavourites> {
    let bytes = base32_decode(code)?;
    let decoded = Decoded::parse(&bytes)?;
    let event_id = store
        .events()?
        .into_iter()
        .map(|e| e.id)
        .find(|id| event_hash(id) == decoded.event_hash)
        .ok_or_else(|| {
            Error::invalid(
                "share code",
                "event",
                "is for an event this device does not hold; sync that event first",
            )
        })?;
    let mut unresolved = 0u32;
    let mut resolved: Vec<Vec<String>> = Vec::new();
    for (kind, hashes) in FavouriteKind::ALL.into_iter().zip(&decoded.groups) {
        let mut by_hash: HashMap<Vec<u8>, Vec<String>> = HashMap::new();
        for id in local_ids(store, &event_id, kind)? {
            by_hash
                .entry(id_hash(&id)[..decoded.hash_len].to_vec())
                .or_default()
                .push(id);
        }
        let mut ids = Vec::new();
        for hash in hashes {
            match by_hash.get(hash).map(Vec::as_slice) {
                Some([only]) => ids.push(only.clone()),
                _ => unresolved += 1,
            }
        }
        resolved.push(ids);
    }
    let mine = super::favourite_sessions(store, &event_id)?;
    let my_ids: Vec<&str> = mine.iter().map(|(s, _, _)| s.id.as_str()).collect();
    let my_active: Vec<&SessionSummary> = mine
        .iter()
        .filter(|(s, state, _)| {
            *state == FavouriteState::Present && s.status == SessionStatus::Scheduled
        })
        .map(|(s, _, _)| s)
        .collect();
    let sessions = store
        .session_summaries(&event_id, &resolved[0])?
        .into_iter()
        .map(|session| {
            let clashes_with = if session.status == SessionStatus::Scheduled {
                my_active
                    .iter()
                    .filter(|m| {
                        m.id != session.id && m.start < session.end && session.start < m.end
                    })
                    .map(|m| m.id.clone())
                    .collect()
            } else {
                Vec::new()
            };
            SharedSession {
                mine: my_ids.contains(&session.id.as_str()),
                clashes_with,
                session,
            }
        })
        .collect();
    let mut resolved = resolved.into_iter().skip(1);
    Ok(SharedFavourites {
        event_id,
        sessions,
        speaker_ids: resolved.next().unwrap_or_default(),
        exhibitor_ids: resolved.next().unwrap_or_default(),
        unresolved,
    })
}

fn local_ids(store: &Store, event_id: &str, kind: FavouriteKind) -> Result<Vec<String>> {
    let table = match kind {
        FavouriteKind::Session => "session",
        FavouriteKind::Speaker => "speaker",
        FavouriteKind::Exhibitor => "exhibitor",
    };
    store.read(|tx| {
        let mut stmt = tx
            .prepare_cached(&format!("SELECT id FROM {table} WHERE event_id = ?1"))
            .context("listing ids")?;
        let rows = stmt
            .query_map([event_id], |r| r.get(0))
            .context("listing ids")?;
        rows.collect::<rusqlite::Result<_>>().context("listing ids")
    })
}

struct Decoded {
    hash_len: usize,
    event_hash: [u8; EVENT_HASH_LEN],
    groups: Vec<Vec<Vec<u8>>>,
}

impl Decoded {
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
        for _ in FavouriteKind::ALL {
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

pub(crate) fn base32_encode(bytes: &[u8]) -> String {
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
pub(crate) fn base32_decode(code: &str) -> Result<Vec<u8>> {
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
