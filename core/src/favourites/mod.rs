//! Favourites: the attendee's own sessions, speakers and exhibitors, with a personal note.
//!
//! They live in user.db, which no content reset touches. Each favourite keeps the last state of
//! its entity the device has seen (`known`), so one whose entity was removed stays visible as
//! removed (with its last title, time and place) instead of silently disappearing.
//!
//! One job per file: this one adds, removes and lists; `agenda` builds the personal agenda,
//! `alerts` records and serves change alerts, `reminders` computes local notifications, `ics`
//! writes iCalendar, `share` encodes favourites as a short code.

pub mod agenda;
pub mod alerts;
pub mod ics;
mod known;
pub mod reminders;
pub mod share;

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

pub(crate) use agenda::favourite_sessions;
pub use agenda::{
    AgendaEntry, FreeGap, PersonalAgenda, PlaceChange, Walk, favourites_now_next, personal_agenda,
};
pub use alerts::{
    AlertChange, AlertListeners, AlertNotice, AlertsRecorded, ChangeAlert, alerts,
    mark_alerts_seen, mark_all_alerts_seen, notify_alerts, reconcile_favourites,
    record_change_alerts, take_alerts_to_notify, unseen_alert_count, unseen_alerts,
};
pub use ics::{CalendarSelection, export_calendar};
pub use known::KnownSession;
pub use reminders::{
    DEFAULT_REMINDER_LEAD_MINUTES, Reminder, reminder_lead_minutes, reminders,
    set_reminder_lead_minutes,
};
pub use share::{SharedFavourites, SharedSession, read_share_code, share_code};

use crate::error::{Error, Result, SqliteContext};
use crate::store::Store;
use known::KnownName;
use marktplatz_model::model::{Entity, EntityKind, Event, Location, SessionStatus};
use marktplatz_model::time::EventClock;

/// A personal note longer than this is refused (it is a note, not a document).
pub const MAX_NOTE_CHARS: usize = 2000;

/// What can be a favourite.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FavouriteKind {
    Session,
    Speaker,
    Exhibitor,
}

impl FavouriteKind {
    pub const ALL: [FavouriteKind; 3] = [
        FavouriteKind::Session,
        FavouriteKind::Speaker,
        FavouriteKind::Exhibitor,
    ];

    pub fn as_str(self) -> &'static str {
        self.entity_kind().as_str()
    }

    pub fn parse(text: &str) -> Option<FavouriteKind> {
        FavouriteKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == text)
    }

    pub fn entity_kind(self) -> EntityKind {
        match self {
            FavouriteKind::Session => EntityKind::Session,
            FavouriteKind::Speaker => EntityKind::Speaker,
            FavouriteKind::Exhibitor => EntityKind::Exhibitor,
        }
    }
}

impl std::fmt::Display for FavouriteKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a favourite's entity stands in the content on this device.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FavouriteState {
    Present,
    /// A session the organisers cancelled (still in the programme).
    Cancelled,
    /// The organisers removed it; the favourite shows its last known state.
    Removed,
    /// The event's content is not on the device (being downloaded again after a reset).
    Unavailable,
}

impl FavouriteState {
    pub fn as_str(self) -> &'static str {
        match self {
            FavouriteState::Present => "present",
            FavouriteState::Cancelled => "cancelled",
            FavouriteState::Removed => "removed",
            FavouriteState::Unavailable => "unavailable",
        }
    }
}

/// One favourite, resolved against the current content.
#[derive(Clone, Debug, PartialEq)]
pub struct Favourite {
    pub event_id: String,
    pub kind: FavouriteKind,
    pub id: String,
    pub note: Option<String>,
    pub added_at: DateTime<Utc>,
    pub state: FavouriteState,
    /// Session title, speaker or exhibitor name: the current one, else the last known one;
    /// `None` when this device never saw the entity.
    pub title: Option<String>,
    /// For a session: its time and place (current, else last known).
    pub session: Option<KnownSession>,
}

