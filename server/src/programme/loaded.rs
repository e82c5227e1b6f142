//! The event's published content as the pages read it ([`Loaded`]), kept per event at its head
//! ([`Contents`]): every page of a head after the first renders from memory instead of reading
//! and parsing every entity again (what made a day page of 36C3 cost 20 ms).

use std::sync::Arc;

use marktplatz_model::bundle::Bundle;
use marktplatz_model::model::EntityKind;
use marktplatz_model::wire::Head;

use super::view::Content;
use crate::cache::AtHead;
use crate::cache::at_head::Made;
use crate::http::error::{ApiError, ApiResult};
use crate::store::{Db, StoreError, change_log};

/// Most bytes (roughly) the loaded content of all events may hold together.
pub const MAX_BYTES: usize = 256 * 1024 * 1024;

/// What parsed content holds per byte of its stored JSON, roughly (strings, maps, indexes).
const PARSED_PER_STORED_BYTE: usize = 2;

/// The event's content and when it last changed.
pub struct Loaded {
    pub content: Content,
    /// Unix seconds.
    pub updated_at: i64,
}

/// Each event's loaded content at its head.
pub type Contents = AtHead<Loaded>;

pub fn contents() -> Contents {
    AtHead::new(MAX_BYTES)
}

/// `event`'s content at `head` (or newer), from memory when held.
pub async fn load(
    contents: &Contents,
    db: &Db,
    event: &str,
    head: &Head,
) -> ApiResult<Arc<Loaded>> {
    contents
        .get(event, head, async || read(db, event).await)
        .await
}

async fn read(db: &Db, event: &str) -> ApiResult<Made<Loaded>> {
    let id = event.to_string();
    let (current, updated_at) = db
        .read(move |tx| {
            let current = change_log::current_entities(tx, &id)?;
            Ok((current, change_log::updated_at(tx, &id)?.unwrap_or(0)))
        })
        .await?;
    if !current
        .entities
        .iter()
        .any(|e| e.kind() == EntityKind::Event)
    {
        return Err(ApiError::not_found(format!(
            "event '{event}' has no published content yet"
        )));
    }
    let bundle = Bundle::from_entities(current.entities).map_err(StoreError::from)?;
    let content = Content::new(bundle).map_err(StoreError::from)?;
    Ok(Made {
        head: current.head,
        bytes: current.body_bytes.saturating_mul(PARSED_PER_STORED_BYTE),
        value: Loaded {
            content,
            updated_at,
        },
    })
}
