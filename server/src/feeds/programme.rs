//! What a calendar feed is made of: the event's published sessions (with their versions; the
//! recently deleted ones as cancelled) and the places, tracks and speakers they name, and the
//! selection a feed's query asks for.

use std::collections::{HashMap, HashSet};

use crate::store::Tx;
use serde::de::DeserializeOwned;

use chrono::{DateTime, TimeDelta, Utc};

use marktplatz_model::model::{
    EntityKind, Event, Location, Session, SessionStatus, Speaker, Track,
};
use marktplatz_model::share_code::Decoded;

use crate::http::error::{ApiError, ApiResult};
use crate::store::change_log::{self, LiveVersion, Versions};
use crate::store::{Result, StoreError};

/// The share code's group of sessions (`share_code::GROUPS`: sessions, speakers, exhibitors).
const SESSION_GROUP: usize = 0;

/// One published session with the version the feed writes as its SEQUENCE.
pub struct VersionedSession {
    pub session: Session,
    /// The seq of its last change, or of the last change of a place, track or speaker it names
    /// (or of its deletion): it only grows, so calendars see every change as newer.
    pub seq: u64,
    /// When that change was published (Unix seconds): the VEVENT's DTSTAMP.
    pub changed_at: i64,
}

/// An event's published programme.
pub struct Programme {
    pub event: Event,
    pub sessions: Vec<VersionedSession>,
    pub locations: HashMap<String, Location>,
    pub tracks: HashMap<String, Track>,
    pub speakers: HashMap<String, Speaker>,
}

/// What the feeds read from the log.
const KINDS: [EntityKind; 5] = [
    EntityKind::Event,
    EntityKind::Session,
    EntityKind::Location,
    EntityKind::Track,
    EntityKind::Speaker,
];

/// How long after the event's last session a deleted session is still listed as cancelled:
/// a subscriber that last fetched during the event still learns of it the next day; after
/// that nobody's calendar needs it.
const CANCELLED_KEPT: TimeDelta = TimeDelta::days(1);

/// The versions (seq, time) of the places, tracks and speakers a VEVENT names, live or
/// deleted: a VEVENT shows their names, so their changes are changes of the VEVENT.
#[derive(Default)]
struct Named {
    locations: HashMap<String, (u64, i64)>,
    tracks: HashMap<String, (u64, i64)>,
    speakers: HashMap<String, (u64, i64)>,
}

impl Named {
    fn note(&mut self, row: &LiveVersion) {
        let versions = match row.kind {
            EntityKind::Location => &mut self.locations,
            EntityKind::Track => &mut self.tracks,
            EntityKind::Speaker => &mut self.speakers,
            _ => return,
        };
        versions.insert(row.id.clone(), (row.seq, row.changed_at));
    }

    /// Raises a session's SEQUENCE (and DTSTAMP) to the newest change of what it names: a
    /// renamed room changes the session's LOCATION, and calendars only take a change with a
    /// higher SEQUENCE. Seqs grow across the whole event, so the maximum never goes back.
    fn raise(&self, versioned: &mut VersionedSession) {
        let session = &versioned.session;
        let newest = session
            .location_id
            .iter()
            .filter_map(|id| self.locations.get(id))
            .chain(session.track_id.iter().filter_map(|id| self.tracks.get(id)))
            .chain(
                session
                    .speaker_ids
                    .iter()
                    .filter_map(|id| self.speakers.get(id)),
            )
            .max()
            .copied();
        if let Some((seq, changed_at)) = newest
            && seq > versioned.seq
        {
            versioned.seq = seq;
            versioned.changed_at = changed_at;
        }
    }
}

/// What a feed's query narrows the programme to.
#[derive(Default)]
pub struct Filter {
    /// A track's id or name.
    pub track: Option<String>,
    /// A location's id or name; the places inside it count too.
    pub location: Option<String>,
    /// A favourites share code, decoded.
    pub favourites: Option<Decoded>,
}

