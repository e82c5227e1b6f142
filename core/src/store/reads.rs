//! The queries behind the shells' screens. Each runs in one read transaction on a pooled reader.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::Overlay;
use super::Store;
use super::body::StoredBody;
use super::content::{read_sync_state, topic_key};
use super::entities::read_entity;
use super::id_ref::{self, ref_of_id};
use super::views::*;
use crate::error::{Error, Result, SqliteContext};
use marktplatz_model::model::*;
use marktplatz_model::time::EventClock;

/// Separates speaker names inside one aggregated column (a control character no name contains).
const NAME_SEPARATOR: char = '\u{1f}';

/// How many upcoming sessions "now and next" lists at most.
const NEXT_LIMIT: usize = 12;

/// A day's list reads the sessions starting within the day's bounds widened by this on each
/// side, then keeps those of the day: when the clocks go back, an hour of wall-clock time comes
/// twice, and a session in its second pass belongs to the day before the bounds' end (a DST
/// shift is at most two hours).
const DAY_BOUNDS_SLACK: chrono::Duration = chrono::Duration::hours(3);

impl Store {
    /// The events this device holds, by title.
    pub fn events(&self) -> Result<Vec<EventSummary>> {
        self.read(|tx| {
            let mut stmt = tx
                .prepare_cached(
                    "SELECT e.body, s.last_synced_at FROM event e
                     LEFT JOIN sync_state s ON s.event_id = e.event_id",
                )
                .context("listing events")?;
            let rows = stmt
                .query_map([], |r| {
                    Ok((r.get::<_, StoredBody>(0)?, r.get::<_, Option<i64>>(1)?))
                })
                .context("listing events")?;
            let mut events = Vec::new();
            for row in rows {
                let (body, synced) = row.context("listing events")?;
                let event: Event = decode("event", &body)?;
                events.push(EventSummary {
                    id: event.id,
                    title: event.title,
                    days: event.days,
                    last_synced_at: synced.and_then(|t| DateTime::from_timestamp(t, 0)),
                });
            }
            events.sort_by(|a, b| a.title.cmp(&b.title));
            Ok(events)
        })
    }

    pub fn event_overview(&self, event_id: &str) -> Result<EventOverview> {
        let ops = self.overlay_ops(event_id)?;
        self.read(|tx| {
            let mut event = load_event(tx, event_id)?;
            // A queued hall plan (`venue.map`) shows at once, like every organiser operation.
            let overlay = Overlay::build(tx, event_id, &ops)?;
            if let Some(Some(Entity::Event(edited))) = overlay.get(EntityKind::Event, event_id) {
                event = edited.clone();
            }
            let count = |table: &str| -> Result<u32> {
                tx.prepare_cached(&format!("SELECT count(*) FROM {table} WHERE event_id = ?1"))
                    .and_then(|mut s| s.query_row([event_id], |r| r.get(0)))
                    .context("counting content")
            };
            let state = read_sync_state(tx, event_id)?;
            Ok(EventOverview {
                session_count: count("session")?,
                speaker_count: count("speaker")?,
                exhibitor_count: count("exhibitor")?,
                location_count: count("location")?,
                announcement_count: count("announcement")?,
                gallery_count: count("gallery_item")?,
                last_synced_at: state.last_synced_at,
                event,
            })
        })
    }

    /// The programme of one conference day, in start order (ties by location order, title).
    pub fn agenda(&self, event_id: &str, day: NaiveDate) -> Result<Vec<SessionSummary>> {
        let ops = self.overlay_ops(event_id)?;
        self.read(|tx| {
            let ctx = SummaryContext::load(tx, event_id, &ops)?;
            ctx.sessions(tx, &SessionFilter::Day(day))
        })
    }

    pub fn sessions_at_location(
        &self,
        event_id: &str,
        location_id: &str,
    ) -> Result<Vec<SessionSummary>> {
        let ops = self.overlay_ops(event_id)?;
        self.read(|tx| {
            let ctx = SummaryContext::load(tx, event_id, &ops)?;
            ctx.sessions(tx, &SessionFilter::Location(location_id))
        })
    }

    pub fn sessions_in_track(&self, event_id: &str, track_id: &str) -> Result<Vec<SessionSummary>> {
        let ops = self.overlay_ops(event_id)?;
        self.read(|tx| {
            let ctx = SummaryContext::load(tx, event_id, &ops)?;
            ctx.sessions(tx, &SessionFilter::Track(track_id))
        })
    }

    pub fn sessions_of_speaker(
        &self,
        event_id: &str,
        speaker_id: &str,
    ) -> Result<Vec<SessionSummary>> {
        let ops = self.overlay_ops(event_id)?;
        self.read(|tx| {
            let ctx = SummaryContext::load(tx, event_id, &ops)?;
            ctx.sessions(tx, &SessionFilter::Speaker(speaker_id))
        })
    }

