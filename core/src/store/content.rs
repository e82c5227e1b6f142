//! The one writer of content.db: upserts and deletes entities inside a caller-owned transaction,
//! keeping the derived columns (conference day, speaker and topic links) in step.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction, params};

use super::deferred_index;
use super::entities::{read_entity, table_of};
use super::id_ref::Refs;
use crate::error::{Error, Result, SqliteContext};
use marktplatz_model::model::*;
use marktplatz_model::time::EventClock;

/// `UPDATE session SET speaker_names = ...` for the sessions `$which` selects: the names a
/// session's list row shows (`session.speaker_names`, content v5), from its links and the stored
/// speakers, refreshed whenever a session or one of its speakers changes.
macro_rules! refresh_speaker_names {
    ($which:literal) => {
        concat!(
            "UPDATE session SET speaker_names =
               (SELECT group_concat(sp.name, char(31) ORDER BY ss.position)
                  FROM session_speaker ss
                  JOIN speaker sp ON sp.event_id = ss.event_id AND sp.id = ss.speaker_id
                 WHERE ss.event_id = session.event_id AND ss.session_id = session.id)
             WHERE event_id = ?1 AND ",
            $which
        )
    };
}

/// For one session (`?2`).
const REFRESH_SPEAKER_NAMES_OF_SESSION: &str = refresh_speaker_names!("id = ?2");

/// For every session a speaker (`?2`) is linked to.
const REFRESH_SPEAKER_NAMES_OF_SPEAKER: &str = refresh_speaker_names!(
    "id IN (SELECT session_id FROM session_speaker WHERE event_id = ?1 AND speaker_id = ?2)"
);

/// For every session of the event whose names are not those of its links, once, when a deferred
/// first sync completes: its pages wrote each session with the names of the speakers stored
/// before it, so only sessions that arrived before one of their speakers are written again (an
/// update rewrites the session's entries in both covering indexes).
const REFRESH_SPEAKER_NAMES_OF_EVENT: &str = concat!(
    refresh_speaker_names!("1"),
    " AND speaker_names IS NOT
       (SELECT group_concat(sp.name, char(31) ORDER BY ss.position)
          FROM session_speaker ss
          JOIN speaker sp ON sp.event_id = ss.event_id AND sp.id = ss.speaker_id
         WHERE ss.event_id = session.event_id AND ss.session_id = session.id)"
);

/// What one upsert or delete did, for change summaries and alerts.
#[derive(Clone, Debug, PartialEq)]
pub struct AppliedChange {
    pub kind: EntityKind,
    pub id: String,
    pub old: Option<Entity>,
    pub new: Option<Entity>,
}

impl AppliedChange {
    pub fn is_noop(&self) -> bool {
        self.old == self.new
    }
}

pub struct ContentTx<'conn> {
    tx: Transaction<'conn>,
    clocks: HashMap<String, Option<EventClock>>,
    touched_events: Vec<String>,
    /// Writes skip what is derived from other rows (speaker names, the search index) until
    /// [`ContentTx::build_derived`]: a first sync builds them once at its end.
    defer_derived: bool,
    /// [`ContentTx::build_derived`] ran in this transaction.
    derived_built: bool,
    /// The session list indexes stay dropped past this transaction (a first sync's page, see
    /// [`ContentTx::defer_indexes`]); any other write creates them again.
    indexes_deferred: bool,
    /// The location and track ids sessions name, by number (`id_ref`).
    refs: Refs,
}

/// What a committed content transaction was to the WAL (see `Store::write_content`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum BulkWrite {
    /// A page of a first sync that more pages will follow.
    Continues,
    /// The end of a first sync (or a whole bundle loaded at once).
    Ended,
    /// Any other write.
    No,
}

