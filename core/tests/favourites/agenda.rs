//! The personal agenda: order, conflicts (also across midnight), gaps across the DST change,
//! walking context; now and next among favourites.

use marktplatz_core::favourites;
use marktplatz_core::favourites::{FavouriteState, PlaceChange};
use marktplatz_core::store::Store;
use marktplatz_model::model::{Entity, EntityKind};

use crate::common::*;

const DAY_ONE: [&str; 10] = [
    "f-open",
    "f-talk-a",
    "f-talk-b",
    "f-next-door",
    "f-annex",
    "f-afternoon",
    "f-late",
    "f-midnight",
    "f-dst-1",
    "f-dst-2",
];

fn with_favourites(dir: &std::path::Path) -> Phone {
    let store = loaded(dir);
    for id in DAY_ONE.iter().chain(&["f-cancel", "f-removed"]) {
        fav(&store, id);
    }
    store
}

#[test]
fn a_day_in_order_with_conflicts_gaps_and_walks() {
    let dir = tempfile::tempdir().unwrap();
    let store = with_favourites(dir.path());
    let agenda = favourites::personal_agenda(&store, EVENT, day("2026-10-24")).unwrap();
    let ids: Vec<&str> = agenda
        .entries
        .iter()
        .map(|e| e.session.id.as_str())
        .collect();
    // Day change at 05:00: everything up to 03:00 on the 25th belongs to the 24th.
    assert_eq!(ids, DAY_ONE);
    let entry = |id: &str| agenda.entries.iter().find(|e| e.session.id == id).unwrap();

    // Conflicts: the two overlapping morning talks, and the pair across midnight.
    assert_eq!(entry("f-talk-a").conflicts_with, ["f-talk-b"]);
    assert_eq!(entry("f-talk-b").conflicts_with, ["f-talk-a"]);
    assert_eq!(entry("f-late").conflicts_with, ["f-midnight"]);
    assert_eq!(entry("f-midnight").conflicts_with, ["f-late"]);
    assert_eq!(agenda.conflict_count, 4);
    // Back to back is no conflict; the two 02:xx talks overlap on the wall clock (02:00-02:45
    // CEST and 02:15-03:00 CET) but not in time.
    for id in ["f-next-door", "f-annex", "f-dst-1", "f-dst-2"] {
        assert!(entry(id).conflicts_with.is_empty(), "{id}");
    }
    assert_eq!(entry("f-late").session.local_start, "23:30");
    assert_eq!(entry("f-midnight").session.local_end, "01:00");

    // Free gaps, in real minutes.
    let gaps: Vec<(&str, &str, i64)> = agenda
        .gaps
        .iter()
        .map(|g| (g.local_start.as_str(), g.local_end.as_str(), g.minutes))
        .collect();
    assert_eq!(
        gaps,
        [
            ("09:30", "10:00", 30),
            ("12:45", "14:00", 75),
            ("15:00", "23:30", 510),
            ("01:00", "02:00", 60),
            // Clocks go back at 03:00 CEST: 02:45 CEST to 02:15 CET is half an hour.
            ("02:45", "02:15", 30),
        ]
    );

    // Walking context from the previous favourite.
    let walk = |id: &str| {
        let w = entry(id).walk.clone().unwrap();
        (
            w.from_session_id,
            w.place,
            w.gap_minutes,
            w.overlap_minutes,
            w.tight,
        )
    };
    assert!(entry("f-open").walk.is_none());
    assert_eq!(
        walk("f-talk-a"),
        ("f-open".into(), PlaceChange::SameLocation, 30, 0, false)
    );
    assert_eq!(
        walk("f-talk-b"),
        ("f-talk-a".into(), PlaceChange::SameHall, 0, 30, true)
    );
    assert_eq!(
        walk("f-next-door"),
        ("f-talk-b".into(), PlaceChange::SameLocation, 0, 0, false)
    );
    assert_eq!(
        walk("f-annex"),
        (
            "f-next-door".into(),
            PlaceChange::DifferentLocation,
            0,
            0,
            true
        )
    );
    assert_eq!(
        walk("f-afternoon"),
        (
            "f-annex".into(),
            PlaceChange::DifferentLocation,
            75,
            0,
            false
        )
    );
    assert_eq!(
        walk("f-midnight"),
        ("f-late".into(), PlaceChange::SameHall, 0, 15, true)
    );
    assert_eq!(
        walk("f-dst-2"),
        ("f-dst-1".into(), PlaceChange::SameLocation, 30, 0, false)
    );
    assert_eq!(
        entry("f-annex")
            .walk
            .as_ref()
            .unwrap()
            .from_location_name
            .as_deref(),
        Some("Station IT-Sicherheit")
    );
}