    /// Summaries of the given sessions (in start order), skipping ids that do not exist.
    pub fn session_summaries(&self, event_id: &str, ids: &[String]) -> Result<Vec<SessionSummary>> {
        let ops = self.overlay_ops(event_id)?;
        self.read(|tx| {
            let ctx = SummaryContext::load(tx, event_id, &ops)?;
            let list =
                serde_json::to_string(ids).map_err(|e| Error::malformed("session ids", e))?;
            ctx.sessions(tx, &SessionFilter::Ids(ids, list))
        })
    }

    /// What is running at `at`, and for each location what comes next.
    pub fn now_next(&self, event_id: &str, at: DateTime<Utc>) -> Result<NowNext> {
        let ops = self.overlay_ops(event_id)?;
        self.read(|tx| {
            let ctx = SummaryContext::load(tx, event_id, &ops)?;
            let ts = at.timestamp();
            let now = ctx.sessions(tx, &SessionFilter::RunningAt(ts))?;
            let first_per_location = |list: Vec<SessionSummary>| -> Vec<SessionSummary> {
                let mut seen_locations = std::collections::HashSet::new();
                list.into_iter()
                    .filter(|s| seen_locations.insert(s.location_id.clone()))
                    .take(NEXT_LIMIT)
                    .collect()
            };
            let next = if ctx.overlay.is_empty() {
                // Only the sessions shown are read in full: a big event has thousands
                // starting within a day (this halved the first screen's time).
                let ids = next_session_ids(tx, event_id, ts)?;
                let list =
                    serde_json::to_string(&ids).map_err(|e| Error::malformed("session ids", e))?;
                first_per_location(ctx.sessions(tx, &SessionFilter::Ids(&ids, list))?)
            } else {
                first_per_location(ctx.sessions(tx, &SessionFilter::StartingWithinADay(ts))?)
            };
            Ok(NowNext { at, now, next })
        })
    }

    /// The day an agenda opens on at `at`: the conference day running then (in the event's
    /// timezone, after its day-change hour) if the event has it, else the event's next day,
    /// else its last one (an event that is over shows its final day).
    pub fn agenda_day(&self, event_id: &str, at: DateTime<Utc>) -> Result<NaiveDate> {
        let event = self.read(|tx| load_event(tx, event_id))?;
        let today = EventClock::new(&event.timezone, event.day_change_hour)?.conference_day(at);
        let mut days = event.days;
        days.sort();
        days.iter()
            .find(|day| **day >= today)
            .or(days.last())
            .copied()
            .ok_or_else(|| Error::invalid(format!("event '{event_id}'"), "days", "has no days"))
    }

    pub fn session_detail(&self, event_id: &str, session_id: &str) -> Result<SessionDetail> {
        let ops = self.overlay_ops(event_id)?;
        self.read(|tx| {
            let ctx = SummaryContext::load(tx, event_id, &ops)?;
            let summary = ctx
                .sessions(tx, &SessionFilter::Id(session_id))?
                .into_iter()
                .next()
                .ok_or_else(|| Error::not_found("session", session_id))?;
            let Some(Entity::Session(session)) =
                ctx.overlay
                    .entity(tx, event_id, EntityKind::Session, session_id)?
            else {
                return Err(Error::not_found("session", session_id));
            };
            let mut speakers = Vec::with_capacity(session.speaker_ids.len());
            for speaker_id in &session.speaker_ids {
                if let Some(Entity::Speaker(speaker)) =
                    read_entity(tx, event_id, EntityKind::Speaker, speaker_id)?
                {
                    speakers.push(speaker);
                }
            }
            let location = match &session.location_id {
                Some(id) => match ctx.overlay.entity(tx, event_id, EntityKind::Location, id)? {
                    Some(Entity::Location(location)) => Some(location),
                    _ => None,
                },
                None => None,
            };
            let track = session
                .track_id
                .as_ref()
                .and_then(|id| ctx.tracks.get(id).cloned());
            Ok(SessionDetail {
                summary,
                session,
                location,
                track,
                speakers,
            })
        })
    }

    pub fn locations(&self, event_id: &str) -> Result<Vec<Location>> {
        let ops = self.overlay_ops(event_id)?;
        self.read(|tx| {
            let overlay = Overlay::build(tx, event_id, &ops)?;
            let all: Vec<Location> = bodies(
                tx,
                "SELECT body FROM location WHERE event_id = ?1 ORDER BY sort_order, name",
                event_id,
                "location",
            )?;
            let mut all = overlay_locations(&overlay, all);
            all.sort_by(|a, b| (a.sort_order, &a.name).cmp(&(b.sort_order, &b.name)));
            Ok(all)
        })
    }