impl Programme {
    /// The event's programme at `now`, `None` when the event has no published event entity.
    /// Sessions deleted from the programme are kept as cancelled until the event is over
    /// (`CANCELLED_KEPT` after its last session ends), while the log holds their tombstones.
    pub fn read(tx: &Tx<'_>, event_id: &str, now: DateTime<Utc>) -> Result<Option<Programme>> {
        let mut event = None;
        let mut sessions = Vec::new();
        let (mut locations, mut tracks, mut speakers) =
            (HashMap::new(), HashMap::new(), HashMap::new());
        let mut versions = Named::default();
        for row in change_log::versions(tx, event_id, Versions::Live, &KINDS)? {
            versions.note(&row);
            match row.kind {
                EntityKind::Event if row.id == event_id => event = Some(parse::<Event>(&row)?),
                EntityKind::Session => sessions.push(VersionedSession {
                    session: parse(&row)?,
                    seq: row.seq,
                    changed_at: row.changed_at,
                }),
                EntityKind::Location => {
                    locations.insert(row.id.clone(), parse(&row)?);
                }
                EntityKind::Track => {
                    tracks.insert(row.id.clone(), parse(&row)?);
                }
                EntityKind::Speaker => {
                    speakers.insert(row.id.clone(), parse(&row)?);
                }
                _ => {}
            }
        }
        let Some(event) = event else {
            return Ok(None);
        };
        let mut deleted = Vec::new();
        for row in change_log::versions(tx, event_id, Versions::Deleted, &KINDS)? {
            versions.note(&row);
            if row.kind == EntityKind::Session {
                let mut session: Session = parse(&row)?;
                session.status = SessionStatus::Cancelled;
                deleted.push(VersionedSession {
                    session,
                    seq: row.seq,
                    changed_at: row.changed_at,
                });
            }
        }
        let event_over = sessions
            .iter()
            .chain(&deleted)
            .map(|s| s.session.end)
            .max()
            .is_some_and(|last| now > last + CANCELLED_KEPT);
        if !event_over {
            sessions.append(&mut deleted);
        }
        for versioned in &mut sessions {
            versions.raise(versioned);
        }
        sessions.sort_by(|a, b| {
            (a.session.start, &a.session.id).cmp(&(b.session.start, &b.session.id))
        });
        Ok(Some(Programme {
            event,
            sessions,
            locations,
            tracks,
            speakers,
        }))
    }

    /// The sessions `filter` selects, in programme order. A share code for another event is
    /// refused (400); its hashes that match no session here are left out.
    pub fn select(&self, filter: &Filter) -> ApiResult<Vec<&VersionedSession>> {
        let track_ids = filter.track.as_deref().map(|wanted| {
            self.tracks
                .values()
                .filter(|t| t.id == wanted || t.name == wanted)
                .map(|t| t.id.as_str())
                .collect::<HashSet<_>>()
        });
        let location_ids = filter
            .location
            .as_deref()
            .map(|wanted| self.places_within(wanted));
        let favourite_ids = match &filter.favourites {
            Some(code) => {
                if !code.is_for_event(&self.event.id) {
                    return Err(ApiError::bad_request(format!(
                        "the favourites share code is for another event than '{}'",
                        self.event.id
                    )));
                }
                let local = self.sessions.iter().map(|s| s.session.id.as_str());
                let resolved = code.resolve(SESSION_GROUP, local);
                Some(resolved.ids.into_iter().collect::<HashSet<_>>())
            }
            None => None,
        };
        Ok(self
            .sessions
            .iter()
            .filter(|s| match &track_ids {
                Some(ids) => s
                    .session
                    .track_id
                    .as_deref()
                    .is_some_and(|t| ids.contains(t)),
                None => true,
            })
            .filter(|s| match &location_ids {
                Some(ids) => s
                    .session
                    .location_id
                    .as_deref()
                    .is_some_and(|l| ids.contains(l)),
                None => true,
            })
            .filter(|s| match &favourite_ids {
                Some(ids) => ids.contains(&s.session.id),
                None => true,
            })
            .collect())
    }

    /// The ids of the locations named `wanted` (by id or name) and of every place inside them.
    fn places_within(&self, wanted: &str) -> HashSet<&str> {
        let mut within: HashSet<&str> = self
            .locations
            .values()
            .filter(|l| l.id == wanted || l.name == wanted)
            .map(|l| l.id.as_str())
            .collect();
        // Children join once their parent has: repeat until nothing is added (depth is small).
        loop {
            let before = within.len();
            for location in self.locations.values() {
                if let Some(parent) = location.parent_id.as_deref()
                    && within.contains(parent)
                {
                    within.insert(location.id.as_str());
                }
            }
            if within.len() == before {
                return within;
            }
        }
    }
}

fn parse<T: DeserializeOwned>(row: &LiveVersion) -> Result<T> {
    serde_json::from_str(&row.body).map_err(|e| {
        StoreError::internal(
            "reading the programme for a calendar feed",
            format!(
                "{} '{}' has a stored body that does not parse: {e}",
                row.kind, row.id
            ),
        )
    })
}
