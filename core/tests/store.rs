//! The device store against real SQLite files: round trip, agenda across midnight and a DST
//! change, migration from frozen files, a reader never blocked by a writer, bad input.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, Utc};
use marktplatz_core::Error;
use marktplatz_core::store::{Store, StoredBody, schema};
use marktplatz_model::bundle::Bundle;
use marktplatz_model::model::*;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn small_bundle() -> Bundle {
    Bundle::from_json(&std::fs::read_to_string(fixtures().join("small-bundle.json")).unwrap())
        .unwrap()
}

fn loaded_store(dir: &Path) -> Store {
    let store = Store::open(dir).unwrap();
    store
        .write_content(|tx| tx.replace_with_bundle(&small_bundle()))
        .unwrap();
    store
}

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

const EVENT: &str = "fixture-fair";

#[test]
fn bundle_round_trips_through_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = small_bundle();
    {
        loaded_store(dir.path());
    }
    // Reopen from disk: everything comes back identical.
    let store = Store::open(dir.path()).unwrap();
    for entity in bundle.entities() {
        let stored = store.entity(EVENT, entity.kind(), entity.id()).unwrap();
        assert_eq!(
            stored.as_ref(),
            Some(&entity),
            "{} {}",
            entity.kind(),
            entity.id()
        );
    }
    let overview = store.event_overview(EVENT).unwrap();
    assert_eq!(overview.event, bundle.event);
    assert_eq!(overview.session_count, 5);
    assert_eq!(overview.speaker_count, 2);
    assert_eq!(overview.location_count, 3);
    assert_eq!(overview.exhibitor_count, 1);
    assert_eq!(overview.last_synced_at, None);
    let events = store.events().unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].id, EVENT);
}

/// Session bodies are kept as zstd frames (issue 23: the device folder), read back as the exact
/// JSON written; a body stored as text (every row written before) still reads.
#[test]
fn session_bodies_are_stored_compressed_and_text_bodies_still_read() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = small_bundle();
    drop(loaded_store(dir.path()));
    let conn = rusqlite::Connection::open(dir.path().join("content.db")).unwrap();
    let sessions: Vec<(String, String, StoredBody)> = conn
        .prepare("SELECT id, typeof(body), body FROM session WHERE event_id = ?1")
        .unwrap()
        .query_map([EVENT], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(sessions.len(), bundle.sessions.len());
    for (id, stored_as, body) in &sessions {
        let sent = bundle.sessions.iter().find(|s| &s.id == id).unwrap();
        assert_eq!(stored_as, "blob", "session {id}");
        assert_eq!(body.0, Entity::Session(sent.clone()).to_json().unwrap());
    }

    // As an older version wrote them: text.
    for (id, _, body) in &sessions {
        conn.execute(
            "UPDATE session SET body = ?1 WHERE event_id = ?2 AND id = ?3",
            (&body.0, EVENT, id),
        )
        .unwrap();
    }
    drop(conn);
    let store = Store::open(dir.path()).unwrap();
    for session in &bundle.sessions {
        let stored = store
            .entity(EVENT, EntityKind::Session, &session.id)
            .unwrap();
        assert_eq!(stored, Some(Entity::Session(session.clone())));
    }
}