    /// Stations (and other locations) with how many exhibitors and sessions each has.
    pub fn stations(&self, event_id: &str) -> Result<Vec<StationEntry>> {
        let ops = self.overlay_ops(event_id)?;
        self.read(|tx| {
            let overlay = Overlay::build(tx, event_id, &ops)?;
            let mut stmt = tx
                .prepare_cached(
                    "SELECT l.body,
                       (SELECT count(*) FROM exhibitor x WHERE x.event_id = l.event_id AND x.station_id = l.id),
                       (SELECT count(*) FROM session s WHERE s.event_id = l.event_id AND s.location_ref =
                          (SELECT ref FROM id_ref r WHERE r.event_id = l.event_id AND r.id = l.id))
                     FROM location l WHERE l.event_id = ?1 ORDER BY l.sort_order, l.name",
                )
                .context("listing stations")?;
            let rows = stmt
                .query_map([event_id], |r| Ok((r.get::<_, StoredBody>(0)?, r.get(1)?, r.get(2)?)))
                .context("listing stations")?;
            let mut stations = Vec::new();
            for row in rows {
                let (body, exhibitor_count, session_count) = row.context("listing stations")?;
                let mut location: Location = decode("location", &body)?;
                // Counts are the content's; a renamed station shows its new name.
                if let Some(Some(Entity::Location(edited))) =
                    overlay.get(EntityKind::Location, &location.id)
                {
                    location = edited.clone();
                }
                stations.push(StationEntry {
                    location,
                    exhibitor_count,
                    session_count,
                });
            }
            Ok(stations)
        })
    }

    pub fn tracks(&self, event_id: &str) -> Result<Vec<Track>> {
        self.read(|tx| {
            bodies(
                tx,
                "SELECT body FROM track WHERE event_id = ?1 ORDER BY name",
                event_id,
                "track",
            )
        })
    }

    pub fn speakers(&self, event_id: &str) -> Result<Vec<Speaker>> {
        self.read(|tx| {
            let mut all: Vec<Speaker> = bodies(
                tx,
                "SELECT body FROM speaker WHERE event_id = ?1",
                event_id,
                "speaker",
            )?;
            all.sort_by_cached_key(|s| sort_key(&s.name));
            Ok(all)
        })
    }

    pub fn speaker(&self, event_id: &str, speaker_id: &str) -> Result<Speaker> {
        match self.read(|tx| read_entity(tx, event_id, EntityKind::Speaker, speaker_id))? {
            Some(Entity::Speaker(speaker)) => Ok(speaker),
            _ => Err(Error::not_found("speaker", speaker_id)),
        }
    }

    /// Exhibitors, optionally only those at one station and/or with one topic (case-insensitive).
    pub fn exhibitors(
        &self,
        event_id: &str,
        station_id: Option<&str>,
        topic: Option<&str>,
    ) -> Result<Vec<ExhibitorEntry>> {
        let ops = self.overlay_ops(event_id)?;
        self.read(|tx| {
            let overlay = Overlay::build(tx, event_id, &ops)?;
            let topic = topic.map(topic_key);
            let mut stmt = tx
                .prepare_cached(
                    "SELECT x.body, l.name FROM exhibitor x
                     LEFT JOIN location l ON l.event_id = x.event_id AND l.id = x.station_id
                     WHERE x.event_id = ?1
                       AND (?2 IS NULL OR x.station_id = ?2)
                       AND (?3 IS NULL OR x.id IN (SELECT exhibitor_id FROM exhibitor_topic
                                                   WHERE event_id = ?1 AND topic_key = ?3))",
                )
                .context("listing exhibitors")?;
            let rows = stmt
                .query_map(params![event_id, station_id, topic], |r| {
                    Ok((r.get::<_, StoredBody>(0)?, r.get::<_, Option<String>>(1)?))
                })
                .context("listing exhibitors")?;
            let mut entries = Vec::new();
            for row in rows {
                let (body, station_name) = row.context("listing exhibitors")?;
                entries.push(ExhibitorEntry {
                    exhibitor: decode("exhibitor", &body)?,
                    station_name,
                });
            }
            if !overlay.is_empty() {
                let mut station_names = HashMap::new();
                for entity in overlay.entities_of(EntityKind::Exhibitor) {
                    if let Entity::Exhibitor(x) = entity
                        && let Some(station) = &x.station_id
                    {
                        let name =
                            match overlay.entity(tx, event_id, EntityKind::Location, station)? {
                                Some(Entity::Location(l)) => Some(l.name),
                                _ => None,
                            };
                        station_names.insert(x.id.clone(), name);
                    }
                }
                entries = overlay.merge(
                    EntityKind::Exhibitor,
                    entries,
                    |e| e.exhibitor.id.as_str(),
                    |entity| match entity {
                        Entity::Exhibitor(x) => Some(ExhibitorEntry {
                            station_name: station_names.get(&x.id).cloned().flatten(),
                            exhibitor: x.clone(),
                        }),
                        _ => None,
                    },
                    |e| {
                        station_id.is_none_or(|s| e.exhibitor.station_id.as_deref() == Some(s))
                            && topic.as_ref().is_none_or(|t| {
                                e.exhibitor.topics.iter().any(|x| topic_key(x) == *t)
                            })
                    },
                );
            }
            entries.sort_by_cached_key(|e| sort_key(&e.exhibitor.name));
            Ok(entries)
        })
    }

