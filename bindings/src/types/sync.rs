//! Sync progress, outcomes and the listener notices, mirrored for uniffi.

use marktplatz_core::device::{KindCount, SyncOutcome, Update};
use marktplatz_core::favourites::AlertNotice;
use marktplatz_core::sync::outbox::PushReport;
use marktplatz_core::sync::{Phase, Progress, SkippedPage};
use marktplatz_model::model::EntityKind;
use marktplatz_model::wire::ListedEvent;

use super::{Instant, LocalDate};

#[uniffi::remote(Enum)]
pub enum Phase {
    Checking,
    Content,
    Assets,
    Done,
}

#[uniffi::remote(Record)]
pub struct Progress {
    pub event_id: String,
    pub phase: Phase,
    pub bytes: u64,
    pub entities: u64,
    pub seq_done: u64,
    pub seq_total: u64,
    pub assets_done: u32,
    pub assets_total: u32,
}

#[uniffi::remote(Record)]
pub struct KindCount {
    pub kind: EntityKind,
    pub added: u32,
    pub updated: u32,
    pub removed: u32,
}

#[uniffi::remote(Record)]
pub struct SkippedPage {
    pub since: u64,
    pub next: u64,
}

#[uniffi::remote(Record)]
pub struct SyncOutcome {
    pub event_id: String,
    pub changed: Vec<KindCount>,
    pub not_modified: bool,
    pub rebootstrapped: bool,
    pub cursor: u64,
    pub bytes: u64,
    pub pages: u32,
    pub budget_spent: bool,
    pub skipped_pages: Vec<SkippedPage>,
    pub assets_downloaded: u32,
    pub assets_failed: u32,
    pub push: Option<PushReport>,
    pub push_error: Option<String>,
    pub elapsed_ms: u64,
    pub synced_at: Instant,
}

#[uniffi::remote(Enum)]
pub enum Update {
    SyncProgress { progress: Progress },
    SyncFinished { outcome: SyncOutcome },
    SyncFailed { event_id: String, message: String },
    Alerts { notice: AlertNotice },
}

/// One event a server offers to anyone (`server_events`).
#[uniffi::remote(Record)]
pub struct ListedEvent {
    pub id: String,
    pub title: String,
    pub first_day: Option<LocalDate>,
    pub last_day: Option<LocalDate>,
}