/// Content v11: bodies compressed with an event's dictionary read in a process that never saw it
/// once the store is opened (the store loads every dictionary content.db holds); before, reading
/// one is an error naming the dictionary, never a wrong body. A damaged dictionary is damage:
/// content.db is set aside and the content downloaded again.
#[test]
fn bodies_made_with_a_stored_dictionary_read_once_the_store_is_opened() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = small_bundle();
    drop(loaded_store(dir.path()));
    // A dictionary made here, not by the store: this process has not seen it.
    let samples: Vec<String> = (0..300)
        .map(|n| {
            format!(r#"{{"id":"probe-{n}","title":"Probe {n} aus Delmenhorst","kind":"talk"}}"#)
        })
        .chain(
            bundle
                .sessions
                .iter()
                .map(|s| serde_json::to_string(s).unwrap()),
        )
        .collect();
    let dictionary = zstd::dict::from_samples(&samples, 4096).unwrap();
    let id = zstd::zstd_safe::get_dict_id(&dictionary).unwrap().get();
    let conn = rusqlite::Connection::open(dir.path().join("content.db")).unwrap();
    conn.execute(
        "INSERT INTO body_dictionary (event_id, dict_id, bytes) VALUES (?1, ?2, ?3)",
        (EVENT, id, &dictionary),
    )
    .unwrap();
    let mut compressor = zstd::bulk::Compressor::with_dictionary(1, &dictionary).unwrap();
    for session in &bundle.sessions {
        let json = Entity::Session(session.clone()).to_json().unwrap();
        conn.execute(
            "UPDATE session SET body = ?1 WHERE event_id = ?2 AND id = ?3",
            (
                compressor.compress(json.as_bytes()).unwrap(),
                EVENT,
                &session.id,
            ),
        )
        .unwrap();
    }
    let unread = conn.query_row("SELECT body FROM session LIMIT 1", [], |r| {
        r.get::<_, StoredBody>(0)
    });
    let error = unread.unwrap_err().to_string();
    assert!(error.contains(&format!("body dictionary {id}")), "{error}");
    drop(conn);

    let store = Store::open(dir.path()).unwrap();
    assert!(store.notices().is_empty(), "{:?}", store.notices());
    for session in &bundle.sessions {
        let stored = store
            .entity(EVENT, EntityKind::Session, &session.id)
            .unwrap();
        assert_eq!(stored, Some(Entity::Session(session.clone())));
    }
    drop(store);

    // The dictionary's bytes damaged: set aside at the next open, like a damaged database.
    let conn = rusqlite::Connection::open(dir.path().join("content.db")).unwrap();
    conn.execute("UPDATE body_dictionary SET bytes = x'37a430ec0102'", [])
        .unwrap();
    drop(conn);
    let store = Store::open(dir.path()).unwrap();
    assert!(
        store.notices().iter().any(|n| n.contains("set aside")),
        "{:?}",
        store.notices()
    );
    assert!(store.events().unwrap().is_empty());
}

/// A station renamed on this device and not yet published: its new name is what the agenda's
/// rows, a search hit's place and the session's detail show (the list rows read names from the
/// `name` column, the detail the location itself: both with the pending change applied).
#[test]
fn a_pending_station_rename_shows_in_list_rows_search_hits_and_the_detail() {
    let dir = tempfile::tempdir().unwrap();
    let store = loaded_store(dir.path());
    // As pulled from the event's server (an operation names the version it edits).
    store
        .write_content(|tx| tx.set_version(EVENT, EntityKind::Location, "st-sec", Some(7)))
        .unwrap();
    store
        .queue_op(
            EVENT,
            marktplatz_model::ops::Op::StationEdit {
                id: "st-sec".into(),
                name: Some("Station Informationssicherheit".into()),
                description: None,
                position: None,
            },
        )
        .unwrap();
    let renamed = Some("Station Informationssicherheit");

    let agenda = store.agenda(EVENT, day("2026-10-24")).unwrap();
    let late = agenda.iter().find(|s| s.id == "s-late").unwrap();
    assert_eq!(late.location_name.as_deref(), renamed);
    let opening = agenda.iter().find(|s| s.id == "s-opening").unwrap();
    assert_eq!(opening.location_name.as_deref(), Some("Forum"), "untouched");

    let cache = marktplatz_core::search::SearchCache::default();
    let hits = marktplatz_core::search::search(
        &store,
        &cache,
        &marktplatz_core::search::SearchQuery::new(EVENT, "Nachtschicht"),
    )
    .unwrap();
    let hit = hits.iter().find(|h| h.id == "s-late").unwrap();
    assert_eq!(
        hit.when_and_where.as_ref().and_then(|w| w.place.as_deref()),
        renamed
    );

    let detail = store.session_detail(EVENT, "s-late").unwrap();
    assert_eq!(detail.summary.location_name.as_deref(), renamed);
    let location = detail.location.unwrap();
    assert_eq!(
        (location.id.as_str(), location.name.as_str()),
        ("st-sec", "Station Informationssicherheit")
    );
    assert_eq!(
        store
            .session_detail(EVENT, "s-opening")
            .unwrap()
            .location
            .map(|l| l.name),
        Some("Forum".into())
    );
}

