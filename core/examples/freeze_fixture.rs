//! Writes databases of the current schema versions with known content as
//! `core/tests/fixtures/content-v{N}.db` and `user-v{M}.db`, for migration tests of later
//! versions: `cargo run -p marktplatz-core --example freeze_fixture`. A version that already has
//! a file is skipped: frozen files stand for what released apps wrote and are never rewritten.
//!
//! `user.db` holds every kind of user data the schema knows: favourites (with notes and their
//! `known` state), change alerts (one unseen, one seen), calendar sequences, an organiser
//! credential, outbox entries pending, in flight and rejected, an access code, and an urgent announcement
//! passed over as backlog.
//!
//! `user-v2.db` was frozen late, when v3 already existed: it is the v3 file without the tables
//! v3 added (`organiser`, `outbox`) and with `user_version = 2`, which is what a v2 app held.

use std::path::{Path, PathBuf};

use chrono::{Duration, TimeZone, Utc};
use marktplatz_core::announcements;
use marktplatz_core::favourites;
use marktplatz_core::favourites::{CalendarSelection, FavouriteKind};
use marktplatz_core::store::{Store, schema};
use marktplatz_core::sync;
use marktplatz_model::bundle::Bundle;
use marktplatz_model::model::{Entity, Priority};
use marktplatz_model::ops::Op;

const EVENT: &str = "fixture-fair";

fn sql(e: rusqlite::Error) -> marktplatz_core::Error {
    marktplatz_core::Error::sqlite("writing fixture data", e)
}

fn fill_user_data(store: &Store, bundle: &Bundle) -> Result<(), Box<dyn std::error::Error>> {
    store.write_user(|tx| {
        tx.execute_batch(
            "INSERT INTO favourite (event_id, kind, entity_id, note, created_at) VALUES
               ('fixture-fair', 'session', 's-late', 'mit Kim hingehen', 1761300000),
               ('fixture-fair', 'session', 's-day2', NULL, 1761300001),
               ('fixture-fair', 'speaker', 'sp-kim', NULL, 1761300002);
             INSERT INTO setting (key, value) VALUES ('reminder_lead_minutes', '10');",
        )
        .map_err(sql)
    })?;
    if schema::USER.latest_version() < 2 {
        return Ok(());
    }
    // Through the real API from here on: what the app itself writes.
    favourites::add_favourite(
        store,
        EVENT,
        FavouriteKind::Session,
        "s-opening",
        Some("Eröffnung"),
    )?;
    favourites::add_favourite(store, EVENT, FavouriteKind::Session, "s-dst", None)?;
    favourites::export_calendar(
        store,
        EVENT,
        &CalendarSelection::Favourites,
        Utc.with_ymd_and_hms(2026, 10, 20, 12, 0, 0)
            .single()
            .unwrap_or_default(),
    )?;
    // Two changes to favourited sessions: an alert each; the second one is marked seen.
    for (id, minutes) in [("s-opening", 30), ("s-dst", 15)] {
        let Some(mut session) = bundle.sessions.iter().find(|s| s.id == id).cloned() else {
            return Err(format!("{id} is not in the fixture bundle").into());
        };
        session.start += Duration::minutes(minutes);
        session.end += Duration::minutes(minutes);
        let entity = Entity::Session(session);
        let body = entity.to_json()?;
        let change = store.write_content(|tx| tx.upsert(EVENT, &entity, &body))?;
        favourites::record_change_alerts(store, EVENT, &[change])?;
    }
    let alerts = favourites::alerts(store, EVENT, false)?;
    if let Some(last) = alerts.last() {
        // Nobody listens while fixtures are written.
        let listeners = favourites::AlertListeners::default();
        favourites::mark_alerts_seen(store, &listeners, EVENT, &[last.id])?;
    }
    if schema::USER.latest_version() < 3 {
        return Ok(());
    }
    sync::set_organiser(
        store,
        EVENT,
        "http://127.0.0.1:9",
        "fixture.0123456789abcdef",
    )?;
    let mut keys = Vec::new();
    for n in 0..3 {
        let entry = store.queue_op(
            EVENT,
            Op::AnnouncementCreate {
                id: format!("fixture-note-{n}"),
                title: format!("Hinweis {n}"),
                body: "Kaffee im Foyer".into(),
                priority: Priority::Normal,
                published_at: Utc
                    .with_ymd_and_hms(2026, 10, 24, 8, n, 0)
                    .single()
                    .unwrap_or_default(),
                expires_at: None,
            },
        )?;
        keys.push(entry.key);
    }
    // The second was sent when the app died (in flight); the third was refused.
    store.write_user(|tx| {
        tx.execute(
            "UPDATE outbox SET state = 'in_flight', attempts = 1 WHERE key = ?1",
            [&keys[1]],
        )
        .map_err(sql)?;
        tx.execute(
            "UPDATE outbox SET state = 'rejected', attempts = 1, reject_code = 'conflict',
                    reject_message = 'exists already', current_seq = 7,
                    current_body = '{\"id\":\"fixture-note-2\"}'
             WHERE key = ?1",
            [&keys[2]],
        )
        .map_err(sql)
    })?;
    if schema::USER.latest_version() < 4 {
        return Ok(());
    }
    // v4: the alerts so far were shown as notifications; a v4 app must not show them again.
    favourites::take_alerts_to_notify(store, EVENT)?;
    if schema::USER.latest_version() < 5 {
        return Ok(());
    }
    // v5: the access code of a protected event, entered once.
    sync::set_access_code(store, EVENT, Some("Markthalle 2027"))?;
    if schema::USER.latest_version() < 6 {
        return Ok(());
    }
    // v6: the event's urgent announcements were there when the device started watching it:
    // passed over as backlog, never notified.
    let watched = Utc
        .with_ymd_and_hms(2026, 10, 24, 10, 0, 0)
        .single()
        .ok_or("time")?;
    announcements::take_announcements_to_notify(store, EVENT, watched)?;
    Ok(())
}

