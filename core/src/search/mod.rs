//! Full-text search over an event's content (SQLite FTS5, German-aware), built for type-ahead on
//! a phone without signal.
//!
//! Matching is case-insensitive, folds diacritics and the German transliterations (Bürgeramt =
//! Buergeramt = Burgeramt, Straße = Strasse), completes the last word as it is typed, finds words
//! inside compounds (rechnung → E-Rechnungsplattform), forgives one typo in words of five or more
//! letters, requires every word (any order) and honours quoted phrases. Any input is safe: what
//! the user typed never reaches FTS5 as syntax. See `docs/adr/0004-search.md`.
//!
//! Searching reads the index the store keeps (`store::search_index`) and the in-memory
//! [`SearchCache`] its caller holds beside the store (the [`crate::device::Device`] holds one):
//! free functions over `&Store`, like the other features.
//!
//! Jobs: the text rules (what a word is, what was typed, one typo) are the engine's
//! ([`marktplatz_search`]); here `vocab` word → indexed words (prefix, infix, typo); `plan` →
//! MATCH expressions; `matcher` which words a query word matches; `rank` ordering; `highlight`
//! underlines and context; `run` one search from typed text to hits; `snapshot` the in-memory
//! state reused between keystrokes; `cancel` interrupting a superseded query.

mod cancel;
mod highlight;
mod matcher;
mod plan;
mod rank;
mod run;
mod snapshot;
mod vocab;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

pub use crate::store::search_index::SEARCHED_KINDS;
pub use cancel::{SearchCancel, TypeAhead};
pub use highlight::Highlight;
pub use run::MAX_LIMIT;
pub use snapshot::{CacheStats, SearchCache};

use crate::error::Result;
use crate::store::Store;
use marktplatz_model::model::EntityKind;

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
}

/// Searches an event's content. Never fails because of what was typed. `cache` is kept beside
/// `store` between searches (the first search after content changed rebuilds it).
pub fn search(store: &Store, cache: &SearchCache, query: &SearchQuery) -> Result<Vec<SearchHit>> {
    run::search(store, cache, query, None)
}

/// Loads the search's in-memory state for the current content, so the next keystroke does not
/// pay for it. Call it after a sync applied pages (it takes about half a second for 20,000
/// entities; a keystroke takes a few milliseconds once it is loaded).
pub fn warm_search(store: &Store, cache: &SearchCache) -> Result<()> {
    store.read(|tx| cache.get(tx).map(|_| ()))
}

/// Like [`search`], but [`SearchCancel::cancel`] (from any thread) stops it with
/// [`crate::Error::Cancelled`]. [`TypeAhead`] hands out one handle per keystroke.
pub fn search_cancellable(
    store: &Store,
    cache: &SearchCache,
    query: &SearchQuery,
    cancel: &SearchCancel,
) -> Result<Vec<SearchHit>> {
    run::search(store, cache, query, Some(cancel))
}

impl TypeAhead {
    /// Searches, cancelling the previous search of this type-ahead if it is still running (it
    /// returns [`crate::Error::Cancelled`]).
    pub fn search(
        &self,
        store: &Store,
        cache: &SearchCache,
        query: &SearchQuery,
    ) -> Result<Vec<SearchHit>> {
        let cancel = self.next_query();
        search_cancellable(store, cache, query, &cancel)
    }
}

#[cfg(test)]
mod tests;
