//! Adding, removing and listing favourites; their survival of content resets and a migration.

use marktplatz_core::Error;
use marktplatz_core::favourites;
use marktplatz_core::favourites::{FavouriteKind, FavouriteState};
use marktplatz_core::store::{CONTENT_DB, Store, schema};

use crate::common::*;

fn states(store: &Store, event: &str) -> Vec<(String, FavouriteState, Option<String>)> {
    favourites::favourites(store, event)
        .unwrap()
        .into_iter()
        .map(|f| (f.id, f.state, f.title))
        .collect()
}

#[test]
fn add_toggle_note_remove() {
    let dir = tempfile::tempdir().unwrap();
    let store = loaded(dir.path());
    let session = FavouriteKind::Session;
    assert!(
        favourites::add_favourite(&store, EVENT, session, "f-talk-a", Some("  mit Ole  ")).unwrap()
    );
    assert!(
        !favourites::add_favourite(&store, EVENT, session, "f-talk-a", None).unwrap(),
        "already one"
    );
    assert!(
        favourites::toggle_favourite(
            &store,
            &store.alerts,
            EVENT,
            FavouriteKind::Speaker,
            "sp-kim"
        )
        .unwrap()
    );
    assert!(
        favourites::add_favourite(&store, EVENT, FavouriteKind::Exhibitor, "x-secure", None)
            .unwrap()
    );
    assert!(favourites::add_favourite(&store, EVENT, session, "f-open", None).unwrap());

    let list = favourites::favourites(&store, EVENT).unwrap();
    let ids: Vec<&str> = list.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(
        ids,
        ["f-open", "f-talk-a", "sp-kim", "x-secure"],
        "sessions by time, then people, then exhibitors"
    );
    assert_eq!(
        list[1].note.as_deref(),
        Some("mit Ole"),
        "note trimmed, kept on a second add"
    );
    assert_eq!(
        list[1].title.as_deref(),
        Some("Digitale Verwaltung, jetzt; wirklich")
    );
    assert_eq!(
        list[1].session.as_ref().unwrap().local_start.as_deref(),
        Some("10:00")
    );
    assert_eq!(list[2].title.as_deref(), Some("Kim Beispiel"));
    assert!(list.iter().all(|f| f.state == FavouriteState::Present));

    favourites::set_favourite_note(&store, EVENT, session, "f-talk-a", Some("   ")).unwrap();
    assert_eq!(
        favourites::favourites(&store, EVENT).unwrap()[1].note,
        None,
        "blank clears"
    );
    favourites::set_favourite_note(&store, EVENT, session, "f-open", Some("vorne sitzen")).unwrap();
    assert_eq!(
        favourites::favourites(&store, EVENT).unwrap()[0]
            .note
            .as_deref(),
        Some("vorne sitzen")
    );

    assert!(
        !favourites::toggle_favourite(
            &store,
            &store.alerts,
            EVENT,
            FavouriteKind::Speaker,
            "sp-kim"
        )
        .unwrap()
    );
    assert!(!favourites::is_favourite(&store, EVENT, FavouriteKind::Speaker, "sp-kim").unwrap());
    assert!(favourites::remove_favourite(&store, &store.alerts, EVENT, session, "f-open").unwrap());
    assert!(
        !favourites::remove_favourite(&store, &store.alerts, EVENT, session, "f-open").unwrap()
    );
    assert_eq!(
        favourites::favourite_ids(&store, EVENT, session).unwrap(),
        ["f-talk-a"]
    );
}