#[test]
fn agenda_runs_past_midnight_across_the_dst_change() {
    let dir = tempfile::tempdir().unwrap();
    let store = loaded_store(dir.path());
    // Day change at 05:00; 25 Oct 2026 has 25 hours (03:00 CEST -> 02:00 CET).
    let first = store.agenda(EVENT, day("2026-10-24")).unwrap();
    let ids: Vec<&str> = first.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["s-opening", "s-late", "s-dst", "s-after-dst"]);
    let times: Vec<(&str, &str)> = first
        .iter()
        .map(|s| (s.local_start.as_str(), s.local_end.as_str()))
        .collect();
    // 02:30 happens twice that night: the talk starts at the first 02:30 (CEST) and ends at
    // the second (CET), an hour later.
    assert_eq!(
        times,
        [
            ("09:00", "09:30"),
            ("23:00", "01:30"),
            ("02:30", "02:30"),
            ("04:30", "05:30")
        ]
    );
    assert!(first.iter().all(|s| s.day == day("2026-10-24")));
    let late = &first[1];
    assert_eq!(late.location_name.as_deref(), Some("Station IT-Sicherheit"));
    assert_eq!(late.track_name.as_deref(), Some("Sicherheit"));
    assert_eq!(late.track_color.as_deref(), Some("#aa3344"));
    assert_eq!(late.speaker_names, ["Kim Beispiel"]);
    // Speaker order follows the session's list, not the alphabet.
    assert_eq!(first[0].speaker_names, ["Ole Muster", "Kim Beispiel"]);

    let second = store.agenda(EVENT, day("2026-10-25")).unwrap();
    assert_eq!(second.len(), 1);
    assert_eq!(second[0].id, "s-day2");
    assert_eq!(second[0].local_start, "10:00"); // CET now
    assert_eq!(second[0].status, SessionStatus::Cancelled);
    assert!(store.agenda(EVENT, day("2026-10-26")).unwrap().is_empty());
}

/// Content v10: a day's list is read as a range of starts around the day's bounds (the day
/// index is gone). Sessions every 20 minutes over four days, across the night the clocks go back
/// (2026-10-25, day change at 05:00): each day lists exactly the sessions of that conference day,
/// in start order, and every session is listed once.
#[test]
fn each_days_agenda_holds_exactly_the_sessions_of_that_conference_day() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let mut bundle = small_bundle();
    let template = bundle.sessions[0].clone();
    bundle.sessions.clear();
    bundle.event.days.clear();
    let clock = marktplatz_model::time::EventClock::new(
        &bundle.event.timezone,
        bundle.event.day_change_hour,
    )
    .unwrap();
    let base = utc("2026-10-23T00:10:00Z");
    for n in 0..(4 * 72) {
        let mut session = template.clone();
        session.id = format!("q-{n:03}");
        session.title = format!("Slot {n}");
        session.start = base + chrono::Duration::minutes(20 * n);
        session.end = session.start + chrono::Duration::minutes(15);
        session.speaker_ids.clear();
        let day = clock.conference_day(session.start);
        if !bundle.event.days.contains(&day) {
            bundle.event.days.push(day);
        }
        bundle.sessions.push(session);
    }
    bundle.validate().unwrap();
    store
        .write_content(|tx| tx.replace_with_bundle(&bundle))
        .unwrap();
    assert!(bundle.event.days.len() >= 4);
    let mut listed = 0;
    for day in &bundle.event.days {
        let got: Vec<String> = store
            .agenda(EVENT, *day)
            .unwrap()
            .into_iter()
            .map(|s| s.id)
            .collect();
        let expected: Vec<String> = bundle
            .sessions
            .iter()
            .filter(|s| clock.conference_day(s.start) == *day)
            .map(|s| s.id.clone())
            .collect();
        assert!(!expected.is_empty(), "{day}");
        assert_eq!(got, expected, "{day}");
        listed += got.len();
    }
    assert_eq!(listed, bundle.sessions.len());
}

#[test]
fn sessions_by_location_track_and_speaker() {
    let dir = tempfile::tempdir().unwrap();
    let store = loaded_store(dir.path());
    let ids = |list: Vec<marktplatz_core::store::SessionSummary>| -> Vec<String> {
        list.into_iter().map(|s| s.id).collect()
    };
    assert_eq!(
        ids(store.sessions_at_location(EVENT, "st-sec").unwrap()),
        ["s-late", "s-day2"]
    );
    assert_eq!(
        ids(store.sessions_in_track(EVENT, "sec").unwrap()),
        ["s-late", "s-day2"]
    );
    assert_eq!(
        ids(store.sessions_of_speaker(EVENT, "sp-kim").unwrap()),
        ["s-opening", "s-late", "s-day2"]
    );
    assert!(
        store
            .sessions_of_speaker(EVENT, "nobody")
            .unwrap()
            .is_empty()
    );
}

#[test]
fn now_and_next() {
    let dir = tempfile::tempdir().unwrap();
    let store = loaded_store(dir.path());
    let at = utc("2026-10-24T07:15:00Z");
    let nn = store.now_next(EVENT, at).unwrap();
    assert_eq!(
        nn.now.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
        ["s-opening"]
    );
    // One next session per location, in start order: the station's workshop, then the forum.
    assert_eq!(
        nn.next.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
        ["s-late", "s-dst"]
    );
    // A cancelled session is neither now nor next.
    let nn = store.now_next(EVENT, utc("2026-10-25T08:00:00Z")).unwrap();
    assert!(nn.now.is_empty() && nn.next.is_empty(), "{nn:?}");
}