/// Folds the WAL into the main file so the fixture is one self-contained file.
fn self_contained(path: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let conn = rusqlite::Connection::open(path)?;
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;")?;
    Ok(())
}

fn freeze(source: &Path, target: &Path) -> Result<(), Box<dyn std::error::Error>> {
    if target.exists() {
        println!("{} exists; left as it is", target.display());
        return Ok(());
    }
    std::fs::copy(source, target)?;
    println!("froze {}", target.display());
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let work = std::env::temp_dir().join(format!("marktplatz-freeze-{}", std::process::id()));
    let store = Store::open(&work)?;
    let bundle = Bundle::from_json(&std::fs::read_to_string(
        fixtures.join("small-bundle.json"),
    )?)?;
    store.write_content(|tx| tx.replace_with_bundle(&bundle))?;
    fill_user_data(&store, &bundle)?;
    drop(store);
    for name in ["content.db", "user.db"] {
        self_contained(&work.join(name))?;
    }
    freeze(
        &work.join("content.db"),
        &fixtures.join(format!("content-v{}.db", schema::CONTENT.latest_version())),
    )?;
    let user = schema::USER.latest_version();
    freeze(
        &work.join("user.db"),
        &fixtures.join(format!("user-v{user}.db")),
    )?;
    if user == 3 {
        let v2 = work.join("user-v2.db");
        std::fs::copy(work.join("user.db"), &v2)?;
        let conn = rusqlite::Connection::open(&v2)?;
        conn.execute_batch(
            "DROP TABLE outbox; DROP TABLE organiser; PRAGMA user_version = 2; VACUUM;",
        )?;
        drop(conn);
        freeze(&v2, &fixtures.join("user-v2.db"))?;
    }
    std::fs::remove_dir_all(&work)?;
    Ok(())
}
