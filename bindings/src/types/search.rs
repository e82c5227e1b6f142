//! Search queries and hits, mirrored for uniffi.

use marktplatz_core::search::{Highlight, SearchHit, SearchQuery, WhenAndWhere};
use marktplatz_model::model::EntityKind;

use super::{Instant, LocalDate};

#[uniffi::remote(Record)]
pub struct SearchQuery {
    pub text: String,
    pub event_id: String,
    pub kinds: Vec<EntityKind>,
    pub day: Option<LocalDate>,
    pub track_id: Option<String>,
    pub location_id: Option<String>,
    pub favourites_only: bool,
    pub upcoming_only: bool,
    pub now: Instant,
    pub limit: u32,
}

#[uniffi::remote(Record)]
pub struct SearchHit {
    pub kind: EntityKind,
    pub id: String,
    pub event_id: String,
    pub title: String,
    pub context: String,
    pub title_highlights: Vec<Highlight>,
    pub context_highlights: Vec<Highlight>,
    pub start: Option<Instant>,
    pub when_and_where: Option<WhenAndWhere>,
}

#[uniffi::remote(Record)]
pub struct WhenAndWhere {
    pub day: LocalDate,
    pub local_start: String,
    pub local_end: String,
    pub place: Option<String>,
}

#[uniffi::remote(Record)]
pub struct Highlight {
    pub start: u32,
    pub end: u32,
}
