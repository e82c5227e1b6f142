//! Change alerts for favourited sessions: each kind of change, the net change, idempotent
//! recording, acknowledging, listeners, and reconciling after a re-bootstrap.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use chrono::Duration;
use marktplatz_core::favourites;
use marktplatz_core::favourites::{AlertChange, AlertNotice, FavouriteKind};
use marktplatz_model::model::{Entity, SessionStatus};

use crate::common::*;

fn one_alert(store: &marktplatz_core::store::Store) -> marktplatz_core::favourites::ChangeAlert {
    let mut alerts = favourites::unseen_alerts(store, EVENT).unwrap();
    assert_eq!(alerts.len(), 1, "{alerts:#?}");
    alerts.remove(0)
}

#[test]
fn each_kind_of_change_raises_an_alert_with_old_and_new_values() {
    let dir = tempfile::tempdir().unwrap();
    let store = loaded(dir.path());
    for id in [
        "f-talk-a",
        "f-talk-b",
        "f-annex",
        "f-afternoon",
        "f-removed",
    ] {
        fav(&store, id);
    }
    // Not a favourite: no alert, whatever happens to it.
    assert_eq!(
        change_session(&store, "f-open", |s| s.title = "Neu".into()),
        0
    );

    assert_eq!(
        change_session(&store, "f-talk-a", |s| {
            s.start += Duration::minutes(30);
            s.end += Duration::minutes(30);
        }),
        1
    );
    let moved = one_alert(&store);
    assert_eq!(moved.session_id, "f-talk-a");
    assert_eq!(moved.changes, [AlertChange::Moved]);
    assert_eq!(moved.old.local_start.as_deref(), Some("10:00"));
    assert_eq!(moved.new.local_start.as_deref(), Some("10:30"));
    favourites::mark_all_alerts_seen(&store, &store.alerts, EVENT).unwrap();

    change_session(&store, "f-talk-b", |s| s.location_id = Some("annex".into()));
    let relocated = one_alert(&store);
    assert_eq!(relocated.changes, [AlertChange::Relocated]);
    assert_eq!(
        relocated.old.location_name.as_deref(),
        Some("Station IT-Sicherheit")
    );
    assert_eq!(
        relocated.new.location_name.as_deref(),
        Some("Rathaus, Ratssaal")
    );
    favourites::mark_alerts_seen(&store, &store.alerts, EVENT, &[relocated.id]).unwrap();

    change_session(&store, "f-annex", |s| {
        s.title = "E-Akte: Erfahrungen".into()
    });
    let retitled = one_alert(&store);
    assert_eq!(retitled.changes, [AlertChange::Retitled]);
    assert_eq!(retitled.old.title, "Ratssaal: E-Akte in der Praxis");
    assert_eq!(retitled.new.title, "E-Akte: Erfahrungen");
    favourites::mark_all_alerts_seen(&store, &store.alerts, EVENT).unwrap();

    change_session(&store, "f-afternoon", |s| {
        s.status = SessionStatus::Cancelled
    });
    let cancelled = one_alert(&store);
    assert_eq!(cancelled.changes, [AlertChange::Cancelled]);
    assert_eq!(cancelled.new.status, SessionStatus::Cancelled);
    favourites::mark_all_alerts_seen(&store, &store.alerts, EVENT).unwrap();

    assert_eq!(remove_session(&store, "f-removed"), 1);
    let removed = one_alert(&store);
    assert_eq!(removed.changes, [AlertChange::Removed]);
    assert!(removed.new.removed);
    assert_eq!(
        removed.new.title, "Wird gestrichen",
        "the last known values"
    );
    favourites::mark_all_alerts_seen(&store, &store.alerts, EVENT).unwrap();

    // Everything acknowledged is still in the history.
    let history = favourites::alerts(&store, EVENT, true).unwrap();
    assert_eq!(history.len(), 5);
    assert!(history.iter().all(|a| a.seen_at.is_some()));
    assert_eq!(favourites::unseen_alert_count(&store, EVENT).unwrap(), 0);
}