#[test]
fn bad_input_is_refused_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let store = loaded(dir.path());
    let err =
        favourites::add_favourite(&store, EVENT, FavouriteKind::Session, "no-such-talk", None)
            .unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err}");
    assert!(err.to_string().contains("no-such-talk"), "{err}");
    // A speaker id is not a session id.
    assert!(
        favourites::add_favourite(&store, EVENT, FavouriteKind::Session, "sp-kim", None).is_err()
    );
    let long = "x".repeat(5000);
    let err =
        favourites::add_favourite(&store, EVENT, FavouriteKind::Session, "f-open", Some(&long))
            .unwrap_err();
    assert!(err.to_string().contains("note"), "{err}");
    assert!(
        favourites::favourites(&store, EVENT).unwrap().is_empty(),
        "nothing half-saved"
    );
    let err =
        favourites::set_favourite_note(&store, EVENT, FavouriteKind::Session, "f-open", Some("x"))
            .unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err}");
    assert_eq!(
        favourites::favourable_kinds(&store, EVENT, "sp-kim").unwrap(),
        [FavouriteKind::Speaker]
    );
}

#[test]
fn removed_and_cancelled_favourites_stay_visible() {
    let dir = tempfile::tempdir().unwrap();
    let store = loaded(dir.path());
    for id in ["f-cancel", "f-removed", "f-open"] {
        fav(&store, id);
    }
    favourites::add_favourite(&store, EVENT, FavouriteKind::Speaker, "sp-ole", None).unwrap();
    apply(&store, |tx| {
        vec![
            tx.delete(
                EVENT,
                marktplatz_model::model::EntityKind::Session,
                "f-removed",
            )
            .unwrap(),
            tx.delete(
                EVENT,
                marktplatz_model::model::EntityKind::Speaker,
                "sp-ole",
            )
            .unwrap(),
        ]
    });
    let list = favourites::favourites(&store, EVENT).unwrap();
    let by_id = |id: &str| list.iter().find(|f| f.id == id).unwrap();
    assert_eq!(by_id("f-cancel").state, FavouriteState::Cancelled);
    let removed = by_id("f-removed");
    assert_eq!(removed.state, FavouriteState::Removed);
    assert_eq!(
        removed.title.as_deref(),
        Some("Wird gestrichen"),
        "last known title"
    );
    let known = removed.session.as_ref().unwrap();
    assert!(known.removed);
    assert_eq!(
        known.location_name.as_deref(),
        Some("Station IT-Sicherheit")
    );
    assert_eq!(known.local_start.as_deref(), Some("11:00"));
    let speaker = by_id("sp-ole");
    assert_eq!(speaker.state, FavouriteState::Removed);
    assert_eq!(speaker.title.as_deref(), Some("Ole Muster"));
}