    /// Announcements published by `at` and not expired, urgent first, then newest first.
    pub fn announcements(&self, event_id: &str, at: DateTime<Utc>) -> Result<Vec<Announcement>> {
        let ops = self.overlay_ops(event_id)?;
        self.read(|tx| {
            let overlay = Overlay::build(tx, event_id, &ops)?;
            let mut stmt = tx
                .prepare_cached(
                    "SELECT body FROM announcement
                     WHERE event_id = ?1 AND published_ts <= ?2 AND (expires_ts IS NULL OR expires_ts > ?2)
                     ORDER BY published_ts DESC, id",
                )
                .context("listing announcements")?;
            let rows = stmt
                .query_map(params![event_id, at.timestamp()], |r| r.get::<_, StoredBody>(0))
                .context("listing announcements")?;
            let mut list: Vec<Announcement> = Vec::new();
            for body in rows {
                list.push(decode("announcement", &body.context("listing announcements")?)?);
            }
            if !overlay.is_empty() {
                list = overlay.merge(
                    EntityKind::Announcement,
                    list,
                    |a| a.id.as_str(),
                    |entity| match entity {
                        Entity::Announcement(a) => Some(a.clone()),
                        _ => None,
                    },
                    |a| a.published_at <= at && a.expires_at.is_none_or(|e| e > at),
                );
                list.sort_by(|a, b| b.published_at.cmp(&a.published_at).then(a.id.cmp(&b.id)));
            }
            // Stable sort keeps newest-first within each priority.
            list.sort_by_key(|a| std::cmp::Reverse(a.priority));
            Ok(list)
        })
    }

    /// Whether the event's content is complete on this device: it was loaded and no snapshot
    /// (a first sync or a re-bootstrap) is still arriving page by page.
    pub fn has_complete_content(&self, event_id: &str) -> Result<bool> {
        self.read(|tx| {
            tx.prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM event WHERE event_id = ?1)
                    AND NOT EXISTS (SELECT 1 FROM sync_snapshot WHERE event_id = ?1)",
            )
            .and_then(|mut s| s.query_row([event_id], |r| r.get(0)))
            .context("checking whether the event is complete")
        })
    }

    /// Gallery items, newest first (items without a time last).
    pub fn gallery(&self, event_id: &str) -> Result<Vec<GalleryItem>> {
        let ops = self.overlay_ops(event_id)?;
        self.read(|tx| {
            let overlay = Overlay::build(tx, event_id, &ops)?;
            let list: Vec<GalleryItem> = bodies(
                tx,
                "SELECT body FROM gallery_item WHERE event_id = ?1
                 ORDER BY taken_ts IS NULL, taken_ts DESC, id",
                event_id,
                "gallery item",
            )?;
            if overlay.is_empty() {
                return Ok(list);
            }
            let mut list = overlay.merge(
                EntityKind::GalleryItem,
                list,
                |g| g.id.as_str(),
                |entity| match entity {
                    Entity::GalleryItem(g) => Some(g.clone()),
                    _ => None,
                },
                |_| true,
            );
            list.sort_by(|a, b| {
                (a.taken_at.is_none(), std::cmp::Reverse(a.taken_at), &a.id).cmp(&(
                    b.taken_at.is_none(),
                    std::cmp::Reverse(b.taken_at),
                    &b.id,
                ))
            });
            Ok(list)
        })
    }

    /// The info pages in reading order (sort order, then id), the organiser's queued
    /// additions, edits, moves and removals applied.
    pub fn info_pages(&self, event_id: &str) -> Result<Vec<InfoPage>> {
        let ops = self.overlay_ops(event_id)?;
        self.read(|tx| {
            let overlay = Overlay::build(tx, event_id, &ops)?;
            let list: Vec<InfoPage> = bodies(
                tx,
                "SELECT body FROM info_page WHERE event_id = ?1 ORDER BY sort_order, id",
                event_id,
                "info page",
            )?;
            if overlay.is_empty() {
                return Ok(list);
            }
            let mut list = overlay.merge(
                EntityKind::InfoPage,
                list,
                |p| p.id.as_str(),
                |entity| match entity {
                    Entity::InfoPage(p) => Some(p.clone()),
                    _ => None,
                },
                |_| true,
            );
            list.sort_by(|a, b| (a.sort_order, &a.id).cmp(&(b.sort_order, &b.id)));
            Ok(list)
        })
    }

    /// Any stored entity, decoded.
    /// Any entity as shown (the organiser's queued operations applied), decoded.
    pub fn entity(&self, event_id: &str, kind: EntityKind, id: &str) -> Result<Option<Entity>> {
        let ops = self.overlay_ops(event_id)?;
        self.read(|tx| Overlay::build(tx, event_id, &ops)?.entity(tx, event_id, kind, id))
    }

    /// An entity exactly as pulled from the server (no queued operations applied).
    pub fn stored_entity(
        &self,
        event_id: &str,
        kind: EntityKind,
        id: &str,
    ) -> Result<Option<Entity>> {
        self.read(|tx| read_entity(tx, event_id, kind, id))
    }
}