#[test]
fn two_changes_before_being_seen_show_the_net_change_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = loaded(dir.path());
    fav(&store, "f-talk-a");
    change_session(&store, "f-talk-a", |s| {
        s.start += Duration::hours(1);
        s.end += Duration::hours(1);
    });
    change_session(&store, "f-talk-a", |s| {
        s.start += Duration::hours(1);
        s.end += Duration::hours(1);
        s.location_id = Some("annex".into());
    });
    let alert = one_alert(&store);
    assert_eq!(alert.changes, [AlertChange::Moved, AlertChange::Relocated]);
    assert_eq!(
        alert.old.local_start.as_deref(),
        Some("10:00"),
        "oldest old"
    );
    assert_eq!(
        alert.new.local_start.as_deref(),
        Some("12:00"),
        "latest new"
    );
    assert_eq!(alert.old.location_id.as_deref(), Some("forum"));

    // Moving back to where it was before it was seen dissolves the alert.
    change_session(&store, "f-talk-a", |s| {
        s.start -= Duration::hours(2);
        s.end -= Duration::hours(2);
        s.location_id = Some("forum".into());
    });
    assert!(favourites::unseen_alerts(&store, EVENT).unwrap().is_empty());

    // Cancelled and then removed before being seen: one alert, "removed".
    change_session(&store, "f-talk-a", |s| s.status = SessionStatus::Cancelled);
    remove_session(&store, "f-talk-a");
    let alert = one_alert(&store);
    assert_eq!(alert.changes, [AlertChange::Removed]);
    assert_eq!(alert.old.status, SessionStatus::Scheduled);
}

/// A page applied again after a crash (user.db committed, content.db not) records nothing new,
/// whether or not the alert was seen meanwhile.
#[test]
fn recording_the_same_page_twice_gives_the_same_alert() {
    let dir = tempfile::tempdir().unwrap();
    let store = loaded(dir.path());
    fav(&store, "f-talk-a");
    fav(&store, "f-removed");
    let mut moved = session(&store, "f-talk-a");
    moved.start += Duration::minutes(15);
    moved.end += Duration::minutes(15);
    let mut renamed = session(&store, "f-removed");
    renamed.title = "Neuer Titel".into();
    // The first application: alerts recorded inside the content transaction.
    let changes = store
        .write_content(|tx| {
            let changes = vec![
                upsert(tx, Entity::Session(moved.clone())),
                upsert(tx, Entity::Session(renamed.clone())),
            ];
            favourites::record_change_alerts(&store, EVENT, &changes)?;
            Ok(changes)
        })
        .unwrap();
    let first = favourites::unseen_alerts(&store, EVENT).unwrap();
    assert_eq!(first.len(), 2);
    // Replaying: same changes (same old and new) again.
    let again = favourites::record_change_alerts(&store, EVENT, &changes).unwrap();
    assert_eq!(again.changed, 0);
    let second = favourites::unseen_alerts(&store, EVENT).unwrap();
    assert_eq!(second, first);
    // Even after the alerts were seen, a replay does not bring them back.
    favourites::mark_all_alerts_seen(&store, &store.alerts, EVENT).unwrap();
    favourites::record_change_alerts(&store, EVENT, &changes).unwrap();
    assert!(favourites::unseen_alerts(&store, EVENT).unwrap().is_empty());
    assert_eq!(favourites::alerts(&store, EVENT, true).unwrap().len(), 2);
}

#[test]
fn a_rolled_back_page_leaves_an_alert_that_the_real_next_page_corrects() {
    let dir = tempfile::tempdir().unwrap();
    let store = loaded(dir.path());
    fav(&store, "f-talk-a");
    let original = session(&store, "f-talk-a");
    // The page is recorded in user.db, then the content transaction is abandoned.
    let failed: Result<(), marktplatz_core::Error> = store.write_content(|tx| {
        let mut moved = original.clone();
        moved.start += Duration::hours(3);
        moved.end += Duration::hours(3);
        let change = upsert(tx, Entity::Session(moved));
        favourites::record_change_alerts(&store, EVENT, &[change])?;
        Err(marktplatz_core::Error::Cancelled)
    });
    assert!(failed.is_err());
    assert_eq!(favourites::unseen_alerts(&store, EVENT).unwrap().len(), 1);
    // The server meanwhile moved it back: the retried page carries the original time, so the
    // content is unchanged and the reconcile after the sync dissolves the stale alert.
    favourites::reconcile_favourites(&store, &store.alerts, EVENT).unwrap();
    assert!(favourites::unseen_alerts(&store, EVENT).unwrap().is_empty());
}

