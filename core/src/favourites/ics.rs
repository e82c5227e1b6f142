//! iCalendar (RFC 5545) export of favourites, one session or the whole programme.
//!
//! Calendar apps match re-imported events by UID and keep the one with the higher SEQUENCE, so
//! UIDs are derived from the event and session ids only, and each session's SEQUENCE (kept in
//! user.db with a fingerprint of what was written) goes up when an export finds it changed.
//! The writing itself (escaping, folding, times, VTIMEZONE) is `marktplatz_model::ical`, the
//! same writer the server's calendar feeds use.

use chrono::{DateTime, Utc};
use marktplatz_model::ical::{PRODID, Writer, text, uid, utc_stamp, write_time, write_vtimezone};
use rusqlite::{OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::{FavouriteState, clock_of};
use crate::error::{Error, Result, SqliteContext};
use crate::store::{SessionSummary, Store};
use marktplatz_model::model::{Entity, EntityKind, SessionStatus};

/// What to put in the calendar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CalendarSelection {
    /// The attendee's favourited sessions (removed ones as cancelled, so calendars update).
    Favourites,
    /// One session.
    Session(String),
    /// Every session of the event.
    Programme,
}

/// One VEVENT's content before SEQUENCE is assigned.
struct CalendarItem {
    session_id: String,
    summary: SessionSummary,
    cancelled: bool,
    description: String,
    categories: Option<String>,
}

/// The iCalendar text (CRLF line breaks) for `selection`, stamped `now`. Records the SEQUENCE
/// of every written session in user.db.
pub fn export_calendar(
    store: &Store,
    event_id: &str,
    selection: &CalendarSelection,
    now: DateTime<Utc>,
) -> Result<String> {
    let event = match store.entity(event_id, EntityKind::Event, event_id)? {
        Some(Entity::Event(event)) => event,
        _ => return Err(Error::not_found("event", event_id)),
    };
    let clock = clock_of(&event)?;
    let items = calendar_items(store, event_id, selection)?;
    let sequences = assign_sequences(store, event_id, &items)?;

    let mut out = Writer::default();
    out.line("BEGIN", &[], "VCALENDAR");
    out.line("VERSION", &[], "2.0");
    out.line("PRODID", &[], PRODID);
    out.line("CALSCALE", &[], "GREGORIAN");
    out.line("METHOD", &[], "PUBLISH");
    out.line("X-WR-CALNAME", &[], &text(&event.title));
    out.line("X-WR-TIMEZONE", &[], &event.timezone);
    if let (Some(first), Some(last)) = (
        items.iter().map(|i| i.summary.start).min(),
        items.iter().map(|i| i.summary.end).max(),
    ) {
        write_vtimezone(&mut out, clock.tz, first, last);
    }
    let stamp = utc_stamp(now);
    for (item, sequence) in items.iter().zip(sequences) {
        out.line("BEGIN", &[], "VEVENT");
        out.line("UID", &[], &text(&uid(event_id, &item.session_id)));
        out.line("DTSTAMP", &[], &stamp);
        write_time(&mut out, "DTSTART", clock.tz, item.summary.start);
        write_time(&mut out, "DTEND", clock.tz, item.summary.end);
        out.line("SEQUENCE", &[], &sequence.to_string());
        out.line("SUMMARY", &[], &text(&item.summary.title));
        if let Some(place) = &item.summary.location_name {
            out.line("LOCATION", &[], &text(place));
        }
        if !item.description.is_empty() {
            out.line("DESCRIPTION", &[], &text(&item.description));
        }
        if let Some(categories) = &item.categories {
            out.line("CATEGORIES", &[], &text(categories));
        }
        let status = if item.cancelled {
            "CANCELLED"
        } else {
            "CONFIRMED"
        };
        out.line("STATUS", &[], status);
        out.line("END", &[], "VEVENT");
    }
    out.line("END", &[], "VCALENDAR");
    Ok(out.finish())
}

