//! The content model: plain Rust types with serde, shared by server, device and importers.
//!
//! Every entity has a stable string id, unique per (event, kind). Times are UTC instants; local
//! days and wall-clock times are derived in the event's IANA timezone (see [`crate::time`]).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The kinds of entity an event is made of. The wire protocol and the store key on these.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
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

impl EntityKind {
    pub const ALL: [EntityKind; 9] = [
        EntityKind::Event,
        EntityKind::Location,
        EntityKind::Track,
        EntityKind::Session,
        EntityKind::Speaker,
        EntityKind::Exhibitor,
        EntityKind::Announcement,
        EntityKind::GalleryItem,
        EntityKind::InfoPage,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Event => "event",
            EntityKind::Location => "location",
            EntityKind::Track => "track",
            EntityKind::Session => "session",
            EntityKind::Speaker => "speaker",
            EntityKind::Exhibitor => "exhibitor",
            EntityKind::Announcement => "announcement",
            EntityKind::GalleryItem => "gallery_item",
            EntityKind::InfoPage => "info_page",
        }
    }

    pub fn parse(text: &str) -> Option<EntityKind> {
        EntityKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == text)
    }
}

impl std::fmt::Display for EntityKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A file the content refers to (photo, logo, map, gallery image), addressed by its SHA-256.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AssetRef {
    /// Lower-case hex SHA-256 of the bytes.
    pub sha256: String,
    pub media_type: String,
    pub bytes: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Venue {
    pub name: String,
    #[serde(default)]
    pub street: String,
    #[serde(default)]
    pub postal_code: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub country: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latitude: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longitude: Option<f64>,
    /// The venue map the locations' positions refer to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub map: Option<AssetRef>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub subtitle: Option<String>,
    #[serde(default)]
    pub description: String,
    pub venue: Venue,
    /// IANA timezone name, e.g. `Europe/Berlin`.
    pub timezone: String,
    /// The event's local days, in order.
    pub days: Vec<NaiveDate>,
    /// Local hour (0..=23) at which one conference day ends and the next begins: a talk at 01:30
    /// with a day change at 04 belongs to the previous day's programme.
    #[serde(default)]
    pub day_change_hour: u8,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo: Option<AssetRef>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum LocationKind {
    Hall,
    #[default]
    Room,
    Station,
    Booth,
    Outdoor,
    Other,
}

impl LocationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LocationKind::Hall => "hall",
            LocationKind::Room => "room",
            LocationKind::Station => "station",
            LocationKind::Booth => "booth",
            LocationKind::Outdoor => "outdoor",
            LocationKind::Other => "other",
        }
    }
}