#[test]
fn listeners_hear_of_new_and_acknowledged_alerts() {
    let dir = tempfile::tempdir().unwrap();
    let store = loaded(dir.path());
    fav(&store, "f-talk-a");
    let heard: Arc<Mutex<Vec<AlertNotice>>> = Arc::default();
    let sink = heard.clone();
    let subscription = store.alerts.subscribe(Box::new(move |notice| {
        sink.lock().unwrap().push(notice);
    }));
    let panics = Arc::new(AtomicU32::new(0));
    let counter = panics.clone();
    let _bad = store.alerts.subscribe(Box::new(move |_| {
        counter.fetch_add(1, Ordering::SeqCst);
        panic!("a shell bug");
    }));
    change_session(&store, "f-talk-a", |s| s.title = "Umbenannt".into());
    favourites::mark_all_alerts_seen(&store, &store.alerts, EVENT).unwrap();
    assert_eq!(
        *heard.lock().unwrap(),
        [
            AlertNotice {
                event_id: EVENT.into(),
                unseen: 1
            },
            AlertNotice {
                event_id: EVENT.into(),
                unseen: 0
            },
        ]
    );
    assert_eq!(
        panics.load(Ordering::SeqCst),
        2,
        "the panicking listener was called and caught"
    );
    // The store works on after the panics.
    change_session(&store, "f-talk-a", |s| s.title = "Nochmal".into());
    assert_eq!(heard.lock().unwrap().len(), 3);
    drop(subscription);
    change_session(&store, "f-talk-a", |s| s.title = "Ein drittes Mal".into());
    assert_eq!(
        heard.lock().unwrap().len(),
        3,
        "no calls after unsubscribing"
    );
}

#[test]
fn unfavouriting_drops_the_unseen_alert() {
    let dir = tempfile::tempdir().unwrap();
    let store = loaded(dir.path());
    fav(&store, "f-talk-a");
    change_session(&store, "f-talk-a", |s| s.status = SessionStatus::Cancelled);
    assert_eq!(favourites::unseen_alert_count(&store, EVENT).unwrap(), 1);
    favourites::remove_favourite(
        &store,
        &store.alerts,
        EVENT,
        FavouriteKind::Session,
        "f-talk-a",
    )
    .unwrap();
    assert_eq!(favourites::unseen_alert_count(&store, EVENT).unwrap(), 0);
}

/// After a re-bootstrap (content cleared and fetched again) a session removed meanwhile produces
/// no change of its own; reconciling finds it, and a moved one, and nothing for the unchanged.
#[test]
fn reconcile_after_a_rebootstrap() {
    let dir = tempfile::tempdir().unwrap();
    let store = loaded(dir.path());
    for id in ["f-talk-a", "f-talk-b", "f-removed"] {
        fav(&store, id);
    }
    let mut next = bundle();
    next.sessions.retain(|s| s.id != "f-removed");
    for s in next.sessions.iter_mut().filter(|s| s.id == "f-talk-b") {
        s.start += Duration::minutes(10);
        s.end += Duration::minutes(10);
    }
    // Re-bootstrap: clear, then every entity arrives as new (old = None) in pages.
    let (_, recorded) = apply(&store, |tx| {
        tx.clear_event(EVENT).unwrap();
        next.entities().into_iter().map(|e| upsert(tx, e)).collect()
    });
    assert_eq!(
        recorded.changed, 1,
        "the moved session, compared with what was known"
    );
    favourites::reconcile_favourites(&store, &store.alerts, EVENT).unwrap();
    let mut alerts: Vec<(String, Vec<AlertChange>)> = favourites::unseen_alerts(&store, EVENT)
        .unwrap()
        .into_iter()
        .map(|a| (a.session_id, a.changes))
        .collect();
    alerts.sort();
    assert_eq!(
        alerts,
        [
            ("f-removed".to_string(), vec![AlertChange::Removed]),
            ("f-talk-b".to_string(), vec![AlertChange::Moved]),
        ]
    );
    // Reconciling again changes nothing.
    assert_eq!(
        favourites::reconcile_favourites(&store, &store.alerts, EVENT)
            .unwrap()
            .changed,
        0
    );
    // While the content is absent, nothing is flagged removed.
    store.write_content(|tx| tx.clear_event(EVENT)).unwrap();
    assert_eq!(
        favourites::reconcile_favourites(&store, &store.alerts, EVENT)
            .unwrap()
            .changed,
        0
    );
    assert_eq!(favourites::unseen_alert_count(&store, EVENT).unwrap(), 2);
}