/// Marks an entity as a favourite (with an optional note). Returns `false` when it already
/// was one (its note is then replaced only if `note` is given). The entity must exist in the
/// event's content. When this returns, the favourite is on disk (user.db is synchronous=FULL).
pub fn add_favourite(
    store: &Store,
    event_id: &str,
    kind: FavouriteKind,
    id: &str,
    note: Option<&str>,
) -> Result<bool> {
    let note = note.map(clean_note).transpose()?;
    let known = known_state(store, event_id, kind, id)?
        .ok_or_else(|| Error::not_found(kind.as_str(), id))?;
    let added = store.write_user(|tx| {
        let inserted = tx
            .prepare_cached(
                "INSERT INTO favourite (event_id, kind, entity_id, note, created_at, known)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (event_id, kind, entity_id) DO NOTHING",
            )
            .and_then(|mut s| {
                s.execute(params![
                    event_id,
                    kind.as_str(),
                    id,
                    note.clone().flatten(),
                    Utc::now().timestamp(),
                    known
                ])
            })
            .context("saving a favourite")?;
        if inserted == 0
            && let Some(note) = &note
        {
            set_note(tx, event_id, kind, id, note.as_deref())?;
        }
        Ok(inserted == 1)
    })?;
    Ok(added)
}

/// Removes a favourite (and its unseen change alert). Returns `false` if it was none.
pub fn remove_favourite(
    store: &Store,
    listeners: &AlertListeners,
    event_id: &str,
    kind: FavouriteKind,
    id: &str,
) -> Result<bool> {
    let removed = store.write_user(|tx| remove(tx, event_id, kind, id))?;
    if removed && kind == FavouriteKind::Session {
        notify_alerts(store, listeners, event_id)?;
    }
    Ok(removed)
}

/// Adds or removes; returns whether the entity is a favourite afterwards.
pub fn toggle_favourite(
    store: &Store,
    listeners: &AlertListeners,
    event_id: &str,
    kind: FavouriteKind,
    id: &str,
) -> Result<bool> {
    if remove_favourite(store, listeners, event_id, kind, id)? {
        return Ok(false);
    }
    add_favourite(store, event_id, kind, id, None)?;
    Ok(true)
}

/// Sets (or with `None` or blank text, clears) the personal note of a favourite.
pub fn set_favourite_note(
    store: &Store,
    event_id: &str,
    kind: FavouriteKind,
    id: &str,
    note: Option<&str>,
) -> Result<()> {
    let note = note.map(clean_note).transpose()?.flatten();
    store.write_user(|tx| set_note(tx, event_id, kind, id, note.as_deref()))
}

pub fn is_favourite(store: &Store, event_id: &str, kind: FavouriteKind, id: &str) -> Result<bool> {
    store.read_user(|tx| {
        tx.prepare_cached(
            "SELECT 1 FROM favourite WHERE event_id = ?1 AND kind = ?2 AND entity_id = ?3",
        )
        .and_then(|mut s| s.exists(params![event_id, kind.as_str(), id]))
        .context("reading a favourite")
    })
}

/// The ids of an event's favourites of one kind, oldest first.
pub fn favourite_ids(store: &Store, event_id: &str, kind: FavouriteKind) -> Result<Vec<String>> {
    store.read_user(|tx| {
        let mut stmt = tx
            .prepare_cached(
                "SELECT entity_id FROM favourite WHERE event_id = ?1 AND kind = ?2
                 ORDER BY created_at, entity_id",
            )
            .context("listing favourites")?;
        let rows = stmt
            .query_map(params![event_id, kind.as_str()], |r| r.get(0))
            .context("listing favourites")?;
        rows.collect::<rusqlite::Result<_>>()
            .context("listing favourites")
    })
}