#[test]
fn next_lists_the_first_session_of_at_most_twelve_locations_in_start_order() {
    // 20 locations, each with sessions at several times (in no particular order of ids), one
    // cancelled and one more than a day ahead: the list reads only the sessions it shows, and
    // must still be what filtering every upcoming session would give.
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let mut bundle = small_bundle();
    let template = bundle.sessions[0].clone();
    let base = utc("2026-10-24T09:00:00Z");
    for n in 0..100u32 {
        let location = format!("room-{}", (n * 7) % 20);
        if n < 20 {
            bundle.locations.push(Location {
                id: format!("room-{n}"),
                name: format!("Raum {n}"),
                kind: LocationKind::Room,
                parent_id: None,
                description: String::new(),
                position: None,
                sort_order: n as i32,
            });
        }
        let mut session = template.clone();
        session.id = format!("gen-{n:03}");
        session.title = format!("Vortrag {}", 100 - n);
        session.start = base + chrono::Duration::minutes(i64::from((n * 37) % 300));
        session.end = session.start + chrono::Duration::minutes(30);
        session.location_id = Some(location);
        session.track_id = None;
        session.speaker_ids.clear();
        if n == 3 {
            session.status = SessionStatus::Cancelled;
        }
        if n == 4 {
            session.start = base + chrono::Duration::days(2);
            session.end = session.start + chrono::Duration::minutes(30);
        }
        bundle.sessions.push(session);
    }
    bundle.validate().unwrap();
    store
        .write_content(|tx| tx.replace_with_bundle(&bundle))
        .unwrap();
    let at = utc("2026-10-24T08:59:00Z");
    let mut upcoming: Vec<&Session> = bundle
        .sessions
        .iter()
        .filter(|s| {
            s.status == SessionStatus::Scheduled
                && s.start > at
                && s.start < at + chrono::Duration::days(1)
        })
        .collect();
    upcoming.sort_by(|a, b| (a.start, a.end, &a.title).cmp(&(b.start, b.end, &b.title)));
    let mut seen = std::collections::HashSet::new();
    let expected: Vec<&str> = upcoming
        .into_iter()
        .filter(|s| seen.insert(s.location_id.clone()))
        .take(12)
        .map(|s| s.id.as_str())
        .collect();
    assert_eq!(expected.len(), 12);
    let next = store.now_next(EVENT, at).unwrap().next;
    let got: Vec<&str> = next.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(got, expected);
    // Full summaries, not just ids.
    assert!(
        next.iter()
            .all(|s| s.location_name.is_some() && !s.title.is_empty())
    );
}

#[test]
fn session_detail_resolves_speakers_location_track() {
    let dir = tempfile::tempdir().unwrap();
    let store = loaded_store(dir.path());
    let detail = store.session_detail(EVENT, "s-opening").unwrap();
    assert_eq!(detail.session.title, "Eröffnung");
    assert_eq!(detail.location.unwrap().name, "Forum");
    assert!(detail.track.is_none());
    let names: Vec<_> = detail.speakers.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Ole Muster", "Kim Beispiel"]);
    let missing = store.session_detail(EVENT, "nope").unwrap_err();
    assert!(matches!(missing, Error::NotFound { .. }), "{missing}");
}

#[test]
fn exhibitors_announcements_gallery_info() {
    let dir = tempfile::tempdir().unwrap();
    let store = loaded_store(dir.path());
    let at_station = store.exhibitors(EVENT, Some("st-sec"), None).unwrap();
    assert_eq!(at_station.len(), 1);
    assert_eq!(
        at_station[0].station_name.as_deref(),
        Some("Station IT-Sicherheit")
    );
    // Topics match case-insensitively.
    assert_eq!(
        store
            .exhibitors(EVENT, None, Some("it-sicherheit"))
            .unwrap()
            .len(),
        1
    );
    assert!(
        store
            .exhibitors(EVENT, Some("forum"), None)
            .unwrap()
            .is_empty()
    );
    assert!(
        store
            .exhibitors(EVENT, None, Some("Catering"))
            .unwrap()
            .is_empty()
    );

    let stations = store.stations(EVENT).unwrap();
    let sec = stations.iter().find(|s| s.location.id == "st-sec").unwrap();
    assert_eq!((sec.exhibitor_count, sec.session_count), (1, 2));

    // At 10:00 UTC: the food notice is live, the room change too (urgent first), the closing
    // note is not published yet.
    let live = store
        .announcements(EVENT, utc("2026-10-24T10:00:00Z"))
        .unwrap();
    assert_eq!(
        live.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(),
        ["a-room", "a-food"]
    );
    // After the food notice expired.
    let later = store
        .announcements(EVENT, utc("2026-10-24T15:00:00Z"))
        .unwrap();
    assert_eq!(
        later.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(),
        ["a-room"]
    );

    assert!(store.gallery(EVENT).unwrap().is_empty());
    assert_eq!(store.info_pages(EVENT).unwrap()[0].title, "WLAN");
}