impl<'conn> ContentTx<'conn> {
    pub(super) fn new(tx: Transaction<'conn>) -> ContentTx<'conn> {
        ContentTx {
            tx,
            clocks: HashMap::new(),
            touched_events: Vec::new(),
            defer_derived: false,
            derived_built: false,
            indexes_deferred: false,
            refs: Refs::default(),
        }
    }

    /// From here on, upserts and deletes in this transaction leave the derived data (list rows'
    /// speaker names, the search index) as it is; [`ContentTx::build_derived`] rebuilds it for
    /// the whole event. A first sync writes thousands of rows whose names arrive out of order:
    /// per row, each write re-read its neighbours and flushed the search index to disk.
    pub fn defer_derived(&mut self) {
        self.defer_derived = true;
    }

    /// With [`ContentTx::defer_derived`], when no other event's sessions are stored: the session
    /// list indexes are dropped until [`ContentTx::build_derived`] creates them once (sorted)
    /// for all the rows written meanwhile. Returns whether they are.
    pub fn defer_indexes(&mut self, event_id: &str) -> Result<bool> {
        if deferred_index::may_defer(&self.tx, event_id)? {
            deferred_index::drop_all(&self.tx)?;
            self.indexes_deferred = true;
        }
        Ok(self.indexes_deferred)
    }

    /// Rebuilds what [`ContentTx::defer_derived`] skipped, for every entity of `event_id`: the
    /// speaker names of every session in one statement, the event's search index in bulk; and
    /// the indexes [`ContentTx::defer_indexes`] dropped, after the names (written once).
    pub fn build_derived(&mut self, event_id: &str) -> Result<()> {
        self.touch(event_id);
        self.tx
            .prepare_cached(REFRESH_SPEAKER_NAMES_OF_EVENT)
            .and_then(|mut s| s.execute([event_id]))
            .context("listing every session's speakers")?;
        deferred_index::restore(&self.tx)?;
        self.indexes_deferred = false;
        super::search_index::build_event(&self.tx, event_id)?;
        self.derived_built = true;
        Ok(())
    }

    /// The underlying transaction, for modules that keep their own tables in content.db (the
    /// asset cache, `sync::assets`).
    pub fn sql(&self) -> &Transaction<'conn> {
        &self.tx
    }

    pub(super) fn commit(self) -> Result<BulkWrite> {
        let ContentTx {
            tx,
            touched_events,
            defer_derived,
            derived_built,
            indexes_deferred,
            ..
        } = self;
        if !indexes_deferred {
            deferred_index::restore(&tx)?;
        }
        let bulk = match (defer_derived, derived_built) {
            (_, true) => BulkWrite::Ended,
            (true, false) => BulkWrite::Continues,
            (false, false) => BulkWrite::No,
        };
        {
            let mut bump = tx
                .prepare_cached(
                    "INSERT INTO sync_state (event_id, content_version) VALUES (?1, 1)
                     ON CONFLICT (event_id) DO UPDATE SET content_version = content_version + 1",
                )
                .context("preparing the content version")?;
            for event_id in &touched_events {
                bump.execute([event_id])
                    .context("bumping the content version")?;
            }
        }
        tx.commit().context("committing content")?;
        Ok(bulk)
    }

    fn touch(&mut self, event_id: &str) {
        if !self.touched_events.iter().any(|e| e == event_id) {
            self.touched_events.push(event_id.to_string());
        }
    }

    /// Inserts or replaces an entity; `body` is its JSON as received (or `entity.to_json()`).
    pub fn upsert(&mut self, event_id: &str, entity: &Entity, body: &str) -> Result<AppliedChange> {
        self.upsert_framed(event_id, entity, body, super::body::frame(body, None))
    }