/// Every favourite of an event as (kind, id), for filtering (search's "favourites only").
pub fn favourite_keys(store: &Store, event_id: &str) -> Result<HashSet<(String, String)>> {
    store.read_user(|tx| {
        let mut stmt = tx
            .prepare_cached("SELECT kind, entity_id FROM favourite WHERE event_id = ?1")
            .context("reading favourites")?;
        let rows = stmt
            .query_map([event_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .context("reading favourites")?;
        rows.collect::<rusqlite::Result<_>>()
            .context("reading favourites")
    })
}

/// Every favourite of an event, resolved: sessions in time order, then speakers, then
/// exhibitors by name. Removed and cancelled ones are listed as such.
pub fn favourites(store: &Store, event_id: &str) -> Result<Vec<Favourite>> {
    let rows = favourite_rows(store, event_id)?;
    let available = event_clock(store, event_id)?.is_some();
    let session_ids: Vec<String> = rows
        .iter()
        .filter(|r| r.kind == FavouriteKind::Session)
        .map(|r| r.id.clone())
        .collect();
    let current: HashMap<String, KnownSession> = if available {
        store
            .session_summaries(event_id, &session_ids)?
            .iter()
            .map(|s| (s.id.clone(), KnownSession::from_summary(s)))
            .collect()
    } else {
        HashMap::new()
    };
    let mut list = Vec::with_capacity(rows.len());
    for row in rows {
        let (state, title, session) = match row.kind {
            FavouriteKind::Session => {
                let last = row
                    .known
                    .as_deref()
                    .map(KnownSession::from_json)
                    .transpose()?;
                match (available, current.get(&row.id)) {
                    (true, Some(now)) => (
                        match now.status {
                            SessionStatus::Scheduled => FavouriteState::Present,
                            SessionStatus::Cancelled => FavouriteState::Cancelled,
                        },
                        Some(now.title.clone()),
                        Some(now.clone()),
                    ),
                    (true, None) => (
                        FavouriteState::Removed,
                        last.as_ref().map(|k| k.title.clone()),
                        last.map(KnownSession::into_removed),
                    ),
                    (false, _) => (
                        FavouriteState::Unavailable,
                        last.as_ref().map(|k| k.title.clone()),
                        last,
                    ),
                }
            }
            FavouriteKind::Speaker | FavouriteKind::Exhibitor => {
                let last = row
                    .known
                    .as_deref()
                    .map(KnownName::from_json)
                    .transpose()?
                    .map(|k| k.title);
                if !available {
                    (FavouriteState::Unavailable, last, None)
                } else {
                    match store.entity(event_id, row.kind.entity_kind(), &row.id)? {
                        Some(entity) => {
                            (FavouriteState::Present, Some(entity_title(&entity)), None)
                        }
                        None => (FavouriteState::Removed, last, None),
                    }
                }
            }
        };
        list.push(Favourite {
            event_id: event_id.to_string(),
            kind: row.kind,
            id: row.id,
            note: row.note,
            added_at: row.added_at,
            state,
            title,
            session,
        });
    }
    list.sort_by_cached_key(|f| {
        (
            f.kind,
            f.session.as_ref().map(|s| (s.start, s.end)),
            marktplatz_model::text::fold(f.title.as_deref().unwrap_or(&f.id)),
        )
    });
    Ok(list)
}

/// The kinds of favourable entity with this id in the event's content (to resolve a bare id
/// typed on the command line).
pub fn favourable_kinds(store: &Store, event_id: &str, id: &str) -> Result<Vec<FavouriteKind>> {
    let mut kinds = Vec::new();
    for kind in FavouriteKind::ALL {
        if store.entity(event_id, kind.entity_kind(), id)?.is_some() {
            kinds.push(kind);
        }
    }
    Ok(kinds)
}

/// The event's clock, or `None` when the event's content is not on the device.
pub(crate) fn event_clock(store: &Store, event_id: &str) -> Result<Option<EventClock>> {
    match store.entity(event_id, EntityKind::Event, event_id)? {
        Some(Entity::Event(event)) => Ok(Some(clock_of(&event)?)),
        _ => Ok(None),
    }
}

pub(crate) fn location_map(store: &Store, event_id: &str) -> Result<HashMap<String, Location>> {
    Ok(store
        .locations(event_id)?
        .into_iter()
        .map(|l| (l.id.clone(), l))
        .collect())
}

/// JSON of the entity's current state for `favourite.known`; `None` when it does not exist.
fn known_state(
    store: &Store,
    event_id: &str,
    kind: FavouriteKind,
    id: &str,
) -> Result<Option<String>> {
    match kind {
        FavouriteKind::Session => store
            .session_summaries(event_id, &[id.to_string()])?
            .first()
            .map(|s| KnownSession::from_summary(s).to_json())
            .transpose(),
        FavouriteKind::Speaker | FavouriteKind::Exhibitor => store
            .entity(event_id, kind.entity_kind(), id)?
            .map(|entity| {
                KnownName {
                    title: entity_title(&entity),
                    removed: false,
                }
                .to_json()
            })
            .transpose(),
    }
}

pub(crate) fn favourite_rows(store: &Store, event_id: &str) -> Result<Vec<FavouriteRow>> {
    store.read_user(|tx| {
        let mut stmt = tx
            .prepare_cached(
                "SELECT kind, entity_id, note, created_at, known FROM favourite
                 WHERE event_id = ?1 ORDER BY created_at, kind, entity_id",
            )
            .context("listing favourites")?;
        let rows = stmt
            .query_map([event_id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, Option<String>>(4)?,
                ))
            })
            .context("listing favourites")?;
        let mut list = Vec::new();
        for row in rows {
            let (kind, id, note, created_at, known) = row.context("listing favourites")?;
            let kind = FavouriteKind::parse(&kind).ok_or_else(|| {
                Error::malformed(
                    format!("favourite '{id}' in user.db"),
                    format!("unknown kind '{kind}'"),
                )
            })?;
            list.push(FavouriteRow {
                kind,
                id,
                note,
                added_at: DateTime::from_timestamp(created_at, 0).unwrap_or_default(),
                known,
            });
        }
        Ok(list)
    })
}

