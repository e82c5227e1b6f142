//! Organiser operations and the device's outbox, mirrored for uniffi.

use marktplatz_core::sync::organiser::OrganiserInfo;
use marktplatz_core::sync::outbox::{OpState, OutboxEntry, PushReport, PushStop, Rejection};
use marktplatz_model::model::{AssetRef, MapPosition, Priority};
use marktplatz_model::ops::Op;

use super::Instant;

#[uniffi::remote(Enum)]
pub enum Op {
    AnnouncementCreate {
        id: String,
        title: String,
        body: String,
        priority: Priority,
        published_at: Instant,
        expires_at: Option<Instant>,
    },
    AnnouncementEdit {
        id: String,
        title: Option<String>,
        body: Option<String>,
        priority: Option<Priority>,
        expires_at: Option<Instant>,
    },
    AnnouncementRetract {
        id: String,
    },
    SessionMove {
        id: String,
        location_id: String,
    },
    SessionRetime {
        id: String,
        start: Instant,
        end: Instant,
    },
    SessionEdit {
        id: String,
        title: Option<String>,
        subtitle: Option<String>,
        abstract_text: Option<String>,
        description: Option<String>,
    },
    SessionCancel {
        id: String,
    },
    SessionReinstate {
        id: String,
    },
    ExhibitorEdit {
        id: String,
        name: Option<String>,
        description: Option<String>,
        station_id: Option<String>,
        topics: Option<Vec<String>>,
        website: Option<String>,
        email: Option<String>,
        phone: Option<String>,
        logo: Option<AssetRef>,
    },
    StationEdit {
        id: String,
        name: Option<String>,
        description: Option<String>,
        position: Option<MapPosition>,
    },
    VenueMap {
        id: String,
        map: AssetRef,
    },
    PhotoAdd {
        id: String,
        image: AssetRef,
        caption: String,
        credit: String,
        taken_at: Option<Instant>,
    },
    PhotoEdit {
        id: String,
        caption: Option<String>,
        credit: Option<String>,
    },
    PhotoRemove {
        id: String,
    },
    InfoAdd {
        id: String,
        title: String,
        body: String,
        sort_order: i32,
    },
    InfoEdit {
        id: String,
        title: Option<String>,
        body: Option<String>,
        sort_order: Option<i32>,
    },
    InfoRemove {
        id: String,
    },
}

#[uniffi::remote(Enum)]
pub enum OpState {
    Pending,
    InFlight,
    Accepted,
    Rejected,
    Done,
    Overridden,
}

#[uniffi::remote(Record)]
pub struct Rejection {
    pub status: u16,
    pub code: String,
    pub message: String,
    pub current_seq: Option<u64>,
    pub current_body: Option<String>,
}

#[uniffi::remote(Record)]
pub struct OutboxEntry {
    pub id: i64,
    pub event_id: String,
    pub key: String,
    pub op: Op,
    pub state: OpState,
    pub attempts: u32,
    pub next_attempt_at: Option<Instant>,
    pub last_error: Option<String>,
    pub seq: Option<u64>,
    pub rejection: Option<Rejection>,
    pub overridden_by: Option<u64>,
    pub created_at: Instant,
}

#[uniffi::remote(Record)]
pub struct OrganiserInfo {
    pub event_id: String,
    pub server_url: String,
    pub token_id: String,
}

#[uniffi::remote(Enum)]
pub enum PushStop {
    Offline(String),
    Unauthorized(String),
}

#[uniffi::remote(Record)]
pub struct PushReport {
    pub accepted: u32,
    pub replayed: u32,
    pub rejected: u32,
    pub remaining: u32,
    pub stopped: Option<PushStop>,
    pub next_attempt_at: Option<Instant>,
}