fn calendar_items(
    store: &Store,
    event_id: &str,
    selection: &CalendarSelection,
) -> Result<Vec<CalendarItem>> {
    let sessions: Vec<(SessionSummary, FavouriteState, Option<String>)> = match selection {
        CalendarSelection::Favourites => super::favourite_sessions(store, event_id)?,
        CalendarSelection::Session(id) => {
            let favourite = super::favourite_sessions(store, event_id)?
                .into_iter()
                .find(|(s, _, _)| &s.id == id);
            match favourite {
                Some(found) => vec![found],
                None => {
                    let summary = store
                        .session_summaries(event_id, std::slice::from_ref(id))?
                        .into_iter()
                        .next()
                        .ok_or_else(|| Error::not_found("session", id))?;
                    let state = state_of(&summary);
                    vec![(summary, state, None)]
                }
            }
        }
        CalendarSelection::Programme => {
            let ids = session_ids(store, event_id)?;
            store
                .session_summaries(event_id, &ids)?
                .into_iter()
                .map(|s| {
                    let state = state_of(&s);
                    (s, state, None)
                })
                .collect()
        }
    };
    let mut items = Vec::with_capacity(sessions.len());
    for (summary, state, note) in sessions {
        let abstract_text = match store.entity(event_id, EntityKind::Session, &summary.id)? {
            Some(Entity::Session(session)) => session.abstract_text,
            _ => String::new(),
        };
        let description = [
            note.unwrap_or_default(),
            summary.speaker_names.join(", "),
            abstract_text.trim().to_string(),
        ]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
        items.push(CalendarItem {
            session_id: summary.id.clone(),
            cancelled: matches!(state, FavouriteState::Cancelled | FavouriteState::Removed)
                || summary.status == SessionStatus::Cancelled,
            categories: summary.track_name.clone(),
            description,
            summary,
        });
    }
    Ok(items)
}

fn session_ids(store: &Store, event_id: &str) -> Result<Vec<String>> {
    store.read(|tx| {
        let mut stmt = tx
            .prepare_cached("SELECT id FROM session WHERE event_id = ?1")
            .context("listing sessions")?;
        let rows = stmt
            .query_map([event_id], |r| r.get(0))
            .context("listing sessions")?;
        rows.collect::<rusqlite::Result<_>>()
            .context("listing sessions")
    })
}

/// SEQUENCE per item: 0 the first time a session is exported, one more each time an export
/// finds what it writes changed.
fn assign_sequences(store: &Store, event_id: &str, items: &[CalendarItem]) -> Result<Vec<i64>> {
    store.write_user(|tx| {
        let mut sequences = Vec::with_capacity(items.len());
        for item in items {
            let fingerprint = fingerprint(item);
            let stored: Option<(String, i64)> = tx
                .prepare_cached(
                    "SELECT fingerprint, sequence FROM calendar_sequence
                     WHERE event_id = ?1 AND session_id = ?2",
                )
                .and_then(|mut s| {
                    s.query_row(params![event_id, item.session_id], |r| {
                        Ok((r.get(0)?, r.get(1)?))
                    })
                    .optional()
                })
                .context("reading a calendar sequence")?;
            let sequence = match stored {
                Some((known, sequence)) if known == fingerprint => {
                    sequences.push(sequence);
                    continue;
                }
                Some((_, sequence)) => sequence + 1,
                None => 0,
            };
            tx.prepare_cached(
                "INSERT INTO calendar_sequence (event_id, session_id, fingerprint, sequence)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (event_id, session_id) DO UPDATE SET fingerprint = ?3, sequence = ?4",
            )
            .and_then(|mut s| s.execute(params![event_id, item.session_id, fingerprint, sequence]))
            .context("saving a calendar sequence")?;
            sequences.push(sequence);
        }
        Ok(sequences)
    })
}

fn state_of(summary: &SessionSummary) -> FavouriteState {
    match summary.status {
        SessionStatus::Scheduled => FavouriteState::Present,
        SessionStatus::Cancelled => FavouriteState::Cancelled,
    }
}

fn fingerprint(item: &CalendarItem) -> String {
    let s = &item.summary;
    let mut hasher = Sha256::new();
    for part in [
        s.start.timestamp().to_string(),
        s.end.timestamp().to_string(),
        s.title.clone(),
        s.location_name.clone().unwrap_or_default(),
        item.cancelled.to_string(),
        item.description.clone(),
        item.categories.clone().unwrap_or_default(),
    ] {
        hasher.update(part.as_bytes());
        hasher.update([0u8]);
    }
    hex::encode(&hasher.finalize()[..12])
}
