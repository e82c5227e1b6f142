//! The ids a session row refers to (its location's and its track's), each stored once per event
//! in `id_ref` and named in the row and its indexes by number (content v10; issue 23, ADR 0010
//! part 12). 36C3's ids are 36-character GUIDs: held in the row and three indexes they took
//! 280 KB for 90 locations and 30 tracks.
//!
//! The writer ([`Refs`], in `ContentTx`) adds a ref the first time an event's session names an
//! id; refs are never renumbered, and go with the event (`ContentTx::clear_event`). Readers map
//! numbers back with the event's few refs ([`ids_of_event`]), or find a row by an id through
//! [`ref_of_id`].

use std::collections::HashMap;

use rusqlite::{Connection, params};

use crate::error::{Result, SqliteContext};

/// SQL for the ref of the id `?2` in the event `?1` (NULL when no session names it: nothing
/// matches), as a literal for `concat!`.
macro_rules! ref_of_id {
    () => {
        "(SELECT ref FROM id_ref WHERE event_id = ?1 AND id = ?2)"
    };
}
pub(crate) use ref_of_id;

/// The refs a write transaction has looked up or added, by event and id: a first sync names a
/// few hundred ids thousands of times.
#[derive(Default)]
pub(crate) struct Refs(HashMap<String, HashMap<String, i64>>);

impl Refs {
    /// The ref of `id` in `event_id`, added when none is stored yet.
    pub(crate) fn of(&mut self, conn: &Connection, event_id: &str, id: &str) -> Result<i64> {
        if let Some(known) = self.0.get(event_id).and_then(|refs| refs.get(id)) {
            return Ok(*known);
        }
        conn.prepare_cached("INSERT OR IGNORE INTO id_ref (event_id, id) VALUES (?1, ?2)")
            .and_then(|mut s| s.execute(params![event_id, id]))
            .context("numbering an id")?;
        let found: i64 = conn
            .prepare_cached("SELECT ref FROM id_ref WHERE event_id = ?1 AND id = ?2")
            .and_then(|mut s| s.query_row(params![event_id, id], |r| r.get(0)))
            .context("numbering an id")?;
        self.0
            .entry(event_id.to_string())
            .or_default()
            .insert(id.to_string(), found);
        Ok(found)
    }

    /// [`Refs::of`] for an optional id.
    pub(crate) fn of_optional(
        &mut self,
        conn: &Connection,
        event_id: &str,
        id: Option<&str>,
    ) -> Result<Option<i64>> {
        id.map(|id| self.of(conn, event_id, id)).transpose()
    }

    /// Forgets `event_id`'s refs, as its rows are deleted.
    pub(crate) fn forget(&mut self, event_id: &str) {
        self.0.remove(event_id);
    }
}

/// Every ref of `event_id`, to the id it stands for.
pub(crate) fn ids_of_event(conn: &Connection, event_id: &str) -> Result<HashMap<i64, String>> {
    let mut stmt = conn
        .prepare_cached("SELECT ref, id FROM id_ref WHERE event_id = ?1")
        .context("reading the event's ids")?;
    let rows = stmt
        .query_map([event_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .context("reading the event's ids")?;
    rows.collect::<rusqlite::Result<_>>()
        .context("reading the event's ids")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn an_id_keeps_its_ref_within_an_event_and_events_have_their_own() {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::store::schema::migrate(&mut conn, &crate::store::schema::CONTENT).unwrap();
        let mut refs = Refs::default();
        let room = refs.of(&conn, "a", "room-1").unwrap();
        assert_eq!(refs.of(&conn, "a", "room-1").unwrap(), room);
        let other = refs.of(&conn, "b", "room-1").unwrap();
        assert_ne!(other, room);
        // A new transaction's cache finds the stored refs.
        let mut fresh = Refs::default();
        assert_eq!(fresh.of(&conn, "a", "room-1").unwrap(), room);
        assert_eq!(fresh.of_optional(&conn, "a", None).unwrap(), None);
        let ids = ids_of_event(&conn, "a").unwrap();
        assert_eq!(ids, HashMap::from([(room, "room-1".to_string())]));
        let found: Option<i64> = conn
            .query_row(concat!("SELECT ", ref_of_id!()), ["b", "room-1"], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(found, Some(other));
    }
}
