//! What a search is asked (the typed text and the filters) and what it answers (hits ready to
//! show). The device's and the server's searches take and give exactly these.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::highlight::Highlight;
use marktplatz_model::model::EntityKind;

/// Most hits one search returns.
pub const MAX_LIMIT: u32 = 200;

/// What to search for, and where.
#[derive(Clone, Debug, PartialEq)]
pub struct SearchQuery {
    /// As typed: any string is fine.
    pub text: String,
    pub event_id: String,
    /// Only these kinds; empty means all searched kinds.
    pub kinds: Vec<EntityKind>,
    /// Only sessions on this conference day.
    pub day: Option<NaiveDate>,
    /// Only sessions in this track.
    pub track_id: Option<String>,
    /// Only sessions at, and exhibitors standing at, this location (and the location itself).
    pub location_id: Option<String>,
    /// Only what the user marked as a favourite (sessions, speakers, exhibitors).
    pub favourites_only: bool,
    /// Leave out sessions that have ended; entities without a time stay.
    pub upcoming_only: bool,
    /// "Now", for upcoming-only and for ordering ties by the nearest upcoming start.
    pub now: DateTime<Utc>,
    /// At most this many hits (capped at [`MAX_LIMIT`]).
    pub limit: u32,
}

impl SearchQuery {
    /// A query over all kinds, no filters, 20 hits, now.
    pub fn new(event_id: impl Into<String>, text: impl Into<String>) -> SearchQuery {
        SearchQuery {
            text: text.into(),
            event_id: event_id.into(),
            kinds: Vec::new(),
            day: None,
            track_id: None,
            location_id: None,
            favourites_only: false,
            upcoming_only: false,
            now: Utc::now(),
            limit: 20,
        }
    }
}

/// One result, ready to show: title and context line with the ranges to underline.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SearchHit {
    pub kind: EntityKind,
    pub id: String,
    pub event_id: String,
    pub title: String,
    /// Where else it matched (speakers, place, a cut of the text), or speakers and place.
    pub context: String,
    pub title_highlights: Vec<Highlight>,
    pub context_highlights: Vec<Highlight>,
    /// Sessions: when they start.
    pub start: Option<DateTime<Utc>>,
    /// Sessions on the device: their day, time and place as its agenda shows them (the device's
    /// store adds them; the engine leaves them out, and the server's pages draw their own rows).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub when_and_where: Option<WhenAndWhere>,
}

/// When and where a session takes place, in the event's time zone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WhenAndWhere {
    /// The conference day (honours the day-change hour).
    pub day: NaiveDate,
    /// `HH:MM`.
    pub local_start: String,
    pub local_end: String,
    /// The location's name; `None` for a session without a place.
    pub place: Option<String>,
}