#[test]
fn invalid_bundle_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = loaded_store(dir.path());
    let mut broken = small_bundle();
    broken.sessions[0].title = "Geändert".into();
    broken.sessions[1].location_id = Some("no-such-room".into());
    // Validation refuses it before any write...
    let err = broken.validate().unwrap_err().to_string();
    assert!(err.contains("session 's-opening': location_id"), "{err}");
    // ...and a failure in the middle of a write rolls the whole transaction back.
    let result = store.write_content(|tx| {
        tx.replace_with_bundle(&broken)?;
        Err::<(), _>(Error::invalid(
            "test",
            "abort",
            "simulated failure mid-write",
        ))
    });
    assert!(result.is_err());
    let kept = store
        .entity(EVENT, EntityKind::Session, "s-late")
        .unwrap()
        .unwrap();
    let Entity::Session(kept) = kept else {
        panic!()
    };
    assert_eq!(kept.title, "Nachtschicht: Incident Response");
    assert_eq!(store.event_overview(EVENT).unwrap().session_count, 5);
}

#[test]
fn opens_frozen_v1_files_and_keeps_their_data() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixtures().join("content-v1.db"),
        dir.path().join("content.db"),
    )
    .unwrap();
    std::fs::copy(fixtures().join("user-v1.db"), dir.path().join("user.db")).unwrap();
    let store = Store::open(dir.path()).unwrap();
    assert!(store.notices().is_empty(), "{:?}", store.notices());
    let agenda = store.agenda(EVENT, day("2026-10-24")).unwrap();
    assert_eq!(agenda.len(), 4);
    let favourites: Vec<(String, Option<String>)> = store
        .read_user(|tx| {
            let mut stmt = tx
                .prepare("SELECT entity_id, note FROM favourite ORDER BY created_at")
                .unwrap();
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
            Ok(rows.map(|r| r.unwrap()).collect())
        })
        .unwrap();
    assert_eq!(
        favourites,
        [
            ("s-late".to_string(), Some("mit Kim hingehen".to_string())),
            ("s-day2".to_string(), None),
            ("sp-kim".to_string(), None)
        ]
    );
    for (name, expected) in [("content.db", &schema::CONTENT), ("user.db", &schema::USER)] {
        let conn = rusqlite::Connection::open(dir.path().join(name)).unwrap();
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, expected.latest_version(), "{name}");
    }
}

#[test]
fn list_rows_name_the_speakers_as_they_are_now() {
    // Agenda rows carry speaker names in a column (content v5), kept current by every write of
    // a session or a speaker, whichever arrives first in the sync's pages.
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let bundle = small_bundle();
    let session = bundle
        .sessions
        .iter()
        .find(|s| s.speaker_ids.len() >= 2)
        .expect("a fixture session with two speakers")
        .clone();
    let names_in_agenda = |store: &Store| -> Vec<String> {
        let day = store
            .agenda(EVENT, session_day(store, &session.id))
            .unwrap();
        day.into_iter()
            .find(|row| row.id == session.id)
            .unwrap()
            .speaker_names
    };
    // The session before its speakers: no names yet, then both in the session's order.
    let mut without_speakers = bundle.clone();
    without_speakers.speakers.clear();
    store
        .write_content(|tx| tx.replace_with_bundle(&without_speakers))
        .unwrap();
    assert!(names_in_agenda(&store).is_empty());
    let upsert = |store: &Store, entity: Entity| {
        store
            .write_content(|tx| {
                let body = entity.to_json().unwrap();
                tx.upsert(EVENT, &entity, &body)
            })
            .unwrap();
    };
    let speaker =
        |id: &str| -> Speaker { bundle.speakers.iter().find(|s| s.id == id).unwrap().clone() };
    for id in session.speaker_ids.iter().rev() {
        upsert(&store, Entity::Speaker(speaker(id)));
    }
    let expected: Vec<String> = session
        .speaker_ids
        .iter()
        .map(|id| speaker(id).name)
        .collect();
    assert_eq!(names_in_agenda(&store), expected);
    // A renamed speaker is renamed in the list; a removed one disappears from it.
    let mut renamed = speaker(&session.speaker_ids[0]);
    renamed.name = "Dr. Neu Name".into();
    upsert(&store, Entity::Speaker(renamed));
    assert_eq!(names_in_agenda(&store)[0], "Dr. Neu Name");
    store
        .write_content(|tx| tx.delete(EVENT, EntityKind::Speaker, &session.speaker_ids[1]))
        .unwrap();
    assert_eq!(names_in_agenda(&store), ["Dr. Neu Name"]);
    // The session's own speaker list changing is seen too.
    let mut reordered = session.clone();
    reordered.speaker_ids.reverse();
    upsert(&store, Entity::Session(reordered));
    assert_eq!(names_in_agenda(&store), ["Dr. Neu Name"]);
    assert_eq!(
        store
            .now_next(EVENT, session.start + chrono::Duration::minutes(1))
            .unwrap()
            .now
            .iter()
            .find(|row| row.id == session.id)
            .map(|row| row.speaker_names.clone()),
        Some(vec!["Dr. Neu Name".to_string()])
    );
}

