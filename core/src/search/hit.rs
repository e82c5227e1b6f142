//! A session hit's day, time and place, read like the agenda reads them (the event's time zone
//! and day-change hour, the organiser's pending changes applied), so repeated titles can be told
//! apart.
//!
//! The device adds them here, not in the shared engine: the engine knows the indexed words, not
//! the event's clock or its places. The server's web search does not need them: it holds the
//! event's bundle in memory and draws its own agenda rows for the hits
//! (`server/src/programme/search.rs`). What both share is the clock
//! (`marktplatz_model::time::EventClock`), not the store the summaries are read from.

use std::collections::HashMap;

use crate::error::Result;
use crate::store::{SessionSummary, Store};
use marktplatz_model::model::EntityKind;
use marktplatz_search::{SearchHit, WhenAndWhere};

/// Adds to the session hits of `event_id` their day, time and place (one read of the session
/// summaries for all of them).
pub(crate) fn add_when_and_where(
    store: &Store,
    event_id: &str,
    mut hits: Vec<SearchHit>,
) -> Result<Vec<SearchHit>> {
    let session_ids: Vec<String> = hits
        .iter()
        .filter(|hit| hit.kind == EntityKind::Session)
        .map(|hit| hit.id.clone())
        .collect();
    if session_ids.is_empty() {
        return Ok(hits);
    }
    let summaries: HashMap<String, WhenAndWhere> = store
        .session_summaries(event_id, &session_ids)?
        .iter()
        .map(|summary| (summary.id.clone(), when_and_where(summary)))
        .collect();
    for hit in hits
        .iter_mut()
        .filter(|hit| hit.kind == EntityKind::Session)
    {
        hit.when_and_where = summaries.get(&hit.id).cloned();
    }
    Ok(hits)
}

fn when_and_where(summary: &SessionSummary) -> WhenAndWhere {
    WhenAndWhere {
        day: summary.day,
        local_start: summary.local_start.clone(),
        local_end: summary.local_end.clone(),
        place: summary.location_name.clone(),
    }
}
