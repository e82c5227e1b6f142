#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Every frozen `user.db` (one per released schema version, `core/tests/fixtures/user-v*.db`)
//! opens under the current schema with nothing dropped: every row of every table it had is
//! still there, unchanged, and the app's own reads see the favourites, alerts, calendar
//! sequences, outbox entries (pending, in flight, rejected), access codes and announcements
//! passed over it held. The one change: an organiser token moves from user.db to the
//! credential store (ADR 0018).

use std::collections::BTreeMap;
use std::path::PathBuf;

use marktplatz_core::announcements;
use marktplatz_core::favourites;
use marktplatz_core::favourites::FavouriteKind;
use marktplatz_core::store::credentials::{self, CredentialStore, FileCredentials};
use marktplatz_core::store::{Store, schema};
use marktplatz_core::sync;
use marktplatz_core::sync::OpState;
use rusqlite::types::Value;

const EVENT: &str = "fixture-fair";

fn fixture(version: i64) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/user-v{version}.db"))
}

type Rows = Vec<BTreeMap<String, Value>>;

/// Every table's rows, column by column.
fn dump(path: &std::path::Path) -> BTreeMap<String, Rows> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    let mut out = BTreeMap::new();
    for table in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
        let names: Vec<String> = stmt.column_names().map(|s| s.to_string()).collect();
        let rows = stmt
            .query_map([], |r| {
                let mut row = BTreeMap::new();
                for (i, name) in names.iter().enumerate() {
                    row.insert(name.clone(), r.get::<_, Value>(i)?);
                }
                Ok(row)
            })
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        out.insert(table, rows);
    }
    out
}

/// The secrets `Store::open` keeps in `credentials.json` (none yet: empty).
fn credentials_file(dir: &std::path::Path) -> BTreeMap<String, String> {
    std::fs::read_to_string(dir.join("credentials.json"))
        .map(|text| serde_json::from_str(&text).unwrap())
        .unwrap_or_default()
}

/// The organiser token of `event_id` as the credential store holds it.
fn secret_of(secrets: &BTreeMap<String, String>, event_id: &Value) -> Option<Value> {
    let Value::Text(event_id) = event_id else {
        return None;
    };
    secrets
        .get(&format!("organiser-token:{event_id}"))
        .map(|token| Value::Text(token.clone()))
}

#[test]
fn every_frozen_user_db_opens_with_nothing_dropped() {
    let latest = schema::USER.latest_version();
    for version in 1..=latest {
        let path = fixture(version);
        assert!(
            path.is_file(),
            "{} is missing: freeze it with `cargo run -p marktplatz-core --example freeze_fixture`",
            path.display()
        );
        let dir = tempfile::tempdir().unwrap();
        let copy = dir.path().join("user.db");
        std::fs::copy(&path, &copy).unwrap();
        let before = dump(&copy);
        // From v7 on the token lives in the platform's credential store, beside the file:
        // give the copy what that store held.
        let token_in_file = before.get("organiser").is_some_and(|rows| {
            rows.iter()
                .all(|row| row["token"] != Value::Text(String::new()))
        });
        if before.contains_key("organiser") && !token_in_file {
            let held = FileCredentials::new(dir.path().join(credentials::CREDENTIALS_FILE));
            held.set(&credentials::organiser_key(EVENT), "fixture-token")
                .unwrap();
        }
        let store = Store::open(dir.path()).unwrap();
        assert!(
            store.notices().is_empty(),
            "v{version}: {:?}",
            store.notices()
        );
        drop(store);
        let after = dump(&copy);
        let secrets = credentials_file(dir.path());
        for (table, rows) in &before {
            let now = after
                .get(table)
                .unwrap_or_else(|| panic!("v{version}: table {table} was dropped"));
            for row in rows {
                let kept = now.iter().any(|new| {
                    row.iter().all(|(column, value)| {
                        let empty = Value::Text(String::new());
                        if (table.as_str(), column.as_str()) == ("organiser", "token")
                            && *value != empty
                        {
                            // Moved to the credential store (ADR 0018), the column cleared.
                            new.get(column) == Some(&empty)
                                && Some(value) == secret_of(&secrets, &row["event_id"]).as_ref()
                        } else {
                            new.get(column) == Some(value)
                        }
                    })
                });
                assert!(kept, "v{version}: {table} lost or changed {row:?}");
            }
            assert!(now.len() >= rows.len(), "v{version}: {table} lost rows");
        }
        let store = Store::open(dir.path()).unwrap();
        let sessions = favourites::favourite_ids(&store, EVENT, FavouriteKind::Session).unwrap();
        assert!(
            sessions.contains(&"s-late".to_string()) && sessions.contains(&"s-day2".to_string()),
            "v{version}: {sessions:?}"
        );
        if version >= 2 {
            assert!(sessions.len() >= 4, "v{version}: {sessions:?}");
            let alerts = favourites::alerts(&store, EVENT, true).unwrap();
            assert_eq!(alerts.len(), 2, "v{version}: {alerts:?}");
            assert_eq!(
                favourites::alerts(&store, EVENT, false).unwrap().len(),
                1,
                "v{version}"
            );
            assert!(!before["calendar_sequence"].is_empty());
        }
        if version >= 3 {
            let outbox = store.outbox(EVENT, true).unwrap();
            let states: Vec<OpState> = outbox.iter().map(|e| e.state).collect();
            assert_eq!(
                states,
                [OpState::Pending, OpState::InFlight, OpState::Rejected],
                "v{version}"
            );
            let keys: Vec<&str> = before["outbox"]
                .iter()
                .map(|r| match &r["key"] {
                    Value::Text(k) => k.as_str(),
                    other => panic!("{other:?}"),
                })
                .collect();
            assert_eq!(
                outbox.iter().map(|e| e.key.as_str()).collect::<Vec<_>>(),
                keys
            );
            assert!(outbox[2].rejection.is_some());
            assert!(sync::organiser(&store, EVENT).unwrap().is_some());
        }
        // v5 kept the access code entered for a protected event; older files had none.
        assert_eq!(
            sync::has_access_code(&store, EVENT).unwrap(),
            version >= 5,
            "v{version}"
        );
        // v6 started watching the event's urgent announcements (its backlog passed over);
        // nothing is ever notified from an upgrade (no content: nothing complete to notify).
        assert_eq!(
            before.contains_key("announcement_watch"),
            version >= 6,
            "v{version}"
        );
        if version >= 6 {
            assert_eq!(before["announcement_notified"].len(), 1, "v{version}");
        }
        let at = chrono::Utc::now();
        assert!(
            announcements::take_announcements_to_notify(&store, EVENT, at)
                .unwrap()
                .is_empty(),
            "v{version}"
        );
        if version >= 4 {
            // Alerts already shown as notifications are not notified again.
            assert!(
                favourites::take_alerts_to_notify(&store, EVENT)
                    .unwrap()
                    .is_empty(),
                "v{version}"
            );
        } else {
            // Older apps never notified: every unseen change alert is notified once.
            let first = favourites::take_alerts_to_notify(&store, EVENT)
                .unwrap()
                .len();
            assert!(version < 2 || first > 0, "v{version}");
            assert!(
                favourites::take_alerts_to_notify(&store, EVENT)
                    .unwrap()
                    .is_empty(),
                "v{version}"
            );
        }
    }
}