fn session_day(store: &Store, session_id: &str) -> NaiveDate {
    store.session_detail(EVENT, session_id).unwrap().summary.day
}

#[test]
fn every_frozen_content_db_lists_sessions_as_their_bodies_say() {
    // Content v5 keeps what a list row shows in columns (filled from the bodies on migration);
    // the agenda read from them must equal the sessions the bodies hold, for every frozen file.
    for version in 1..=schema::CONTENT.latest_version() {
        let frozen = fixtures().join(format!("content-v{version}.db"));
        if !frozen.is_file() {
            continue; // not every version was frozen (v2, v3 came and went within one stop)
        }
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(&frozen, dir.path().join("content.db")).unwrap();
        let store = Store::open(dir.path()).unwrap();
        assert!(
            store.notices().is_empty(),
            "v{version}: {:?}",
            store.notices()
        );
        let conn = rusqlite::Connection::open(dir.path().join("content.db")).unwrap();
        let bodies: Vec<Session> = conn
            .prepare("SELECT body FROM session WHERE event_id = ?1")
            .unwrap()
            // v7 on: bodies stored as zstd frames (read as the store reads them).
            .query_map([EVENT], |r| r.get::<_, StoredBody>(0))
            .unwrap()
            .map(|r| serde_json::from_str(&r.unwrap().0).unwrap())
            .collect();
        assert!(!bodies.is_empty(), "v{version}");
        let mut listed = 0;
        for day in store.event_overview(EVENT).unwrap().event.days {
            for row in store.agenda(EVENT, day).unwrap() {
                let body = bodies.iter().find(|s| s.id == row.id).unwrap();
                assert_eq!(
                    (
                        &row.title,
                        &row.subtitle,
                        row.kind,
                        row.status,
                        &row.languages
                    ),
                    (
                        &body.title,
                        &body.subtitle,
                        body.kind,
                        body.status,
                        &body.languages
                    ),
                    "v{version} {}",
                    row.id
                );
                assert_eq!((row.start, row.end), (body.start, body.end));
                // Content v10 names them by ref: the ids as the bodies hold them.
                assert_eq!(
                    (&row.location_id, &row.track_id),
                    (&body.location_id, &body.track_id),
                    "v{version} {}",
                    row.id
                );
                let names: Vec<String> = body
                    .speaker_ids
                    .iter()
                    .filter_map(|id| {
                        conn.query_row(
                            "SELECT name FROM speaker WHERE event_id = ?1 AND id = ?2",
                            [EVENT, id.as_str()],
                            |r| r.get(0),
                        )
                        .ok()
                    })
                    .collect();
                assert_eq!(row.speaker_names, names, "v{version} {}", row.id);
                listed += 1;
            }
        }
        assert_eq!(listed, bodies.len(), "v{version}");
    }
}

#[test]
fn a_store_from_a_newer_version_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    drop(loaded_store(dir.path()));
    let user = dir.path().join("user.db");
    {
        let conn = rusqlite::Connection::open(&user).unwrap();
        conn.pragma_update(None, "user_version", 999).unwrap();
    }
    let before = std::fs::read(&user).unwrap();
    let err = Store::open(dir.path())
        .err()
        .expect("a newer user.db must be refused");
    let message = err.to_string();
    assert!(
        message.contains("user.db") && message.contains("newer") && message.contains("999"),
        "{message}"
    );
    assert_eq!(
        std::fs::read(&user).unwrap(),
        before,
        "the newer file was modified"
    );
}

