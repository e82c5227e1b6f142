//! The core's model and view types, mirrored for uniffi (`remote`: the core knows nothing of
//! uniffi, so each exported type is restated here field for field; the compiler checks that
//! every mirror matches its original).

use std::time::SystemTime;

use chrono::{DateTime, NaiveDate, Utc};
use marktplatz_core::model::*;
use marktplatz_core::store::*;

/// An instant: `java.time.Instant` in Kotlin, `Date` in Swift.
pub type Instant = DateTime<Utc>;
uniffi::custom_type!(Instant, SystemTime, {
    remote,
    lower: |instant| instant.into(),
    try_lift: |time| Ok(DateTime::<Utc>::from(time)),
});

/// A calendar day (`YYYY-MM-DD` on the wire; `java.time.LocalDate` in Kotlin).
pub type LocalDate = NaiveDate;
uniffi::custom_type!(LocalDate, String, {
    remote,
    lower: |day| day.to_string(),
    try_lift: |text| Ok(text.parse::<NaiveDate>()?),
});

#[uniffi::remote(Enum)]
pub enum EntityKind {
    Event,
    Location,
    Track,
    Session,
    Speaker,
    Exhibitor,
    Announcement,
    GalleryItem,
    InfoPage,
}

#[uniffi::remote(Record)]
pub struct AssetRef {
    pub sha256: String,
    pub media_type: String,
    pub bytes: u64,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

#[uniffi::remote(Record)]
pub struct Venue {
    pub name: String,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub country: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub map: Option<AssetRef>,
}

#[uniffi::remote(Record)]
pub struct Event {
    pub id: String,
    pub title: String,
    pub subtitle: Option<String>,
    pub description: String,
    pub venue: Venue,
    pub timezone: String,
    pub days: Vec<LocalDate>,
    pub day_change_hour: u8,
    pub languages: Vec<String>,
    pub url: Option<String>,
    pub logo: Option<AssetRef>,
}

#[uniffi::remote(Enum)]
pub enum LocationKind {
    Hall,
    Room,
    Station,
    Booth,
    Outdoor,
    Other,
}

#[uniffi::remote(Record)]
pub struct MapPosition {
    pub x: f64,
    pub y: f64,
}

#[uniffi::remote(Record)]
pub struct Location {
    pub id: String,
    pub name: String,
    pub kind: LocationKind,
    pub parent_id: Option<String>,
    pub description: String,
    pub position: Option<MapPosition>,
    pub sort_order: i32,
}

#[uniffi::remote(Record)]
pub struct Track {
    pub id: String,
    pub name: String,
    pub color: Option<String>,
    pub description: String,
}

#[uniffi::remote(Enum)]
pub enum SessionKind {
    Keynote,
    Talk,
    Workshop,
    Panel,
    Break,
    Other,
}

#[uniffi::remote(Enum)]
pub enum SessionStatus {
    Scheduled,
    Cancelled,
}

#[uniffi::remote(Record)]
pub struct Link {
    pub title: String,
    pub url: String,
}

#[uniffi::remote(Record)]
pub struct Session {
    pub id: String,
    pub kind: SessionKind,
    pub title: String,
    pub subtitle: Option<String>,
    pub abstract_text: String,
    pub description: String,
    pub start: Instant,
    pub end: Instant,
    pub location_id: Option<String>,
    pub track_id: Option<String>,
    pub languages: Vec<String>,
    pub speaker_ids: Vec<String>,
    pub status: SessionStatus,
    pub tags: Vec<String>,
    pub links: Vec<Link>,
}

#[uniffi::remote(Record)]
pub struct Speaker {
    pub id: String,
    pub name: String,
    pub organisation: Option<String>,
    pub role: Option<String>,
    pub bio: String,
    pub photo: Option<AssetRef>,
    pub links: Vec<Link>,
}

#[uniffi::remote(Record)]
pub struct Contact {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[uniffi::remote(Record)]
pub struct Exhibitor {
    pub id: String,
    pub name: String,
    pub station_id: Option<String>,
    pub topics: Vec<String>,
    pub description: String,
    pub contact: Option<Contact>,
    pub website: Option<String>,
    pub logo: Option<AssetRef>,
}

#[uniffi::remote(Enum)]
pub enum Priority {
    Normal,
    Important,
    Urgent,
}

#[uniffi::remote(Record)]
pub struct Announcement {
    pub id: String,
    pub title: String,
    pub body: String,
    pub priority: Priority,
    pub published_at: Instant,
    pub expires_at: Option<Instant>,
}

#[uniffi::remote(Record)]
pub struct GalleryItem {
    pub id: String,
    pub image: AssetRef,
    pub thumbnail: Option<AssetRef>,
    pub caption: String,
    pub credit: String,
    pub taken_at: Option<Instant>,
}

#[uniffi::remote(Record)]
pub struct InfoPage {
    pub id: String,
    pub title: String,
    pub body: String,
    pub sort_order: i32,
}

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
