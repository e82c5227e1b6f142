//! Favourites, the personal agenda, alerts, reminders and sharing, mirrored for uniffi.

use marktplatz_core::favourites::*;
use marktplatz_core::store::SessionSummary;
use marktplatz_model::model::SessionStatus;

use super::{Instant, LocalDate};

#[uniffi::remote(Enum)]
pub enum FavouriteKind {
    Session,
    Speaker,
    Exhibitor,
}

#[uniffi::remote(Enum)]
pub enum FavouriteState {
    Present,
    Cancelled,
    Removed,
    Unavailable,
}

#[uniffi::remote(Record)]
pub struct KnownSession {
    pub title: String,
    pub start: Instant,
    pub end: Instant,
    pub location_id: Option<String>,
    pub location_name: Option<String>,
    pub status: SessionStatus,
    pub removed: bool,
    pub day: Option<LocalDate>,
    pub local_start: Option<String>,
    pub local_end: Option<String>,
}

#[uniffi::remote(Record)]
pub struct Favourite {
    pub event_id: String,
    pub kind: FavouriteKind,
    pub id: String,
    pub note: Option<String>,
    pub added_at: Instant,
    pub state: FavouriteState,
    pub title: Option<String>,
    pub session: Option<KnownSession>,
}

#[uniffi::remote(Enum)]
pub enum PlaceChange {
    SameLocation,
    SameHall,
    DifferentLocation,
    Unknown,
}

#[uniffi::remote(Record)]
pub struct Walk {
    pub from_session_id: String,
    pub from_location_name: Option<String>,
    pub gap_minutes: u32,
    pub overlap_minutes: u32,
    pub place: PlaceChange,
    pub tight: bool,
}

#[uniffi::remote(Record)]
pub struct AgendaEntry {
    pub session: SessionSummary,
    pub state: FavouriteState,
    pub note: Option<String>,
    pub conflicts_with: Vec<String>,
    pub walk: Option<Walk>,
}

#[uniffi::remote(Record)]
pub struct FreeGap {
    pub start: Instant,
    pub end: Instant,
    pub local_start: String,
    pub local_end: String,
    pub minutes: i64,
}

#[uniffi::remote(Record)]
pub struct PersonalAgenda {
    pub event_id: String,
    pub day: LocalDate,
    pub entries: Vec<AgendaEntry>,
    pub gaps: Vec<FreeGap>,
    pub conflict_count: u32,
}

#[uniffi::remote(Enum)]
pub enum AlertChange {
    Moved,
    Relocated,
    Retitled,
    Cancelled,
    Reinstated,
    Removed,
    Restored,
}

#[uniffi::remote(Record)]
pub struct ChangeAlert {
    pub id: i64,
    pub event_id: String,
    pub session_id: String,
    pub changes: Vec<AlertChange>,
    pub old: KnownSession,
    pub new: KnownSession,
    pub created_at: Instant,
    pub updated_at: Instant,
    pub seen_at: Option<Instant>,
}

#[uniffi::remote(Record)]
pub struct AlertNotice {
    pub event_id: String,
    pub unseen: u32,
}

#[uniffi::remote(Record)]
pub struct Reminder {
    pub key: String,
    pub notification_id: i32,
    pub event_id: String,
    pub session_id: String,
    pub fire_at: Instant,
    pub session_start: Instant,
    pub title: String,
    pub text: String,
}

#[uniffi::remote(Enum)]
pub enum CalendarSelection {
    Favourites,
    Session(String),
    Programme,
}

#[uniffi::remote(Record)]
pub struct SharedSession {
    pub session: SessionSummary,
    pub mine: bool,
    pub clashes_with: Vec<String>,
}

#[uniffi::remote(Record)]
pub struct SharedFavourites {
    pub event_id: String,
    pub sessions: Vec<SharedSession>,
    pub speaker_ids: Vec<String>,
    pub exhibitor_ids: Vec<String>,
    pub unresolved: u32,
}
