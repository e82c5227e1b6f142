//! What the shells' screens show: model entities joined and with local times already derived.

use chrono::{DateTime, NaiveDate, Utc};

use marktplatz_model::model::*;

/// An event this device holds.
#[derive(Clone, Debug, PartialEq)]
pub struct EventSummary {
    pub id: String,
    pub title: String,
    pub days: Vec<NaiveDate>,
    pub last_synced_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EventOverview {
    pub event: Event,
    pub session_count: u32,
    pub speaker_count: u32,
    pub exhibitor_count: u32,
    pub location_count: u32,
    pub announcement_count: u32,
    pub gallery_count: u32,
    /// When content last reached the server's head; `None` for content loaded locally.
    pub last_synced_at: Option<DateTime<Utc>>,
}

/// One line of an agenda or list: a session with its place, track and people resolved.
#[derive(Clone, Debug, PartialEq)]
pub struct SessionSummary {
    pub id: String,
    pub title: String,
    pub subtitle: Option<String>,
    pub kind: SessionKind,
    pub status: SessionStatus,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// The conference day (honours the day-change hour).
    pub day: NaiveDate,
    /// `HH:MM` in the event's timezone.
    pub local_start: String,
    pub local_end: String,
    pub location_id: Option<String>,
    pub location_name: Option<String>,
    pub track_id: Option<String>,
    pub track_name: Option<String>,
    pub track_color: Option<String>,
    pub speaker_names: Vec<String>,
    pub languages: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NowNext {
    pub at: DateTime<Utc>,
    /// Running at `at` (started, not yet ended), in start order.
    pub now: Vec<SessionSummary>,
    /// For each location, the next session starting after `at`, in start order.
    pub next: Vec<SessionSummary>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SessionDetail {
    pub summary: SessionSummary,
    pub session: Session,
    pub location: Option<Location>,
    pub track: Option<Track>,
    pub speakers: Vec<Speaker>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ExhibitorEntry {
    pub exhibitor: Exhibitor,
    pub station_name: Option<String>,
}

/// A station (or any location) with what happens there.
#[derive(Clone, Debug, PartialEq)]
pub struct StationEntry {
    pub location: Location,
    pub exhibitor_count: u32,
    pub session_count: u32,
}
