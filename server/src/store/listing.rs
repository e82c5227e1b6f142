//! The events this server offers to anyone (`GET /v1/events`): reads `event`, `entity` and
//! `event_access`, writes nothing.

use super::engine::{Tx, args};

use marktplatz_model::model::{EntityKind, Event};
use marktplatz_model::wire::ListedEvent;

use super::error::Result;

/// Every event with a published event entity and no access code, by title. An event entity
/// that does not parse (never published so: the publish checks it) is left out and logged.
pub fn public_events(tx: &Tx<'_>) -> Result<Vec<ListedEvent>> {
    let rows = tx.query_all(
        "SELECT e.id, n.body FROM event e
         JOIN entity n ON n.event_id = e.id AND n.kind = $1 AND n.id = e.id
         WHERE n.body IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM event_access a WHERE a.event_id = e.id)",
        args![EntityKind::Event.as_str()],
        |r| Ok((r.get::<String>(0)?, r.get::<String>(1)?)),
    )?;
    let mut events = Vec::new();
    for (id, body) in rows {
        match serde_json::from_str::<Event>(&body) {
            Ok(event) => events.push(ListedEvent {
                first_day: event.days.first().copied(),
                last_day: event.days.last().copied(),
                title: event.title,
                id,
            }),
            Err(error) => {
                tracing::warn!(event = %id, %error, "event list: the event entity does not parse; left out");
            }
        }
    }
    events.sort_by(|a, b| (a.first_day, &a.title, &a.id).cmp(&(b.first_day, &b.title, &b.id)));
    Ok(events)
}