/// Every way content can be reset leaves the favourites (and their notes) alone.
#[test]
fn favourites_survive_every_content_reset() {
    let dir = tempfile::tempdir().unwrap();
    let expected = {
        let store = loaded(dir.path());
        fav(&store, "f-talk-a");
        fav(&store, "f-late");
        favourites::add_favourite(
            &store,
            EVENT,
            FavouriteKind::Exhibitor,
            "x-secure",
            Some("Stand besuchen"),
        )
        .unwrap();
        states(&store, EVENT)
    };
    assert_eq!(expected.len(), 3);
    let present = |store: &Store| {
        assert_eq!(states(store, EVENT), expected);
        let notes: Vec<_> = favourites::favourites(store, EVENT)
            .unwrap()
            .into_iter()
            .map(|f| f.note)
            .collect();
        assert_eq!(notes, [None, None, Some("Stand besuchen".to_string())]);
    };
    let unavailable = |store: &Store| {
        let now = states(store, EVENT);
        assert_eq!(now.len(), 3, "{now:?}");
        for ((id, state, title), (want_id, _, want_title)) in now.iter().zip(&expected) {
            assert_eq!(
                (id, state, title),
                (want_id, &FavouriteState::Unavailable, want_title)
            );
        }
    };

    // 1. Clearing the event (a re-bootstrap), then reloading it.
    let store = Store::open(dir.path()).unwrap();
    store.write_content(|tx| tx.clear_event(EVENT)).unwrap();
    unavailable(&store);
    store
        .write_content(|tx| tx.replace_with_bundle(&bundle()).map(|_| ()))
        .unwrap();
    present(&store);

    // 2. An epoch change: the content and its sync state are dropped and the content arrives
    //    again in pages, each entity as new.
    store.write_content(|tx| tx.clear_event(EVENT)).unwrap();
    unavailable(&store);
    for page in bundle().entities().chunks(5) {
        store
            .write_content(|tx| {
                for entity in page {
                    tx.upsert(EVENT, entity, &entity.to_json().unwrap())?;
                }
                Ok(())
            })
            .unwrap();
    }
    present(&store);
    drop(store);

    // 3. content.db deleted outright (the app's cache cleared by the OS or the user).
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(dir.path().join(format!("{CONTENT_DB}{suffix}")));
    }
    let store = Store::open(dir.path()).unwrap();
    unavailable(&store);
    store
        .write_content(|tx| tx.replace_with_bundle(&bundle()).map(|_| ()))
        .unwrap();
    present(&store);
    drop(store);

    // 4. content.db damaged: set aside and rebuilt; user.db untouched.
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(dir.path().join(format!("{CONTENT_DB}{suffix}")));
    }
    std::fs::write(
        dir.path().join(CONTENT_DB),
        b"garbage, not a database at all....",
    )
    .unwrap();
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.notices().len(), 1, "{:?}", store.notices());
    unavailable(&store);
    store
        .write_content(|tx| tx.replace_with_bundle(&bundle()).map(|_| ()))
        .unwrap();
    present(&store);
}

/// The frozen version-1 user.db (committed by the first release's tests) opens under the
/// current schema with its favourites, notes and settings intact, and they work fully.
#[test]
fn favourites_of_a_frozen_v1_user_db_survive_the_migration() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixtures().join("content-v1.db"),
        dir.path().join("content.db"),
    )
    .unwrap();
    std::fs::copy(fixtures().join("user-v1.db"), dir.path().join("user.db")).unwrap();
    let store = Store::open(dir.path()).unwrap();
    assert!(store.notices().is_empty(), "{:?}", store.notices());
    let event = "fixture-fair";
    let list = favourites::favourites(&store, event).unwrap();
    let summary: Vec<(&str, FavouriteState, Option<&str>)> = list
        .iter()
        .map(|f| (f.id.as_str(), f.state, f.note.as_deref()))
        .collect();
    assert_eq!(
        summary,
        [
            ("s-late", FavouriteState::Present, Some("mit Kim hingehen")),
            ("s-day2", FavouriteState::Cancelled, None),
            ("sp-kim", FavouriteState::Present, None),
        ]
    );
    assert_eq!(favourites::reminder_lead_minutes(&store).unwrap(), 10);
    let conn = rusqlite::Connection::open(dir.path().join("user.db")).unwrap();
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, schema::USER.latest_version());
    drop(conn);

    // A v1 favourite has no recorded state yet: the first change still raises an alert, taking
    // the old values from the change itself.
    let marktplatz_model::model::Entity::Session(mut late) = store
        .entity(
            event,
            marktplatz_model::model::EntityKind::Session,
            "s-late",
        )
        .unwrap()
        .unwrap()
    else {
        panic!()
    };
    let old_start = late.start;
    late.start += chrono::Duration::minutes(30);
    late.end += chrono::Duration::minutes(30);
    let recorded = store
        .write_content(|tx| {
            let body = marktplatz_model::model::Entity::Session(late.clone())
                .to_json()
                .unwrap();
            let change = tx.upsert(
                event,
                &marktplatz_model::model::Entity::Session(late),
                &body,
            )?;
            favourites::record_change_alerts(&store, event, &[change])
        })
        .unwrap();
    assert_eq!(recorded.changed, 1);
    let alerts = favourites::unseen_alerts(&store, event).unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].old.start, old_start);
}
