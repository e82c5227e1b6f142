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
//! Jobs: the engine itself (what a word is, what was typed, expansion, planning, ranking,
//! highlighting) is [`marktplatz_search`], which the server runs too; here `run` is the engine
//! over the store's FTS5 index, `snapshot` the engine's in-memory state loaded from it and kept
//! between keystrokes, `cancel` interrupting a superseded query, `type_ahead` answering
//! keystrokes in the order they were typed, `hit` adding a session's day, time and place.

mod cancel;
mod hit;
mod run;
mod snapshot;
mod type_ahead;

pub use crate::store::search_index::SEARCHED_KINDS;
pub use cancel::SearchCancel;
pub use marktplatz_search::{Highlight, MAX_LIMIT, SearchHit, SearchQuery, WhenAndWhere};
pub use snapshot::{CacheStats, SNAPSHOT_FILE, SearchCache};
pub use type_ahead::{Ticket, TypeAhead};

use crate::error::Result;
use crate::store::Store;

/// Searches an event's content. Never fails because of what was typed. `cache` is kept beside
/// `store` between searches (the first search after content changed rebuilds it).
pub fn search(store: &Store, cache: &SearchCache, query: &SearchQuery) -> Result<Vec<SearchHit>> {
    let hits = run::search(store, cache, query, None)?;
    hit::add_when_and_where(store, &query.event_id, hits)
}

/// Loads the search's in-memory state for the current content, so the next keystroke does not
/// pay for it. Call it after a sync applied pages (it takes about half a second for 20,000
/// entities; a keystroke takes a few milliseconds once it is loaded).
pub fn warm_search(store: &Store, cache: &SearchCache) -> Result<()> {
    store.read_scan(|tx| cache.get(tx).map(|_| ()))
}

/// Like [`search`], but [`SearchCancel::cancel`] (from any thread) stops it with
/// [`crate::Error::Cancelled`]. [`TypeAhead`] hands out one handle per keystroke.
pub fn search_cancellable(
    store: &Store,
    cache: &SearchCache,
    query: &SearchQuery,
    cancel: &SearchCancel,
) -> Result<Vec<SearchHit>> {
    let hits = run::search(store, cache, query, Some(cancel))?;
    hit::add_when_and_where(store, &query.event_id, hits)
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_persisted;
#[cfg(test)]
mod tests_type_ahead;
#[cfg(test)]
mod tests_when;
