//! The store's screen views, mirrored for uniffi.

use marktplatz_core::store::*;
use marktplatz_model::model::*;

use super::{Instant, LocalDate};

#[uniffi::remote(Record)]
pub struct EventSummary {
    pub id: String,
    pub title: String,
    pub days: Vec<LocalDate>,
    pub last_synced_at: Option<Instant>,
}

#[uniffi::remote(Record)]
pub struct EventOverview {
    pub event: Event,
    pub session_count: u32,
    pub speaker_count: u32,
    pub exhibitor_count: u32,
    pub location_count: u32,
    pub announcement_count: u32,
    pub gallery_count: u32,
    pub last_synced_at: Option<Instant>,
}

#[uniffi::remote(Record)]
pub struct SessionSummary {
    pub id: String,
    pub title: String,
    pub subtitle: Option<String>,
    pub kind: SessionKind,
    pub status: SessionStatus,
    pub start: Instant,
    pub end: Instant,
    pub day: LocalDate,
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

#[uniffi::remote(Record)]
pub struct NowNext {
    pub at: Instant,
    pub now: Vec<SessionSummary>,
    pub next: Vec<SessionSummary>,
}

#[uniffi::remote(Record)]
pub struct SessionDetail {
    pub summary: SessionSummary,
    pub session: Session,
    pub location: Option<Location>,
    pub track: Option<Track>,
    pub speakers: Vec<Speaker>,
}

#[uniffi::remote(Record)]
pub struct ExhibitorEntry {
    pub exhibitor: Exhibitor,
    pub station_name: Option<String>,
}

#[uniffi::remote(Record)]
pub struct StationEntry {
    pub location: Location,
    pub exhibitor_count: u32,
    pub session_count: u32,
}