/// A listener may read the store from its callback (the FFI's foreign listeners will).
#[test]
fn a_listener_can_read_the_alerts_it_is_told_about() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(loaded(dir.path()));
    fav(&store, "f-talk-a");
    let weak = Arc::downgrade(&store);
    let titles: Arc<Mutex<Vec<String>>> = Arc::default();
    let sink = titles.clone();
    let _subscription = store.alerts.subscribe(Box::new(move |notice| {
        let store = weak.upgrade().unwrap();
        for alert in favourites::unseen_alerts(&store, &notice.event_id).unwrap() {
            sink.lock().unwrap().push(alert.new.title);
        }
    }));
    change_session(&store, "f-talk-a", |s| s.title = "Neu im Programm".into());
    assert_eq!(*titles.lock().unwrap(), ["Neu im Programm"]);
}

#[test]
fn each_change_is_taken_for_a_notification_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = loaded(dir.path());
    fav(&store, "f-talk-a");
    fav(&store, "f-talk-b");
    assert!(
        favourites::take_alerts_to_notify(&store, EVENT)
            .unwrap()
            .is_empty()
    );

    change_session(&store, "f-talk-a", |s| {
        s.start += Duration::minutes(30);
        s.end += Duration::minutes(30);
    });
    let first = favourites::take_alerts_to_notify(&store, EVENT).unwrap();
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].session_id, "f-talk-a");
    assert_eq!(first[0].changes, [AlertChange::Moved]);
    // Taken: not again, though it is still unseen.
    assert!(
        favourites::take_alerts_to_notify(&store, EVENT)
            .unwrap()
            .is_empty()
    );
    assert_eq!(favourites::unseen_alert_count(&store, EVENT).unwrap(), 1);

    // A further change folds into the same alert and is news again; the other session's
    // first change comes with it.
    change_session(&store, "f-talk-a", |s| s.location_id = Some("annex".into()));
    change_session(&store, "f-talk-b", |s| s.status = SessionStatus::Cancelled);
    let mut second = favourites::take_alerts_to_notify(&store, EVENT).unwrap();
    second.sort_by(|a, b| a.session_id.cmp(&b.session_id));
    assert_eq!(second.len(), 2);
    assert_eq!(second[0].id, first[0].id, "the same alert, folded");
    assert_eq!(
        second[0].changes,
        [AlertChange::Moved, AlertChange::Relocated]
    );
    assert_eq!(second[1].changes, [AlertChange::Cancelled]);
    assert!(
        favourites::take_alerts_to_notify(&store, EVENT)
            .unwrap()
            .is_empty()
    );

    // Seen alerts are never notified; the taken mark survives reopening the store.
    favourites::mark_alerts_seen(&store, &store.alerts, EVENT, &[second[1].id]).unwrap();
    drop(store);
    let store = Phone::open(dir.path());
    assert!(
        favourites::take_alerts_to_notify(&store, EVENT)
            .unwrap()
            .is_empty()
    );
    change_session(&store, "f-talk-b", |s| s.status = SessionStatus::Scheduled);
    let reinstated = favourites::take_alerts_to_notify(&store, EVENT).unwrap();
    assert_eq!(reinstated.len(), 1);
    assert_eq!(reinstated[0].changes, [AlertChange::Reinstated]);
}