/// A favourite as stored.
pub(crate) struct FavouriteRow {
    pub kind: FavouriteKind,
    pub id: String,
    pub note: Option<String>,
    pub added_at: DateTime<Utc>,
    pub known: Option<String>,
}

pub(crate) fn clock_of(event: &Event) -> Result<EventClock> {
    Ok(EventClock::new(&event.timezone, event.day_change_hour)?)
}

fn entity_title(entity: &Entity) -> String {
    match entity {
        Entity::Session(s) => s.title.clone(),
        Entity::Speaker(s) => s.name.clone(),
        Entity::Exhibitor(x) => x.name.clone(),
        other => other.id().to_string(),
    }
}

/// Trims a note; blank means no note. Refuses an over-long one.
fn clean_note(note: &str) -> Result<Option<String>> {
    let note = note.trim();
    if note.chars().count() > MAX_NOTE_CHARS {
        return Err(Error::invalid(
            "favourite",
            "note",
            format!(
                "{} characters is too long for a note (at most {MAX_NOTE_CHARS})",
                note.chars().count()
            ),
        ));
    }
    Ok((!note.is_empty()).then(|| note.to_string()))
}

fn set_note(
    tx: &rusqlite::Transaction<'_>,
    event_id: &str,
    kind: FavouriteKind,
    id: &str,
    note: Option<&str>,
) -> Result<()> {
    let changed = tx
        .prepare_cached(
            "UPDATE favourite SET note = ?4 WHERE event_id = ?1 AND kind = ?2 AND entity_id = ?3",
        )
        .and_then(|mut s| s.execute(params![event_id, kind.as_str(), id, note]))
        .context("saving a note")?;
    if changed == 0 {
        return Err(Error::not_found(format!("favourite {kind}"), id));
    }
    Ok(())
}

fn remove(
    tx: &rusqlite::Transaction<'_>,
    event_id: &str,
    kind: FavouriteKind,
    id: &str,
) -> Result<bool> {
    let removed = tx
        .prepare_cached(
            "DELETE FROM favourite WHERE event_id = ?1 AND kind = ?2 AND entity_id = ?3",
        )
        .and_then(|mut s| s.execute(params![event_id, kind.as_str(), id]))
        .context("removing a favourite")?;
    if kind == FavouriteKind::Session {
        // An alert about a session the attendee no longer follows is noise.
        alerts::drop_unseen(tx, event_id, id)?;
    }
    Ok(removed > 0)
}

/// Reads the stored `known` JSON of one favourite (`None` if not a favourite; `Some(None)` if
/// never seen).
pub(crate) fn stored_known(
    tx: &rusqlite::Transaction<'_>,
    event_id: &str,
    kind: FavouriteKind,
    id: &str,
) -> Result<Option<Option<String>>> {
    tx.prepare_cached(
        "SELECT known FROM favourite WHERE event_id = ?1 AND kind = ?2 AND entity_id = ?3",
    )
    .and_then(|mut s| {
        s.query_row(params![event_id, kind.as_str(), id], |r| r.get(0))
            .optional()
    })
    .context("reading a favourite")
}

pub(crate) fn store_known(
    tx: &rusqlite::Transaction<'_>,
    event_id: &str,
    kind: FavouriteKind,
    id: &str,
    known: &str,
) -> Result<()> {
    tx.prepare_cached(
        "UPDATE favourite SET known = ?4 WHERE event_id = ?1 AND kind = ?2 AND entity_id = ?3",
    )
    .and_then(|mut s| s.execute(params![event_id, kind.as_str(), id, known]))
    .context("saving a favourite's known state")?;
    Ok(())
}