/// Event-wide lookups a list of session summaries needs, loaded once per query.
/// The first session starting at each location within a day after `ts` (at most
/// [`NEXT_LIMIT`] locations), from the indexed columns alone: the same choice, in the same order,
/// as filtering the full list with `SessionFilter::StartingWithinADay`.
fn next_session_ids(tx: &Connection, event_id: &str, ts: i64) -> Result<Vec<String>> {
    let mut stmt = tx
        .prepare_cached(
            "SELECT s.id, s.location_ref FROM session s
             WHERE s.event_id = ?1 AND s.start_ts > ?2 AND s.status = 'scheduled'
               AND s.start_ts < ?2 + 86400
             ORDER BY s.start_ts, s.end_ts, s.title",
        )
        .context("listing upcoming sessions")?;
    let mut rows = stmt
        .query(params![event_id, ts])
        .context("listing upcoming sessions")?;
    let mut seen_locations = std::collections::HashSet::new();
    let mut ids = Vec::new();
    while let Some(row) = rows.next().context("listing upcoming sessions")? {
        let location: Option<i64> = row.get(1).context("listing upcoming sessions")?;
        if seen_locations.insert(location) {
            ids.push(row.get(0).context("listing upcoming sessions")?);
            if ids.len() == NEXT_LIMIT {
                break;
            }
        }
    }
    Ok(ids)
}

struct SummaryContext {
    event_id: String,
    clock: EventClock,
    /// Location names by id: all a list row shows of its place.
    location_names: HashMap<String, String>,
    /// The location and track ids the rows name by number (`id_ref`).
    ids: HashMap<i64, String>,
    tracks: HashMap<String, Track>,
    overlay: Overlay,
}