#[test]
fn cancelled_and_removed_favourites_show_but_take_no_time() {
    let dir = tempfile::tempdir().unwrap();
    let store = with_favourites(dir.path());
    fav(&store, "f-other");
    remove_session(&store, "f-removed");
    let agenda = favourites::personal_agenda(&store, EVENT, day("2026-10-25")).unwrap();
    let entries: Vec<(&str, FavouriteState, usize)> = agenda
        .entries
        .iter()
        .map(|e| (e.session.id.as_str(), e.state, e.conflicts_with.len()))
        .collect();
    // f-removed (last known 11:00-12:00) overlaps f-other, and f-cancel would overlap nothing
    // active; neither counts as a conflict.
    assert_eq!(
        entries,
        [
            ("f-cancel", FavouriteState::Cancelled, 0),
            // Same start and end: by title.
            ("f-other", FavouriteState::Present, 0),
            ("f-removed", FavouriteState::Removed, 0),
        ]
    );
    let removed = &agenda.entries[2].session;
    assert_eq!(removed.title, "Wird gestrichen");
    assert_eq!(
        (removed.local_start.as_str(), removed.local_end.as_str()),
        ("11:00", "12:00")
    );
    assert!(agenda.gaps.is_empty());
    assert!(
        agenda.entries[1].walk.is_none(),
        "no active favourite before it"
    );
}

#[test]
fn conflicts_are_found_across_the_day_boundary() {
    let dir = tempfile::tempdir().unwrap();
    let store = with_favourites(dir.path());
    // With the day change at midnight, the 00:15 talk belongs to the 25th's programme.
    let Some(Entity::Event(mut event)) = store.entity(EVENT, EntityKind::Event, EVENT).unwrap()
    else {
        panic!()
    };
    event.day_change_hour = 0;
    apply(&store, |tx| vec![upsert(tx, Entity::Event(event))]);
    let first = favourites::personal_agenda(&store, EVENT, day("2026-10-24")).unwrap();
    let second = favourites::personal_agenda(&store, EVENT, day("2026-10-25")).unwrap();
    let late = first
        .entries
        .iter()
        .find(|e| e.session.id == "f-late")
        .unwrap();
    assert_eq!(late.conflicts_with, ["f-midnight"]);
    let midnight = second
        .entries
        .iter()
        .find(|e| e.session.id == "f-midnight")
        .unwrap();
    assert_eq!(midnight.conflicts_with, ["f-late"]);
    assert!(first.entries.iter().all(|e| e.session.id != "f-midnight"));
}

#[test]
fn now_and_next_among_favourites() {
    let dir = tempfile::tempdir().unwrap();
    let store = with_favourites(dir.path());
    let at = utc("2026-10-24T08:45:00Z");
    let now_next = favourites::favourites_now_next(&store, EVENT, at).unwrap();
    let now: Vec<&str> = now_next.now.iter().map(|s| s.id.as_str()).collect();
    let next: Vec<&str> = now_next.next.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(now, ["f-talk-a", "f-talk-b"]);
    assert_eq!(
        next,
        &DAY_ONE[3..],
        "within a day; cancelled and removed never"
    );
    // A session not favourited is not "now", even when running.
    let all = store.now_next(EVENT, at).unwrap();
    assert!(all.now.len() >= now.len());
}

#[test]
fn agenda_of_an_event_not_on_the_device_is_not_found() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let err = favourites::personal_agenda(&store, "nope", day("2026-10-24")).unwrap_err();
    assert!(err.to_string().contains("nope"), "{err}");
}