#[test]
fn damaged_content_db_is_set_aside_and_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    drop(loaded_store(dir.path()));
    std::fs::write(
        dir.path().join("content.db"),
        b"this is not a database, just garbage bytes",
    )
    .unwrap();
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.notices().len(), 1, "{:?}", store.notices());
    assert!(store.notices()[0].contains("content.db"));
    assert!(store.events().unwrap().is_empty());
    // The damaged file is kept beside, never deleted.
    let kept = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .any(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("content.db.damaged-")
        });
    assert!(kept);
    // user.db was untouched: favourites written before are still there.
}

#[test]
fn a_reader_is_not_blocked_by_a_long_write() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(loaded_store(dir.path()));
    let writer_store = store.clone();
    let (holding_tx, holding_rx) = std::sync::mpsc::channel();
    let writer = std::thread::spawn(move || {
        writer_store
            .write_content(|tx| {
                tx.clear_event(EVENT)?; // uncommitted: readers must still see the old content
                holding_tx.send(()).unwrap();
                std::thread::sleep(Duration::from_millis(800));
                Err::<(), _>(Error::Cancelled)
            })
            .unwrap_err();
    });
    holding_rx.recv().unwrap();
    let began = Instant::now();
    let agenda = store.agenda(EVENT, day("2026-10-24")).unwrap();
    let waited = began.elapsed();
    assert_eq!(agenda.len(), 4, "the reader saw uncommitted changes");
    assert!(
        waited < Duration::from_millis(300),
        "the reader waited {waited:?} for the writer"
    );
    writer.join().unwrap();
}

#[test]
fn suspend_returns_only_when_no_transaction_is_open() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(loaded_store(dir.path()));
    let writer_store = store.clone();
    let (holding_tx, holding_rx) = std::sync::mpsc::channel();
    let writer = std::thread::spawn(move || {
        writer_store.write_content(|tx| {
            holding_tx.send(()).unwrap();
            std::thread::sleep(Duration::from_millis(300));
            tx.clear_event(EVENT)
        })
    });
    holding_rx.recv().unwrap();
    store.suspend();
    // The write finished and committed before suspend returned.
    writer.join().unwrap().unwrap();
    assert!(matches!(store.events(), Err(Error::Suspended)));
    store.resume();
    assert!(store.events().unwrap().is_empty());
}

#[test]
fn the_agenda_opens_on_today_or_the_next_day_or_the_last() {
    let dir = tempfile::tempdir().unwrap();
    let store = loaded_store(dir.path());
    // Before the fair: its first day.
    assert_eq!(
        store
            .agenda_day(EVENT, utc("2026-09-01T10:00:00Z"))
            .unwrap(),
        day("2026-10-24")
    );
    // On the second day, also at 01:30 local of the night after (before the day changes at 05:00).
    assert_eq!(
        store
            .agenda_day(EVENT, utc("2026-10-25T08:00:00Z"))
            .unwrap(),
        day("2026-10-25")
    );
    assert_eq!(
        store
            .agenda_day(EVENT, utc("2026-10-25T23:30:00Z"))
            .unwrap(),
        day("2026-10-25")
    );
    // 02:00 local on the first day is still the evening before: the first day is next.
    assert_eq!(
        store
            .agenda_day(EVENT, utc("2026-10-24T00:00:00Z"))
            .unwrap(),
        day("2026-10-24")
    );
    // Long after: the last day.
    assert_eq!(
        store
            .agenda_day(EVENT, utc("2027-01-01T10:00:00Z"))
            .unwrap(),
        day("2026-10-25")
    );
    assert!(matches!(
        store.agenda_day("no-such-event", Utc::now()),
        Err(Error::NotFound { .. })
    ));
}

/// An exhibitor written again keeps only its new topics (the first write of one skips removing
/// old topics: there are none).
#[test]
fn an_exhibitor_written_again_is_found_by_its_new_topics_only() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let event = "mp-nordwest";
    let exhibitor = |topics: &[&str]| Exhibitor {
        id: "x1".into(),
        name: "Stadtwerke".into(),
        station_id: None,
        topics: topics.iter().map(|t| t.to_string()).collect(),
        description: String::new(),
        contact: None,
        website: None,
        logo: None,
    };
    let write = |x: Exhibitor| {
        store
            .write_content(|tx| {
                let entity = Entity::Exhibitor(x);
                let body = entity.to_json().unwrap();
                tx.upsert(event, &entity, &body).map(|_| ())
            })
            .unwrap()
    };
    let found = |topic: &str| store.exhibitors(event, None, Some(topic)).unwrap().len();
    write(exhibitor(&["Energie", "Wasser"]));
    assert_eq!((found("energie"), found("Wasser")), (1, 1));
    write(exhibitor(&["Glasfaser"]));
    assert_eq!(
        (found("Energie"), found("Wasser"), found("glasfaser")),
        (0, 0, 1)
    );
}

