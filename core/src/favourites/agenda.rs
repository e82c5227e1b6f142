//! The personal agenda: favourited sessions of one conference day in time order, with the
//! sessions each one collides with, the free gaps between them and what getting from one to the
//! next involves (same room, same hall, elsewhere). Also "now and next" among favourites.
//!
//! All arithmetic is on UTC instants, so a day across a DST change or past midnight needs no
//! special case: a gap over the repeated autumn hour is as long as it really is.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};

use super::{FavouriteKind, FavouriteState, KnownSession};
use crate::error::Result;
use crate::store::{NowNext, SessionSummary, Store};
use marktplatz_model::model::{Location, SessionKind, SessionStatus};

/// How many upcoming favourites "now and next" lists at most.
const NEXT_LIMIT: usize = 12;
/// How far ahead "next" looks.
const NEXT_HORIZON_SECONDS: i64 = 24 * 3600;
/// Changing place with less time than this between two sessions is flagged as tight.
pub const TIGHT_WALK_MINUTES: i64 = 5;

#[derive(Clone, Debug, PartialEq)]
pub struct PersonalAgenda {
    pub event_id: String,
    pub day: NaiveDate,
    /// Favourited sessions of the day in start order; cancelled and removed ones included (they
    /// take part in no conflict and no gap).
    pub entries: Vec<AgendaEntry>,
    /// Free time between the day's first and last active favourite.
    pub gaps: Vec<FreeGap>,
    /// Entries that collide with at least one other favourite.
    pub conflict_count: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AgendaEntry {
    pub session: SessionSummary,
    pub state: FavouriteState,
    pub note: Option<String>,
    /// Ids of the favourited sessions overlapping this one (possibly on a neighbouring day, for
    /// sessions across the day change).
    pub conflicts_with: Vec<String>,
    /// Getting here from the previous active favourite of the day.
    pub walk: Option<Walk>,
}

impl AgendaEntry {
    pub fn is_active(&self) -> bool {
        self.state == FavouriteState::Present
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Walk {
    pub from_session_id: String,
    pub from_location_name: Option<String>,
    /// Free minutes between the previous session's end and this one's start (0 if they overlap).
    pub gap_minutes: u32,
    /// Minutes the two sessions overlap (0 if they do not): shown as "overlaps by", never as a
    /// negative walking time.
    pub overlap_minutes: u32,
    pub place: PlaceChange,
    /// A change of place with less than [`TIGHT_WALK_MINUTES`] to make it (or an overlap).
    pub tight: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PlaceChange {
    /// Stay where you are.
    SameLocation,
    /// Another station or room in the same hall.
    SameHall,
    DifferentLocation,
    /// One of the two has no location.
    Unknown,
}

impl PlaceChange {
    pub fn as_str(self) -> &'static str {
        match self {
            PlaceChange::SameLocation => "same-location",
            PlaceChange::SameHall => "same-hall",
            PlaceChange::DifferentLocation => "different-location",
            PlaceChange::Unknown => "unknown",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct FreeGap {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub local_start: String,
    pub local_end: String,
    pub minutes: i64,
}

/// The attendee's agenda for one conference day.
pub fn personal_agenda(store: &Store, event_id: &str, day: NaiveDate) -> Result<PersonalAgenda> {
    let Some(clock) = super::event_clock(store, event_id)? else {
        return Err(crate::Error::not_found("event", event_id));
    };
    let all = favourite_sessions(store, event_id)?;
    let conflicts = conflicts(&all);
    let locations = super::location_map(store, event_id)?;
    let mut entries: Vec<AgendaEntry> = all
        .into_iter()
        .filter(|(summary, _, _)| summary.day == day)
        .map(|(session, state, note)| AgendaEntry {
            conflicts_with: conflicts.get(&session.id).cloned().unwrap_or_default(),
            session,
            state,
            note,
            walk: None,
        })
        .collect();
    let mut gaps = Vec::new();
    let mut previous: Option<usize> = None;
    let mut busy_until: Option<DateTime<Utc>> = None;
    for index in 0..entries.len() {
        if !entries[index].is_active() {
            continue;
        }
        let start = entries[index].session.start;
        if let Some(until) = busy_until
            && start > until
        {
            gaps.push(FreeGap {
                start: until,
                end: start,
                local_start: clock.hhmm(until),
                local_end: clock.hhmm(start),
                minutes: (start - until).num_minutes(),
            });
        }
        busy_until = Some(busy_until.map_or(entries[index].session.end, |until| {
            until.max(entries[index].session.end)
        }));
        if let Some(prev) = previous {
            let walk = walk_between(&entries[prev].session, &entries[index].session, &locations);
            entries[index].walk = Some(walk);
        }
        previous = Some(index);
    }
    let conflict_count = entries
        .iter()
        .filter(|e| !e.conflicts_with.is_empty())
        .count() as u32;
    Ok(PersonalAgenda {
        event_id: event_id.to_string(),
        day,
        entries,
        gaps,
        conflict_count,
    })
}

/// What is running among the favourites at `at`, and the favourites starting next (within a
/// day, at most a dozen), each in start order. Cancelled and removed ones are left out.
pub fn favourites_now_next(store: &Store, event_id: &str, at: DateTime<Utc>) -> Result<NowNext> {
    let all = favourite_sessions(store, event_id)?;
    let active = all
        .into_iter()
        .filter(|(_, state, _)| *state == FavouriteState::Present)
        .map(|(summary, _, _)| summary);
    let (mut now, mut next) = (Vec::new(), Vec::new());
    for session in active {
        if session.start <= at && session.end > at {
            now.push(session);
        } else if session.start > at
            && (session.start - at).num_seconds() < NEXT_HORIZON_SECONDS
            && next.len() < NEXT_LIMIT
        {
            next.push(session);
        }
    }
    Ok(NowNext { at, now, next })
}

/// Every favourited session of the event with its state and note, in start order. Removed
/// ones appear with their last known time and place.
pub(crate) fn favourite_sessions(
    store: &Store,
    event_id: &str,
) -> Result<Vec<(SessionSummary, FavouriteState, Option<String>)>> {
    let favourites = super::favourites(store, event_id)?;
    let ids: Vec<String> = favourites
        .iter()
        .filter(|f| f.kind == FavouriteKind::Session)
        .map(|f| f.id.clone())
        .collect();
    let mut current: HashMap<String, SessionSummary> = store
        .session_summaries(event_id, &ids)?
        .into_iter()
        .map(|s| (s.id.clone(), s))
        .collect();
    let mut list = Vec::new();
    for favourite in favourites {
        if favourite.kind != FavouriteKind::Session {
            continue;
        }
        let summary = match current.remove(&favourite.id) {
            Some(summary) => summary,
            None => match &favourite.session {
                Some(known) => match summary_from_known(&favourite.id, known) {
                    Some(summary) => summary,
                    None => continue,
                },
                None => continue,
            },
        };
        list.push((summary, favourite.state, favourite.note));
    }
    list.sort_by(|a, b| {
        (a.0.start, a.0.end, &a.0.title, &a.0.id).cmp(&(b.0.start, b.0.end, &b.0.title, &b.0.id))
    });
    Ok(list)
}

/// A removed session's agenda line from its last known state (`None` without a known day).
fn summary_from_known(id: &str, known: &KnownSession) -> Option<SessionSummary> {
    Some(SessionSummary {
        id: id.to_string(),
        title: known.title.clone(),
        subtitle: None,
        kind: SessionKind::default(),
        status: known.status,
        start: known.start,
        end: known.end,
        day: known.day?,
        local_start: known.local_start.clone().unwrap_or_default(),
        local_end: known.local_end.clone().unwrap_or_default(),
        location_id: known.location_id.clone(),
        location_name: known.location_name.clone(),
        track_id: None,
        track_name: None,
        track_color: None,
        speaker_names: Vec::new(),
        languages: Vec::new(),
    })
}

/// For each active session, the other active sessions overlapping it (half-open intervals:
/// back-to-back sessions do not collide).
fn conflicts(
    sessions: &[(SessionSummary, FavouriteState, Option<String>)],
) -> HashMap<String, Vec<String>> {
    let active: Vec<&SessionSummary> = sessions
        .iter()
        .filter(|(s, state, _)| {
            *state == FavouriteState::Present && s.status == SessionStatus::Scheduled
        })
        .map(|(s, _, _)| s)
        .collect();
    let mut map: HashMap<String, Vec<String>> = HashMap::new();
    // `active` is in start order: only later-starting sessions that begin before this one ends
    // can overlap it, so the inner loop stops early.
    for (i, a) in active.iter().enumerate() {
        for b in &active[i + 1..] {
            if b.start >= a.end {
                break;
            }
            if a.start < b.end && b.start < a.end {
                map.entry(a.id.clone()).or_default().push(b.id.clone());
                map.entry(b.id.clone()).or_default().push(a.id.clone());
            }
        }
    }
    map
}

fn walk_between(
    from: &SessionSummary,
    to: &SessionSummary,
    locations: &HashMap<String, Location>,
) -> Walk {
    let minutes = (to.start - from.end).num_minutes();
    let place = match (&from.location_id, &to.location_id) {
        (Some(a), Some(b)) if a == b => PlaceChange::SameLocation,
        (Some(a), Some(b)) => {
            if hall_of(a, locations) == hall_of(b, locations) {
                PlaceChange::SameHall
            } else {
                PlaceChange::DifferentLocation
            }
        }
        _ => PlaceChange::Unknown,
    };
    let moving = matches!(
        place,
        PlaceChange::SameHall | PlaceChange::DifferentLocation
    );
    let (gap_minutes, overlap_minutes) = split_gap(minutes);
    Walk {
        from_session_id: from.id.clone(),
        from_location_name: from.location_name.clone(),
        gap_minutes,
        overlap_minutes,
        place,
        tight: moving && minutes < TIGHT_WALK_MINUTES,
    }
}

/// A signed span of minutes as (free, overlapping), each saturated to what a `u32` holds.
fn split_gap(minutes: i64) -> (u32, u32) {
    let clamp = |m: i64| u32::try_from(m).unwrap_or(u32::MAX);
    if minutes >= 0 {
        (clamp(minutes), 0)
    } else {
        (0, clamp(minutes.saturating_neg()))
    }
}

/// The outermost location containing `id` (a station's hall); itself when it has no parent.
fn hall_of<'a>(id: &'a str, locations: &'a HashMap<String, Location>) -> &'a str {
    let mut current = id;
    // Bounded: a malformed parent cycle must not hang the agenda.
    for _ in 0..8 {
        match locations.get(current).and_then(|l| l.parent_id.as_deref()) {
            Some(parent) => current = parent,
            None => break,
        }
    }
    current
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(id: &str, start: &str, end: &str) -> SessionSummary {
        let instant = |t: &str| DateTime::parse_from_rfc3339(t).unwrap().with_timezone(&Utc);
        summary_from_known(
            id,
            &KnownSession {
                title: id.to_string(),
                start: instant(start),
                end: instant(end),
                location_id: None,
                location_name: None,
                status: SessionStatus::Scheduled,
                removed: false,
                day: Some(NaiveDate::from_ymd_opt(2026, 10, 24).unwrap()),
                local_start: None,
                local_end: None,
            },
        )
        .unwrap()
    }

    #[test]
    fn overlaps_are_symmetric_and_back_to_back_is_no_conflict() {
        let list: Vec<_> = [
            summary("a", "2026-10-24T09:00:00Z", "2026-10-24T10:00:00Z"),
            summary("b", "2026-10-24T09:30:00Z", "2026-10-24T09:45:00Z"),
            summary("c", "2026-10-24T09:50:00Z", "2026-10-24T11:00:00Z"),
            summary("d", "2026-10-24T11:00:00Z", "2026-10-24T12:00:00Z"),
        ]
        .into_iter()
        .map(|s| (s, FavouriteState::Present, None))
        .collect();
        let map = conflicts(&list);
        assert_eq!(map["a"], ["b", "c"]);
        assert_eq!(map["b"], ["a"]);
        assert_eq!(map["c"], ["a"]);
        assert!(!map.contains_key("d"), "back-to-back is not a conflict");
    }

    #[test]
    fn cancelled_sessions_collide_with_nothing() {
        let mut list: Vec<_> = [
            summary("a", "2026-10-24T09:00:00Z", "2026-10-24T10:00:00Z"),
            summary("b", "2026-10-24T09:30:00Z", "2026-10-24T10:30:00Z"),
        ]
        .into_iter()
        .map(|s| (s, FavouriteState::Present, None))
        .collect();
        list[1].1 = FavouriteState::Cancelled;
        list[1].0.status = SessionStatus::Cancelled;
        assert!(conflicts(&list).is_empty());
    }

    #[test]
    fn hall_of_survives_a_parent_cycle() {
        let mut locations = HashMap::new();
        for (id, parent) in [("a", "b"), ("b", "a")] {
            locations.insert(
                id.to_string(),
                Location {
                    id: id.to_string(),
                    name: id.to_string(),
                    kind: Default::default(),
                    parent_id: Some(parent.to_string()),
                    description: String::new(),
                    position: None,
                    sort_order: 0,
                },
            );
        }
        let _ = hall_of("a", &locations);
    }
}