/// A point on the venue map, in fractions of its width and height (0.0..=1.0).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapPosition {
    pub x: f64,
    pub y: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Location {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub kind: LocationKind,
    /// The hall a station or booth stands in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<String>,
    #[serde(default)]
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<MapPosition>,
    #[serde(default)]
    pub sort_order: i32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Track {
    pub id: String,
    pub name: String,
    /// `#rrggbb`, for the shells' track chips.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    #[serde(default)]
    pub description: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum SessionKind {
    Keynote,
    #[default]
    Talk,
    Workshop,
    Panel,
    Break,
    Other,
}

impl SessionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SessionKind::Keynote => "keynote",
            SessionKind::Talk => "talk",
            SessionKind::Workshop => "workshop",
            SessionKind::Panel => "panel",
            SessionKind::Break => "break",
            SessionKind::Other => "other",
        }
    }

    /// The kind `as_str` names (what content.db keeps in `session.kind`).
    pub fn parse(text: &str) -> Option<SessionKind> {
        [
            SessionKind::Keynote,
            SessionKind::Talk,
            SessionKind::Workshop,
            SessionKind::Panel,
            SessionKind::Break,
            SessionKind::Other,
        ]
        .into_iter()
        .find(|kind| kind.as_str() == text)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum SessionStatus {
    #[default]
    Scheduled,
    Cancelled,
}

impl SessionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SessionStatus::Scheduled => "scheduled",
            SessionStatus::Cancelled => "cancelled",
        }
    }

    /// The status `as_str` names (what content.db keeps in `session.status`).
    pub fn parse(text: &str) -> Option<SessionStatus> {
        [SessionStatus::Scheduled, SessionStatus::Cancelled]
            .into_iter()
            .find(|status| status.as_str() == text)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    #[serde(default)]
    pub title: String,
    pub url: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub id: String,
    #[serde(default)]
    pub kind: SessionKind,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtitle: Option<String>,
    /// The short teaser (`abstract` in schedule files; a keyword in Kotlin and Swift).
    #[serde(default, rename = "abstract")]
    pub abstract_text: String,
    #[serde(default)]
    pub description: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub track_id: Option<String>,
    /// ISO 639-1 codes, e.g. `["de"]` or `["de", "en"]`.
    #[serde(default)]
    pub languages: Vec<String>,
    #[serde(default)]
    pub speaker_ids: Vec<String>,
    #[serde(default)]
    pub status: SessionStatus,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Speaker {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(default)]
    pub bio: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo: Option<AssetRef>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Exhibitor {
    pub id: String,
    pub name: String,
    /// The station (or booth) where the exhibitor stands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub station_id: Option<String>,
    #[serde(default)]
    pub topics: Vec<String>,
    #[serde(default)]
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Contact>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo: Option<AssetRef>,
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    #[default]
    Normal,
    Important,
    Urgent,
}

impl Priority {
    pub fn as_str(self) -> &'static str {
        match self {
            Priority::Normal => "normal",
            Priority::Important => "important",
            Priority::Urgent => "urgent",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Announcement {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub priority: Priority,
    pub published_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GalleryItem {
    pub id: String,
    pub image: AssetRef,
    /// A small version for lists; produced by the publisher so phones never fetch a full photo to
    /// show a grid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbnail: Option<AssetRef>,
    #[serde(default)]
    pub caption: String,
    #[serde(default)]
    pub credit: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taken_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InfoPage {
    pub id: String,
    pub title: String,
    /// Plain text with blank lines between paragraphs.
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub sort_order: i32,
}

/// One entity of any kind: the unit of change in sync and publishing.
#[derive(Clone, Debug, PartialEq)]
pub enum Entity {
    Event(Event),
    Location(Location),
    Track(Track),
    Session(Session),
    Speaker(Speaker),
    Exhibitor(Exhibitor),
    Announcement(Announcement),
    GalleryItem(GalleryItem),
    InfoPage(InfoPage),
}

impl Entity {
    pub fn kind(&self) -> EntityKind {
        match self {
            Entity::Event(_) => EntityKind::Event,
            Entity::Location(_) => EntityKind::Location,
            Entity::Track(_) => EntityKind::Track,
            Entity::Session(_) => EntityKind::Session,
            Entity::Speaker(_) => EntityKind::Speaker,
            Entity::Exhibitor(_) => EntityKind::Exhibitor,
            Entity::Announcement(_) => EntityKind::Announcement,
            Entity::GalleryItem(_) => EntityKind::GalleryItem,
            Entity::InfoPage(_) => EntityKind::InfoPage,
        }
    }

    pub fn id(&self) -> &str {
        match self {
            Entity::Event(e) => &e.id,
            Entity::Location(e) => &e.id,
            Entity::Track(e) => &e.id,
            Entity::Session(e) => &e.id,
            Entity::Speaker(e) => &e.id,
            Entity::Exhibitor(e) => &e.id,
            Entity::Announcement(e) => &e.id,
            Entity::GalleryItem(e) => &e.id,
            Entity::InfoPage(e) => &e.id,
        }
    }

    /// The entity's JSON body (without kind), as stored and sent on the wire.
    pub fn to_json(&self) -> serde_json::Result<String> {
        match self {
            Entity::Event(e) => serde_json::to_string(e),
            Entity::Location(e) => serde_json::to_string(e),
            Entity::Track(e) => serde_json::to_string(e),
            Entity::Session(e) => serde_json::to_string(e),
            Entity::Speaker(e) => serde_json::to_string(e),
            Entity::Exhibitor(e) => serde_json::to_string(e),
            Entity::Announcement(e) => serde_json::to_string(e),
            Entity::GalleryItem(e) => serde_json::to_string(e),
            Entity::InfoPage(e) => serde_json::to_string(e),
        }
    }

    /// Decodes a JSON body of the given kind.
    pub fn from_json(kind: EntityKind, json: &str) -> serde_json::Result<Entity> {
        Ok(match kind {
            EntityKind::Event => Entity::Event(serde_json::from_str(json)?),
            EntityKind::Location => Entity::Location(serde_json::from_str(json)?),
            EntityKind::Track => Entity::Track(serde_json::from_str(json)?),
            EntityKind::Session => Entity::Session(serde_json::from_str(json)?),
            EntityKind::Speaker => Entity::Speaker(serde_json::from_str(json)?),
            EntityKind::Exhibitor => Entity::Exhibitor(serde_json::from_str(json)?),
            EntityKind::Announcement => Entity::Announcement(serde_json::from_str(json)?),
            EntityKind::GalleryItem => Entity::GalleryItem(serde_json::from_str(json)?),
            EntityKind::InfoPage => Entity::InfoPage(serde_json::from_str(json)?),
        })
    }

    /// Every asset this entity refers to.
    pub fn assets(&self) -> Vec<&AssetRef> {
        match self {
            Entity::Event(e) => e.logo.iter().chain(e.venue.map.iter()).collect(),
            Entity::Speaker(s) => s.photo.iter().collect(),
            Entity::Exhibitor(x) => x.logo.iter().collect(),
            Entity::GalleryItem(g) => std::iter::once(&g.image)
                .chain(g.thumbnail.iter())
                .collect(),
            Entity::Location(_)
            | Entity::Track(_)
            | Entity::Session(_)
            | Entity::Announcement(_)
            | Entity::InfoPage(_) => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entity_kind_names_round_trip() {
        for kind in EntityKind::ALL {
            assert_eq!(EntityKind::parse(kind.as_str()), Some(kind));
            let json = serde_json::to_string(&kind).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
        }
        assert_eq!(EntityKind::parse("nonsense"), None);
    }

    /// The stored columns are read with `parse`: it must name exactly what serde writes.
    #[test]
    fn session_kind_and_status_names_round_trip() {
        for name in ["keynote", "talk", "workshop", "panel", "break", "other"] {
            let kind = SessionKind::parse(name).unwrap_or_default();
            assert_eq!(kind.as_str(), name);
            assert_eq!(
                serde_json::to_string(&kind).unwrap_or_default(),
                format!("\"{name}\"")
            );
        }
        for name in ["scheduled", "cancelled"] {
            let status = SessionStatus::parse(name).unwrap_or_default();
            assert_eq!(status.as_str(), name);
            assert_eq!(
                serde_json::to_string(&status).unwrap_or_default(),
                format!("\"{name}\"")
            );
        }
        assert_eq!(SessionKind::parse("Talk"), None);
        assert_eq!(SessionStatus::parse(""), None);
    }

    #[test]
    fn session_abstract_uses_schedule_field_name() {
        let json = r#"{"id":"s1","title":"T","abstract":"kurz","start":"2027-03-04T09:00:00Z","end":"2027-03-04T10:00:00Z"}"#;
        let entity = Entity::from_json(EntityKind::Session, json);
        let Ok(Entity::Session(session)) = entity else {
            panic!("session did not decode: {entity:?}");
        };
        assert_eq!(session.abstract_text, "kurz");
        assert_eq!(session.status, SessionStatus::Scheduled);
        assert!(
            Entity::Session(session)
                .to_json()
                .unwrap_or_default()
                .contains("\"abstract\":\"kurz\"")
        );
    }
}
