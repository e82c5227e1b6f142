//! Change alerts end to end: the real 36C3 publications (day before, day 2, final) published in
//! order to a real server; an attendee's phone with favourites syncs after each. Every favourite
//! that moved, changed room, was renamed, cancelled or removed gets exactly the alert the
//! published versions imply, a session that changed twice unseen shows the net change once, and
//! the listeners are told.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use marktplatz_core::favourites;
use marktplatz_core::favourites::{AlertChange, FavouriteKind};
use marktplatz_model::bundle::Bundle;
use marktplatz_model::model::{Session, SessionStatus};
use marktplatz_tests::Harness;

const EVENT: &str = "36c3";

fn sessions(bundle: &Bundle) -> BTreeMap<String, Session> {
    bundle
        .sessions
        .iter()
        .map(|s| (s.id.clone(), s.clone()))
        .collect()
}

/// The alert a favourite must carry after going from `old` to `new` (None: no alert).
fn expected(old: Option<&Session>, new: Option<&Session>) -> Option<Vec<AlertChange>> {
    let changes = match (old, new) {
        (Some(_), None) => vec![AlertChange::Removed],
        (None, Some(_)) => vec![AlertChange::Restored],
        (None, None) => vec![],
        (Some(a), Some(b)) => {
            let mut list = Vec::new();
            if (a.start, a.end) != (b.start, b.end) {
                list.push(AlertChange::Moved);
            }
            if a.location_id != b.location_id {
                list.push(AlertChange::Relocated);
            }
            if a.title != b.title {
                list.push(AlertChange::Retitled);
            }
            match (a.status, b.status) {
                (SessionStatus::Scheduled, SessionStatus::Cancelled) => {
                    list.push(AlertChange::Cancelled)
                }
                (SessionStatus::Cancelled, SessionStatus::Scheduled) => {
                    list.push(AlertChange::Reinstated)
                }
                _ => {}
            }
            list
        }
    };
    (!changes.is_empty()).then_some(changes)
}

fn tally(alerts: &BTreeMap<String, Vec<AlertChange>>) -> BTreeMap<&'static str, usize> {
    let mut counts = BTreeMap::new();
    for change in alerts.values().flatten() {
        *counts.entry(change.as_str()).or_default() += 1;
    }
    counts
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn real_36c3_versions_raise_exactly_the_expected_alerts() {
    let h = Harness::start_with(|c| c.page_limit = 300).await;
    let mut versions = marktplatz_tests::real_36c3_versions(EVENT);
    let phone = h.device("phone");
    let told = Arc::new(AtomicU32::new(0));
    let counter = told.clone();
    let _listening = phone.alerts.subscribe(Box::new(move |_| {
        counter.fetch_add(1, Ordering::SeqCst);
    }));

    h.publish(&versions[0]);
    phone.sync(&h.url(), EVENT).await.unwrap();
    assert!(
        favourites::unseen_alerts(&phone.store, EVENT)
            .unwrap()
            .is_empty()
    );

    // Every third session of the day-before version is a favourite.
    let first = sessions(&versions[0]);
    let favourites: Vec<String> = first.keys().step_by(3).cloned().collect();
    for id in &favourites {
        favourites::add_favourite(&phone.store, EVENT, FavouriteKind::Session, id, None).unwrap();
    }
    // The final version also cancels two favourites that the real data keeps (36C3 cancelled
    // nothing in its files), so cancellation is exercised through the server too.
    let kept_in_final: Vec<String> = favourites
        .iter()
        .filter(|id| versions[2].sessions.iter().any(|s| &s.id == *id))
        .take(2)
        .cloned()
        .collect();
    for session in versions[2].sessions.iter_mut() {
        if kept_in_final.contains(&session.id) {
            session.status = SessionStatus::Cancelled;
        }
    }
    let want = |from: &Bundle, to: &Bundle| -> BTreeMap<String, Vec<AlertChange>> {
        let (from, to) = (sessions(from), sessions(to));
        favourites
            .iter()
            .filter_map(|id| expected(from.get(id), to.get(id)).map(|c| (id.clone(), c)))
            .collect()
    };
    let unseen = |phone: &marktplatz_tests::Device| -> BTreeMap<String, Vec<AlertChange>> {
        favourites::unseen_alerts(&phone.store, EVENT)
            .unwrap()
            .into_iter()
            .map(|a| (a.session_id, a.changes))
            .collect()
    };

    // Day before -> day 2.
    h.publish(&versions[1]);
    phone.sync(&h.url(), EVENT).await.unwrap();
    let after_two = unseen(&phone);
    assert_eq!(after_two, want(&versions[0], &versions[1]));
    let counts = tally(&after_two);
    println!(
        "36C3 via the server, day before -> day 2: {} favourites, {} alerts {counts:?}",
        favourites.len(),
        after_two.len()
    );
    for kind in ["moved", "relocated", "retitled", "removed"] {
        assert!(
            counts.get(kind).copied().unwrap_or(0) > 0,
            "no {kind} alert: {counts:?}"
        );
    }
    assert!(told.load(Ordering::SeqCst) > 0, "the listener was not told");

    // Day 2 -> final, not seen in between: the net change from the day-before version, once.
    h.publish(&versions[2]);
    phone.sync(&h.url(), EVENT).await.unwrap();
    let net = unseen(&phone);
    assert_eq!(net, want(&versions[0], &versions[2]));
    let counts = tally(&net);
    println!(
        "36C3 via the server, day before -> final (net, unseen): {} alerts {counts:?}",
        net.len()
    );
    assert_eq!(counts.get("cancelled").copied(), Some(kept_in_final.len()));
    let old = sessions(&versions[0]);
    for alert in favourites::unseen_alerts(&phone.store, EVENT).unwrap() {
        assert_eq!(
            alert.old.title, old[&alert.session_id].title,
            "old values are the first seen"
        );
    }

    // Seen: the next no-change sync raises nothing new.
    favourites::mark_all_alerts_seen(&phone.store, &phone.alerts, EVENT).unwrap();
    phone.sync(&h.url(), EVENT).await.unwrap();
    assert!(unseen(&phone).is_empty());
    // Favourites were never dropped: removed ones stay listed as removed.
    assert_eq!(
        favourites::favourites(&phone.store, EVENT).unwrap().len(),
        favourites.len()
    );
}