/// A copy of every frozen content.db older than the current schema, each in its own folder.
fn frozen_content_dbs() -> Vec<(i64, tempfile::TempDir)> {
    (1..schema::CONTENT.latest_version())
        .filter_map(|version| {
            let frozen = fixtures().join(format!("content-v{version}.db"));
            // Not every version was frozen.
            frozen.is_file().then(|| {
                let dir = tempfile::tempdir().unwrap();
                std::fs::copy(&frozen, dir.path().join("content.db")).unwrap();
                (version, dir)
            })
        })
        .collect()
}

/// Content v8: every rewrite of an exhibitor (a first sync's too) deletes its topics by its key,
/// not by reading all of the event's topics; in a new content.db and in every frozen one
/// migrated to v8, whose topics still find their exhibitor and are replaced by a rewrite.
#[test]
fn every_content_db_deletes_an_exhibitors_topics_by_its_key() {
    let delete_plan = |dir: &Path| -> String {
        let conn = rusqlite::Connection::open(dir.join("content.db")).unwrap();
        let mut plan = conn
            .prepare(
                "EXPLAIN QUERY PLAN
                 DELETE FROM exhibitor_topic WHERE event_id = ?1 AND exhibitor_id = ?2",
            )
            .unwrap();
        let steps = plan
            .query_map([EVENT, "x-secure"], |r| r.get::<_, String>(3))
            .unwrap()
            .map(|r| r.unwrap())
            .collect::<Vec<_>>();
        steps.join("; ")
    };
    let by_key = "exhibitor_topic_by_exhibitor (event_id=? AND exhibitor_id=?)";
    let dir = tempfile::tempdir().unwrap();
    drop(loaded_store(dir.path()));
    let plan = delete_plan(dir.path());
    assert!(plan.contains(by_key), "new content.db: {plan}");

    for (version, dir) in frozen_content_dbs() {
        let store = Store::open(dir.path()).unwrap();
        let found = |topic: &str| -> Vec<String> {
            let listed = store.exhibitors(EVENT, None, Some(topic)).unwrap();
            listed.into_iter().map(|x| x.exhibitor.id).collect()
        };
        assert_eq!(found("IT-Sicherheit"), ["x-secure"], "v{version}");
        let mut exhibitor = store
            .exhibitors(EVENT, None, None)
            .unwrap()
            .into_iter()
            .find(|x| x.exhibitor.id == "x-secure")
            .unwrap()
            .exhibitor;
        exhibitor.topics = vec!["Glasfaser".into()];
        store
            .write_content(|tx| {
                let entity = Entity::Exhibitor(exhibitor.clone());
                let body = entity.to_json().unwrap();
                tx.upsert(EVENT, &entity, &body).map(|_| ())
            })
            .unwrap();
        assert_eq!(
            (found("it-sicherheit"), found("notfallmanagement")),
            (vec![], vec![]),
            "v{version}"
        );
        assert_eq!(found("glasfaser"), ["x-secure"], "v{version}");
        drop(store);
        let plan = delete_plan(dir.path());
        assert!(plan.contains(by_key), "v{version}: {plan}");
    }
}

/// Content v9: FTS5 holds up to 4 MiB of pending terms before writing a segment, in a new
/// content.db and in every frozen one migrated to v9 (a first sync's index is then one segment).
#[test]
fn every_content_db_lets_fts5_hold_four_mebibytes_of_pending_terms() {
    let hash_size = |dir: &Path| -> i64 {
        let conn = rusqlite::Connection::open(dir.join("content.db")).unwrap();
        conn.query_row(
            "SELECT v FROM search_fts_config WHERE k = 'hashsize'",
            [],
            |r| r.get(0),
        )
        .unwrap()
    };
    let dir = tempfile::tempdir().unwrap();
    drop(loaded_store(dir.path()));
    assert_eq!(hash_size(dir.path()), 4 << 20, "new content.db");
    for (version, dir) in frozen_content_dbs() {
        let store = Store::open(dir.path()).unwrap();
        let cache = marktplatz_core::search::SearchCache::default();
        let query = marktplatz_core::search::SearchQuery::new(EVENT, "\"die doppelte Stunde\"");
        let hits = marktplatz_core::search::search(&store, &cache, &query).unwrap();
        let ids: Vec<&str> = hits.iter().map(|hit| hit.id.as_str()).collect();
        assert_eq!(ids, ["s-dst"], "v{version}");
        drop(store);
        assert_eq!(hash_size(dir.path()), 4 << 20, "v{version}");
    }
}