    /// [`ContentTx::upsert`] with the body's frame already made (`super::body::frame`, on a
    /// helper thread while this one writes: [`super::frames`]).
    pub(crate) fn upsert_framed(
        &mut self,
        event_id: &str,
        entity: &Entity,
        body: &str,
        frame: Option<Vec<u8>>,
    ) -> Result<AppliedChange> {
        self.touch(event_id);
        let old = self.get(event_id, entity.kind(), entity.id())?;
        let body = super::body::stored_as(body, frame);
        let tx = &self.tx;
        match entity {
            Entity::Event(event) => {
                let clock = EventClock::new(&event.timezone, event.day_change_hour)?;
                tx.prepare_cached(
                    "INSERT OR REPLACE INTO event (event_id, timezone, day_change_hour, body)
                     VALUES (?1, ?2, ?3, ?4)",
                )
                .and_then(|mut s| {
                    s.execute(params![
                        event_id,
                        event.timezone,
                        event.day_change_hour,
                        body
                    ])
                })
                .context("saving the event")?;
                let previous = self.clocks.insert(event_id.to_string(), Some(clock));
                let clock_changed = match &old {
                    Some(Entity::Event(before)) => {
                        before.timezone != event.timezone
                            || before.day_change_hour != event.day_change_hour
                    }
                    _ => true,
                };
                if clock_changed || previous.flatten() != Some(clock) {
                    self.recompute_days(event_id, clock)?;
                }
            }
            Entity::Location(l) => {
                tx.prepare_cached(
                    "INSERT OR REPLACE INTO location (event_id, id, kind, parent_id, sort_order, name, body)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )
                .and_then(|mut s| {
                    s.execute(params![event_id, l.id, l.kind.as_str(), l.parent_id, l.sort_order, l.name, body])
                })
                .context("saving a location")?;
            }
            Entity::Track(t) => {
                tx.prepare_cached(
                    "INSERT OR REPLACE INTO track (event_id, id, name, body) VALUES (?1, ?2, ?3, ?4)",
                )
                .and_then(|mut s| s.execute(params![event_id, t.id, t.name, body]))
                .context("saving a track")?;
            }
            Entity::Session(s) => {
                let day = self.conference_day(event_id, s.start)?;
                // Deferred, the names are written with the row, from the speakers stored
                // before it (build_derived corrects the rest); otherwise refreshed below.
                let speaker_names = if self.defer_derived {
                    self.speaker_names(event_id, &s.speaker_ids)?
                } else {
                    None
                };
                let tx = &self.tx;
                let location_ref = self
                    .refs
                    .of_optional(tx, event_id, s.location_id.as_deref())?;
                let track_ref = self.refs.of_optional(tx, event_id, s.track_id.as_deref())?;
                tx.prepare_cached(
                    "INSERT OR REPLACE INTO session
                       (event_id, id, start_ts, end_ts, day, location_ref, track_ref, status, title,
                        body, kind, subtitle, languages, speaker_names)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                )
                .and_then(|mut st| {
                    let languages = serde_json::to_string(&s.languages)
                        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
                    st.execute(params![
                        event_id,
                        s.id,
                        s.start.timestamp(),
                        s.end.timestamp(),
                        day,
                        location_ref,
                        track_ref,
                        s.status.as_str(),
                        s.title,
                        body,
                        s.kind.as_str(),
                        s.subtitle,
                        languages,
                        speaker_names
                    ])
                })
                .context("saving a session")?;
                tx.prepare_cached(
                    "DELETE FROM session_speaker WHERE event_id = ?1 AND session_id = ?2",
                )
                .and_then(|mut st| st.execute(params![event_id, s.id]))
                .context("updating session speakers")?;
                let mut link = tx
                    .prepare_cached(
                        "INSERT OR IGNORE INTO session_speaker (event_id, session_id, speaker_id, position)
                         VALUES (?1, ?2, ?3, ?4)",
                    )
                    .context("updating session speakers")?;
                for (position, speaker_id) in s.speaker_ids.iter().enumerate() {
                    link.execute(params![event_id, s.id, speaker_id, position as i64])
                        .context("linking a speaker")?;
                }
                if !self.defer_derived {
                    tx.prepare_cached(REFRESH_SPEAKER_NAMES_OF_SESSION)
                        .and_then(|mut st| st.execute(params![event_id, s.id]))
                        .context("listing a session's speakers")?;
                }
            }
            Entity::Speaker(sp) => {
                tx.prepare_cached(
                    "INSERT OR REPLACE INTO speaker (event_id, id, name, body) VALUES (?1, ?2, ?3, ?4)",
                )
                .and_then(|mut s| s.execute(params![event_id, sp.id, sp.name, body]))
                .context("saving a speaker")?;
                if !self.defer_derived {
                    tx.prepare_cached(REFRESH_SPEAKER_NAMES_OF_SPEAKER)
                        .and_then(|mut st| st.execute(params![event_id, sp.id]))
                        .context("listing a speaker's sessions")?;
                }
            }
            Entity::Exhibitor(x) => {
                tx.prepare_cached(
                    "INSERT OR REPLACE INTO exhibitor (event_id, id, station_id, name, body)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )
                .and_then(|mut s| s.execute(params![event_id, x.id, x.station_id, x.name, body]))
                .context("saving an exhibitor")?;
                // By key (`exhibitor_topic_by_exhibitor`, content v8): one lookup, also when
                // the exhibitor is new.
                tx.prepare_cached(
                    "DELETE FROM exhibitor_topic WHERE event_id = ?1 AND exhibitor_id = ?2",
                )
                .and_then(|mut s| s.execute(params![event_id, x.id]))
                .context("updating exhibitor topics")?;
                let mut topic = tx
                    .prepare_cached(
                        "INSERT OR IGNORE INTO exhibitor_topic (event_id, topic_key, exhibitor_id)
                         VALUES (?1, ?2, ?3)",
                    )
                    .context("updating exhibitor topics")?;
                for name in &x.topics {
                    topic
                        .execute(params![event_id, topic_key(name), x.id])
                        .context("saving an exhibitor topic")?;
                }
            }
            Entity::Announcement(a) => {
                tx.prepare_cached(
                    "INSERT OR REPLACE INTO announcement (event_id, id, published_ts, expires_ts, body)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )
                .and_then(|mut s| {
                    s.execute(params![
                        event_id,
                        a.id,
                        a.published_at.timestamp(),
                        a.expires_at.map(|t| t.timestamp()),
                        body
                    ])
                })
                .context("saving an announcement")?;
            }
            Entity::GalleryItem(g) => {
                tx.prepare_cached(
                    "INSERT OR REPLACE INTO gallery_item (event_id, id, taken_ts, body) VALUES (?1, ?2, ?3, ?4)",
                )
                .and_then(|mut s| {
                    s.execute(params![event_id, g.id, g.taken_at.map(|t| t.timestamp()), body])
                })
                .context("saving a gallery item")?;
            }
            Entity::InfoPage(p) => {
                tx.prepare_cached(
                    "INSERT OR REPLACE INTO info_page (event_id, id, sort_order, body) VALUES (?1, ?2, ?3, ?4)",
                )
                .and_then(|mut s| s.execute(params![event_id, p.id, p.sort_order, body]))
                .context("saving an info page")?;
            }
        }
        if !self.defer_derived {
            super::search_index::on_upsert(&self.tx, event_id, entity)?;
        }
        Ok(AppliedChange {
            kind: entity.kind(),
            id: entity.id().to_string(),
            old,
            new: Some(entity.clone()),
        })
    }

    /// Removes an entity (a tombstone from the server). Removing what is not there is a no-op.
    pub fn delete(&mut self, event_id: &str, kind: EntityKind, id: &str) -> Result<AppliedChange> {
        self.touch(event_id);
        let old = self.get(event_id, kind, id)?;
        let (table, key) = table_of(kind);
        self.tx
            .prepare_cached(&format!(
                "DELETE FROM {table} WHERE event_id = ?1 AND {key} = ?2"
            ))
            .and_then(|mut s| s.execute(params![event_id, id]))
            .context("removing an entity")?;
        match kind {
            EntityKind::Session => {
                self.tx
                    .prepare_cached(
                        "DELETE FROM session_speaker WHERE event_id = ?1 AND session_id = ?2",
                    )
                    .and_then(|mut s| s.execute(params![event_id, id]))
                    .context("removing session speakers")?;
            }
            EntityKind::Exhibitor => {
                self.tx
                    .prepare_cached(
                        "DELETE FROM exhibitor_topic WHERE event_id = ?1 AND exhibitor_id = ?2",
                    )
                    .and_then(|mut s| s.execute(params![event_id, id]))
                    .context("removing exhibitor topics")?;
            }
            EntityKind::Speaker if !self.defer_derived => {
                self.tx
                    .prepare_cached(REFRESH_SPEAKER_NAMES_OF_SPEAKER)
                    .and_then(|mut s| s.execute(params![event_id, id]))
                    .context("listing a removed speaker's sessions")?;
            }
            EntityKind::Event => {
                self.clocks.insert(event_id.to_string(), None);
            }
            _ => {}
        }
        if !self.defer_derived {
            super::search_index::on_delete(&self.tx, event_id, kind, id)?;
        }
        Ok(AppliedChange {
            kind,
            id: id.to_string(),
            old,
            new: None,
        })
    }

    /// Removes every entity of an event and its sync state (a re-bootstrap or a local reload).
    pub fn clear_event(&mut self, event_id: &str) -> Result<()> {
        self.touch(event_id);
        for table in CONTENT_TABLES {
            self.tx
                .prepare_cached(&format!("DELETE FROM {table} WHERE event_id = ?1"))
                .and_then(|mut s| s.execute([event_id]))
                .context("clearing an event")?;
        }
        self.tx
            .prepare_cached(
                "UPDATE sync_state SET epoch = NULL, cursor = 0, head_etag = NULL WHERE event_id = ?1",
            )
            .and_then(|mut s| s.execute([event_id]))
            .context("resetting the sync cursor")?;
        self.clocks.remove(event_id);
        self.refs.forget(event_id);
        super::search_index::on_clear(&self.tx, event_id)?;
        Ok(())
    }

    /// Replaces an event's content with a whole bundle (demo load, local import).
    pub fn replace_with_bundle(
        &mut self,
        bundle: &marktplatz_model::bundle::Bundle,
    ) -> Result<usize> {
        let event_id = bundle.event.id.clone();
        self.clear_event(&event_id)?;
        let entities = bundle.entities();
        // Nothing of the event is left: its derived data is built once, as a first sync does.
        let deferred = std::mem::replace(&mut self.defer_derived, true);
        self.defer_indexes(&event_id)?;
        for entity in &entities {
            let body = entity
                .to_json()
                .map_err(|e| Error::malformed(format!("{} '{}'", entity.kind(), entity.id()), e))?;
            self.upsert(&event_id, entity, &body)?;
        }
        self.build_derived(&event_id)?;
        self.defer_derived = deferred;
        Ok(entities.len())
    }

    /// Records the version (change-log seq) of an entity as pulled; `None` forgets it (the
    /// entity was removed). Written by the pull in the page's transaction.
    pub fn set_version(
        &mut self,
        event_id: &str,
        kind: EntityKind,
        id: &str,
        seq: Option<u64>,
    ) -> Result<()> {
        match seq {
            Some(seq) => self
                .tx
                .prepare_cached(
                    "INSERT OR REPLACE INTO entity_version (event_id, kind, id, seq) VALUES (?1, ?2, ?3, ?4)",
                )
                .and_then(|mut s| s.execute(params![event_id, kind.as_str(), id, seq as i64])),
            None => self
                .tx
                .prepare_cached(
                    "DELETE FROM entity_version WHERE event_id = ?1 AND kind = ?2 AND id = ?3",
                )
                .and_then(|mut s| s.execute(params![event_id, kind.as_str(), id])),
        }
        .context("recording an entity version")?;
        Ok(())
    }

    /// The stored entity, decoded; `None` when absent.
    pub fn get(&self, event_id: &str, kind: EntityKind, id: &str) -> Result<Option<Entity>> {
        read_entity(&self.tx, event_id, kind, id)
    }

    pub fn sync_state(&self, event_id: &str) -> Result<SyncState> {
        read_sync_state(&self.tx, event_id)
    }

    /// Records where the device stands with the server; written in the same transaction as the
    /// page it describes, so the cursor is never ahead of the content.
    pub fn set_sync_state(&mut self, event_id: &str, state: &SyncState) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO sync_state (event_id, server_url, epoch, cursor, head_etag, last_synced_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (event_id) DO UPDATE SET server_url = ?2, epoch = ?3, cursor = ?4,
                   head_etag = ?5, last_synced_at = ?6",
            )
            .and_then(|mut s| {
                s.execute(params![
                    event_id,
                    state.server_url,
                    state.epoch,
                    state.cursor as i64,
                    state.head_etag,
                    state.last_synced_at.map(|t| t.timestamp())
                ])
            })
            .context("saving the sync cursor")?;
        Ok(())
    }

    /// What `session.speaker_names` holds for these speakers (see `refresh_speaker_names`): the
    /// stored ones' names in order, each once, separated by U+001F; `None` if none is stored.
    fn speaker_names(&self, event_id: &str, speaker_ids: &[String]) -> Result<Option<String>> {
        let mut lookup = self
            .tx
            .prepare_cached("SELECT name FROM speaker WHERE event_id = ?1 AND id = ?2")
            .context("reading speaker names")?;
        let mut names: Option<String> = None;
        for (position, speaker_id) in speaker_ids.iter().enumerate() {
            if speaker_ids[..position].contains(speaker_id) {
                continue;
            }
            let name: Option<String> = lookup
                .query_row(params![event_id, speaker_id], |r| r.get(0))
                .optional()
                .context("reading speaker names")?;
            if let Some(name) = name {
                match &mut names {
                    Some(names) => {
                        names.push('\u{1f}');
                        names.push_str(&name);
                    }
                    None => names = Some(name),
                }
            }
        }
        Ok(names)
    }

    fn clock(&mut self, event_id: &str) -> Result<Option<EventClock>> {
        if let Some(clock) = self.clocks.get(event_id) {
            return Ok(*clock);
        }
        let row: Option<(String, u8)> = self
            .tx
            .prepare_cached("SELECT timezone, day_change_hour FROM event WHERE event_id = ?1")
            .and_then(|mut s| {
                s.query_row([event_id], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()
            })
            .context("reading the event clock")?;
        let clock = match row {
            Some((tz, hour)) => Some(EventClock::new(&tz, hour)?),
            None => None,
        };
        self.clocks.insert(event_id.to_string(), clock);
        Ok(clock)
    }

    /// Sessions may arrive before their event (the event was edited later, so its change sorts
    /// later); until then their day is the UTC date, fixed when the event arrives.
    fn conference_day(&mut self, event_id: &str, start: DateTime<Utc>) -> Result<String> {
        let day = match self.clock(event_id)? {
            Some(clock) => clock.conference_day(start),
            None => start.date_naive(),
        };
        Ok(day.to_string())
    }

    fn recompute_days(&mut self, event_id: &str, clock: EventClock) -> Result<()> {
        let starts: Vec<(String, i64)> = {
            let mut stmt = self
                .tx
                .prepare_cached("SELECT id, start_ts FROM session WHERE event_id = ?1")
                .context("reading session starts")?;
            let rows = stmt
                .query_map([event_id], |r| Ok((r.get(0)?, r.get(1)?)))
                .context("reading session starts")?;
            rows.collect::<rusqlite::Result<_>>()
                .context("reading session starts")?
        };
        let mut update = self
            .tx
            .prepare_cached("UPDATE session SET day = ?3 WHERE event_id = ?1 AND id = ?2")
            .context("updating session days")?;
        for (id, start_ts) in starts {
            let start = DateTime::from_timestamp(start_ts, 0).unwrap_or_default();
            update
                .execute(params![
                    event_id,
                    id,
                    clock.conference_day(start).to_string()
                ])
                .context("updating a session day")?;
        }
        Ok(())
    }
}

/// Where the device stands with an event's server.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SyncState {
    pub server_url: Option<String>,
    pub epoch: Option<String>,
    pub cursor: u64,
    pub head_etag: Option<String>,
    pub last_synced_at: Option<DateTime<Utc>>,
    pub content_version: u64,
}

pub(crate) fn read_sync_state(tx: &Transaction<'_>, event_id: &str) -> Result<SyncState> {
    let state = tx
        .prepare_cached(
            "SELECT server_url, epoch, cursor, head_etag, last_synced_at, content_version
             FROM sync_state WHERE event_id = ?1",
        )
        .and_then(|mut s| {
            s.query_row([event_id], |r| {
                Ok(SyncState {
                    server_url: r.get(0)?,
                    epoch: r.get(1)?,
                    cursor: r.get::<_, i64>(2)?.max(0) as u64,
                    head_etag: r.get(3)?,
                    last_synced_at: r
                        .get::<_, Option<i64>>(4)?
                        .and_then(|t| DateTime::from_timestamp(t, 0)),
                    content_version: r.get::<_, i64>(5)?.max(0) as u64,
                })
            })
            .optional()
        })
        .context("reading the sync state")?;
    Ok(state.unwrap_or_default())
}

pub(crate) const CONTENT_TABLES: [&str; 14] = [
    "event",
    "location",
    "track",
    "session",
    "session_speaker",
    "speaker",
    "exhibitor",
    "exhibitor_topic",
    "announcement",
    "gallery_item",
    "info_page",
    "entity_version",
    "id_ref",
    "body_dictionary",
];

pub(crate) fn topic_key(topic: &str) -> String {
    topic.trim().to_lowercase()
}