/// Which sessions a list shows: as SQL over the stored sessions (alias `s`, `?1` the event,
/// `?2` the value) and as a test for sessions the overlay changed.
enum SessionFilter<'a> {
    Day(NaiveDate),
    Location(&'a str),
    Track(&'a str),
    Speaker(&'a str),
    /// The ids, and the same as a JSON list for SQL.
    Ids(&'a [String], String),
    Id(&'a str),
    RunningAt(i64),
    StartingWithinADay(i64),
}

/// The rows of a session list: all of the event's sessions for most filters, walked in start
/// order through a covering index.
const ALL_SESSIONS: &str = "session s";
/// A few given ids, each looked up by key. As `s.id IN (…)` the planner walked every session of
/// the event in start order and tested each: 20,000 rows for a search's 20 hits. A `CROSS JOIN`
/// keeps the ids the outer loop (SQLite never reorders one); the few rows are sorted after.
const SESSIONS_BY_ID: &str = "(SELECT DISTINCT value FROM json_each(?2)) AS wanted
    CROSS JOIN session s ON s.id = wanted.value";
/// A speaker's sessions, looked up by key from the speaker's index, as [`SESSIONS_BY_ID`].
const SESSIONS_OF_SPEAKER: &str = "session_speaker ss
    CROSS JOIN session s ON s.event_id = ss.event_id AND s.id = ss.session_id";

/// The SQL of a session list: the columns a list row shows (content v5), for a day or what
/// runs at an instant from one covering index alone, in its order.
fn session_list_sql(filter: &SessionFilter<'_>) -> String {
    let (rows, condition) = filter.sql();
    format!(
        "SELECT s.id, s.kind, s.title, s.subtitle, s.start_ts, s.end_ts, s.location_ref,
                s.track_ref, s.languages, s.status, s.speaker_names
         FROM {rows} WHERE s.event_id = ?1 AND {condition}
         ORDER BY s.start_ts, s.end_ts, s.title"
    )
}

impl SessionFilter<'_> {
    /// The rows to start from (SQL `FROM`, the session as `s`) and the condition on them.
    fn sql(&self) -> (&'static str, &'static str) {
        let condition = match self {
            SessionFilter::Speaker(_) => return (SESSIONS_OF_SPEAKER, "ss.speaker_id = ?2"),
            SessionFilter::Ids(..) => return (SESSIONS_BY_ID, "TRUE"),
            // A day's sessions by their start from the start index, not by the `day` column: an
            // index of their own cost a tenth of the folder (content v10).
            SessionFilter::Day(_) => "s.start_ts >= ?2 AND s.start_ts < ?3",
            SessionFilter::Location(_) => concat!("s.location_ref = ", ref_of_id!()),
            SessionFilter::Track(_) => concat!("s.track_ref = ", ref_of_id!()),
            SessionFilter::Id(_) => "s.id = ?2",
            SessionFilter::RunningAt(_) => {
                "s.start_ts <= ?2 AND s.end_ts > ?2 AND s.status = 'scheduled'"
            }
            SessionFilter::StartingWithinADay(_) => {
                "s.start_ts > ?2 AND s.status = 'scheduled' AND s.start_ts < ?2 + 86400"
            }
        };
        (ALL_SESSIONS, condition)
    }

    /// The values of `?2` (and `?3`) in [`SessionFilter::sql`]'s condition.
    fn values(&self, clock: &EventClock) -> Vec<rusqlite::types::Value> {
        use rusqlite::types::Value;
        let value = match self {
            SessionFilter::Day(day) => {
                let (start, end) = clock.day_bounds(*day);
                return vec![
                    Value::Integer((start - DAY_BOUNDS_SLACK).timestamp()),
                    Value::Integer((end + DAY_BOUNDS_SLACK).timestamp()),
                ];
            }
            SessionFilter::Location(v)
            | SessionFilter::Track(v)
            | SessionFilter::Speaker(v)
            | SessionFilter::Id(v) => Value::Text(v.to_string()),
            SessionFilter::Ids(_, json) => Value::Text(json.clone()),
            SessionFilter::RunningAt(ts) | SessionFilter::StartingWithinADay(ts) => {
                Value::Integer(*ts)
            }
        };
        vec![value]
    }

    /// Whether a row the SQL found belongs to the list: the SQL is exact but for a day's,
    /// which finds the day's bounds with [`DAY_BOUNDS_SLACK`] around them.
    fn keeps(&self, summary: &SessionSummary) -> bool {
        match self {
            SessionFilter::Day(day) => summary.day == *day,
            _ => true,
        }
    }

    fn matches(&self, session: &Session, clock: &EventClock) -> bool {
        let scheduled = session.status == SessionStatus::Scheduled;
        let (start, end) = (session.start.timestamp(), session.end.timestamp());
        match self {
            SessionFilter::Day(day) => clock.conference_day(session.start) == *day,
            SessionFilter::Location(id) => session.location_id.as_deref() == Some(*id),
            SessionFilter::Track(id) => session.track_id.as_deref() == Some(*id),
            SessionFilter::Speaker(id) => session.speaker_ids.iter().any(|s| s == id),
            SessionFilter::Ids(ids, _) => ids.contains(&session.id),
            SessionFilter::Id(id) => session.id == *id,
            SessionFilter::RunningAt(ts) => start <= *ts && end > *ts && scheduled,
            SessionFilter::StartingWithinADay(ts) => start > *ts && start < ts + 86400 && scheduled,
        }
    }
}

/// Locations with the overlay's edits (renamed stations).
fn overlay_locations(overlay: &Overlay, list: Vec<Location>) -> Vec<Location> {
    overlay.merge(
        EntityKind::Location,
        list,
        |l| l.id.as_str(),
        |entity| match entity {
            Entity::Location(l) => Some(l.clone()),
            _ => None,
        },
        |_| true,
    )
}

/// A location's id and name, as a list row names its place.
struct PlaceName {
    id: String,
    name: String,
}

/// Every location's name by id, pending changes applied: read from the `name` column, not the
/// bodies (36C3 lists hundreds of rooms, and every agenda read and search asks for them).
fn location_names(
    tx: &Connection,
    event_id: &str,
    overlay: &Overlay,
) -> Result<HashMap<String, String>> {
    let mut stmt = tx
        .prepare_cached("SELECT id, name FROM location WHERE event_id = ?1")
        .context("listing location names")?;
    let stored = stmt
        .query_map([event_id], |r| {
            Ok(PlaceName {
                id: r.get(0)?,
                name: r.get(1)?,
            })
        })
        .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
        .context("listing location names")?;
    let names = overlay.merge(
        EntityKind::Location,
        stored,
        |place| place.id.as_str(),
        |entity| match entity {
            Entity::Location(location) => Some(PlaceName {
                id: location.id.clone(),
                name: location.name.clone(),
            }),
            _ => None,
        },
        |_| true,
    );
    Ok(names.into_iter().map(|p| (p.id, p.name)).collect())
}

impl SummaryContext {
    fn load(
        tx: &Connection,
        event_id: &str,
        ops: &[marktplatz_model::ops::Op],
    ) -> Result<SummaryContext> {
        let overlay = Overlay::build(tx, event_id, ops)?;
        let event = load_event(tx, event_id)?;
        let clock = EventClock::new(&event.timezone, event.day_change_hour)?;
        let tracks: Vec<Track> = bodies(
            tx,
            "SELECT body FROM track WHERE event_id = ?1",
            event_id,
            "track",
        )?;
        let location_names = location_names(tx, event_id, &overlay)?;
        Ok(SummaryContext {
            event_id: event_id.to_string(),
            clock,
            location_names,
            ids: id_ref::ids_of_event(tx, event_id)?,
            tracks: tracks.into_iter().map(|t| (t.id.clone(), t)).collect(),
            overlay,
        })
    }

    /// Sessions matching `filter` (SQL over alias `s`, `?1` is the event id, further parameters
    /// follow), in start order.
    fn sessions(&self, tx: &Connection, filter: &SessionFilter<'_>) -> Result<Vec<SessionSummary>> {
        let mut list = self.stored_sessions(tx, filter)?;
        if self.overlay.is_empty() {
            return Ok(list);
        }
        let mut names_of = HashMap::new();
        for entity in self.overlay.entities_of(EntityKind::Session) {
            if let Entity::Session(session) = entity {
                let mut names = Vec::new();
                for speaker_id in &session.speaker_ids {
                    if let Some(Entity::Speaker(sp)) =
                        read_entity(tx, &self.event_id, EntityKind::Speaker, speaker_id)?
                    {
                        names.push(sp.name);
                    }
                }
                names_of.insert(session.id.clone(), names);
            }
        }
        list = self.overlay.merge(
            EntityKind::Session,
            list,
            |s| s.id.as_str(),
            |entity| match entity {
                Entity::Session(session) if filter.matches(session, &self.clock) => {
                    let mut summary = self.summary(ListedSession::from(session), None);
                    summary.speaker_names = names_of.get(&session.id).cloned().unwrap_or_default();
                    Some(summary)
                }
                _ => None,
            },
            |_| true,
        );
        list.sort_by(|a, b| (a.start, a.end, &a.title).cmp(&(b.start, b.end, &b.title)));
        Ok(list)
    }

    fn stored_sessions(
        &self,
        tx: &Connection,
        filter: &SessionFilter<'_>,
    ) -> Result<Vec<SessionSummary>> {
        let mut stmt = tx
            .prepare_cached(&session_list_sql(filter))
            .context("listing sessions")?;
        let event = rusqlite::types::Value::Text(self.event_id.clone());
        let values = std::iter::once(event).chain(filter.values(&self.clock));
        let mut rows = stmt
            .query(rusqlite::params_from_iter(values))
            .context("listing sessions")?;
        let mut list = Vec::new();
        while let Some(row) = rows.next().context("listing sessions")? {
            let session = listed_session(row, &self.ids)?;
            let names: Option<String> = row.get(10).context("listing sessions")?;
            let summary = self.summary(session, names);
            if filter.keeps(&summary) {
                list.push(summary);
            }
        }
        Ok(list)
    }

    fn summary(&self, session: ListedSession, names: Option<String>) -> SessionSummary {
        let location_name = session
            .location_id
            .as_ref()
            .and_then(|id| self.location_names.get(id));
        let track = session.track_id.as_ref().and_then(|id| self.tracks.get(id));
        let local_start = self.clock.local(session.start);
        SessionSummary {
            day: self.clock.conference_day_of_local(local_start),
            local_start: hhmm(local_start),
            local_end: hhmm(self.clock.local(session.end)),
            location_name: location_name.cloned(),
            track_name: track.map(|t| t.name.clone()),
            track_color: track.and_then(|t| t.color.clone()),
            speaker_names: names
                .map(|n| n.split(NAME_SEPARATOR).map(str::to_string).collect())
                .unwrap_or_default(),
            id: session.id,
            title: session.title,
            subtitle: session.subtitle,
            kind: session.kind,
            status: session.status,
            start: session.start,
            end: session.end,
            location_id: session.location_id,
            track_id: session.track_id,
            languages: session.languages,
        }
    }
}

/// What a list row shows of a stored session: read from its columns, never from its body (a big
/// event's first agenda lists thousands of sessions; docs/adr/0010-performance.md).
struct ListedSession {
    id: String,
    kind: SessionKind,
    title: String,
    subtitle: Option<String>,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    location_id: Option<String>,
    track_id: Option<String>,
    languages: Vec<String>,
    status: SessionStatus,
}

/// A row of `stored_sessions`: columns 0-9 as selected there, the location and track by their
/// refs in `ids`.
fn listed_session(row: &rusqlite::Row<'_>, ids: &HashMap<i64, String>) -> Result<ListedSession> {
    let text = |i: usize| -> Result<String> { row.get(i).context("listing sessions") };
    let optional = |i: usize| -> Result<Option<String>> { row.get(i).context("listing sessions") };
    let id_of = |i: usize| -> Result<Option<String>> {
        let Some(number) = row.get::<_, Option<i64>>(i).context("listing sessions")? else {
            return Ok(None);
        };
        ids.get(&number).cloned().map(Some).ok_or_else(|| {
            Error::malformed(
                "a session's location or track",
                format!("it names ref {number}, which the event does not hold"),
            )
        })
    };
    let instant = |i: usize| -> Result<DateTime<Utc>> {
        let seconds: i64 = row.get(i).context("listing sessions")?;
        DateTime::from_timestamp(seconds, 0)
            .ok_or_else(|| Error::invalid("session", "start/end", format!("{seconds} is no time")))
    };
    // The same error kind as a body that does not decode: the stored row is damaged.
    let unknown = |what: &str, value: String| {
        Error::malformed(
            format!("session {what}"),
            format!("unknown {what} '{value}'"),
        )
    };
    Ok(ListedSession {
        id: text(0)?,
        kind: {
            let kind = text(1)?;
            SessionKind::parse(&kind).ok_or_else(|| unknown("kind", kind))?
        },
        title: text(2)?,
        subtitle: optional(3)?,
        start: instant(4)?,
        end: instant(5)?,
        location_id: id_of(6)?,
        track_id: id_of(7)?,
        languages: serde_json::from_str(&text(8)?)
            .map_err(|e| Error::malformed("session languages", e))?,
        status: {
            let status = text(9)?;
            SessionStatus::parse(&status).ok_or_else(|| unknown("status", status))?
        },
    })
}

impl From<&Session> for ListedSession {
    fn from(session: &Session) -> ListedSession {
        ListedSession {
            id: session.id.clone(),
            kind: session.kind,
            title: session.title.clone(),
            subtitle: session.subtitle.clone(),
            start: session.start,
            end: session.end,
            location_id: session.location_id.clone(),
            track_id: session.track_id.clone(),
            languages: session.languages.clone(),
            status: session.status,
        }
    }
}

/// `HH:MM` of a local wall-clock time.
fn hhmm(local: chrono::NaiveDateTime) -> String {
    use chrono::Timelike;
    format!("{:02}:{:02}", local.hour(), local.minute())
}

fn load_event(tx: &Connection, event_id: &str) -> Result<Event> {
    let body: Option<StoredBody> = tx
        .prepare_cached("SELECT body FROM event WHERE event_id = ?1")
        .and_then(|mut s| s.query_row([event_id], |r| r.get(0)).optional())
        .context("reading the event")?;
    match body {
        Some(body) => decode("event", &body),
        None => Err(Error::not_found("event", event_id)),
    }
}

fn bodies<T: serde::de::DeserializeOwned>(
    tx: &Connection,
    sql: &str,
    event_id: &str,
    what: &str,
) -> Result<Vec<T>> {
    let mut stmt = tx.prepare_cached(sql).context("listing content")?;
    let rows = stmt
        .query_map([event_id], |r| r.get::<_, StoredBody>(0))
        .context("listing content")?;
    let mut list = Vec::new();
    for body in rows {
        list.push(decode(what, &body.context("listing content")?)?);
    }
    Ok(list)
}

fn decode<T: serde::de::DeserializeOwned>(what: &str, body: &StoredBody) -> Result<T> {
    serde_json::from_str(&body.0).map_err(|e| Error::malformed(format!("stored {what}"), e))
}

/// Case- and accent-insensitive sort key for names.
fn sort_key(name: &str) -> String {
    marktplatz_model::text::fold(name)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn plan(store: &Store, filter: &SessionFilter<'_>) -> String {
        store
            .read(|tx| {
                let mut stmt = tx
                    .prepare(&format!("EXPLAIN QUERY PLAN {}", session_list_sql(filter)))
                    .context("test")?;
                let clock = EventClock::new("Europe/Berlin", 4)?;
                let event = rusqlite::types::Value::Text("e".into());
                let values = std::iter::once(event).chain(filter.values(&clock));
                let steps = stmt
                    .query_map(rusqlite::params_from_iter(values), |r| {
                        r.get::<_, String>(3)
                    })
                    .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
                    .context("test")?;
                Ok(steps.join("\n"))
            })
            .unwrap()
    }

    /// The lists of a few sessions (a search's hits, "next" by id, a speaker's talks) look each
    /// session up by its key; only whole-event lists walk the event's sessions in start order.
    #[test]
    fn lists_of_a_few_sessions_look_them_up_by_key() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let ids = ["a".to_string(), "b".to_string()];
        for filter in [
            SessionFilter::Ids(&ids, r#"["a","b"]"#.into()),
            SessionFilter::Speaker("sp"),
        ] {
            let plan = plan(&store, &filter);
            assert!(
                plan.contains(
                    "SEARCH s USING INDEX sqlite_autoindex_session_1 (event_id=? AND id=?)"
                ),
                "{plan}"
            );
            assert!(!plan.contains("session_by_start"), "{plan}");
        }
        // A day's sessions are a range of the start index, which covers the list's columns.
        let day = plan(&store, &SessionFilter::Day(NaiveDate::MIN));
        assert!(
            day.contains(
                "COVERING INDEX session_by_start (event_id=? AND start_ts>? AND start_ts<?)"
            ),
            "{day}"
        );
        for filter in [SessionFilter::Location("l"), SessionFilter::Track("t")] {
            let steps = plan(&store, &filter);
            assert!(
                steps.contains("COVERING INDEX session_by_start (event_id=?)"),
                "{steps}"
            );
        }
    }
}
