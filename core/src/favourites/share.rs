//! Sharing favourites as a short code (for a QR code or a chat message) and reading a friend's.
//!
//! Ids can be long (36-character GUIDs), so the code carries a short hash of each id, resolved
//! against the content on the receiving device (both devices hold the same event). The hash
//! length is the shortest (at least 3 bytes) that tells every shared id apart from every other
//! id of its kind on the sending device.
//!
//! The code's format and hashes are `marktplatz_model::share_code`, which the server reads too
//! (a calendar feed of shared favourites).

use super::{FavouriteKind, FavouriteState};
use crate::error::{Error, Result, SqliteContext};
use crate::store::{SessionSummary, Store};
use marktplatz_model::model::SessionStatus;
use marktplatz_model::share_code;

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
    let mut groups: [Vec<String>; share_code::GROUPS] = Default::default();
    let mut local: [Vec<String>; share_code::GROUPS] = Default::default();
    for (index, kind) in FavouriteKind::ALL.into_iter().enumerate() {
        groups[index] = super::favourite_ids(store, event_id, kind)?;
        local[index] = local_ids(store, event_id, kind)?;
    }
    Ok(share_code::encode(event_id, &groups, &local))
}

/// Reads a friend's share code: their sessions (with what clashes with my favourites),
/// speakers and exhibitors. Changes nothing; add the ones wanted with `add_favourite`.
pub fn read_share_code(store: &Store, code: &str) -> Result<SharedFavourites> {
    let decoded = share_code::decode(code)?;
    let event_id = store
        .events()?
        .into_iter()
        .map(|e| e.id)
        .find(|id| decoded.is_for_event(id))
        .ok_or_else(|| {
            Error::invalid(
                "share code",
                "event",
                "is for an event this device does not hold; sync that event first",
            )
        })?;
    let mut unresolved = 0u32;
    let mut resolved: Vec<Vec<String>> = Vec::new();
    for (index, kind) in FavouriteKind::ALL.into_iter().enumerate() {
        let local = local_ids(store, &event_id, kind)?;
        let found = decoded.resolve(index, local.iter().map(String::as_str));
        unresolved += found.unresolved;
        resolved.push(found.ids);
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
