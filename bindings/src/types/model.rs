//! The content model, mirrored for uniffi.

use super::{Instant, LocalDate};
use marktplatz_model::model::*;

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
