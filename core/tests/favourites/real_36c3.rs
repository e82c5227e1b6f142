//! Change alerts from the real successive 36C3 publications (`../shared/data/c3voc-json`): the
//! day before, day 2 and final versions, applied in pages as delta changes. Every favourited
//! session that really moved, changed room, was renamed or was removed gets exactly the alert
//! the raw files say it should, and the net change over two versions is shown once.
//!
//! The files are read with a minimal mapping of their fields (guid, title, date, duration,
//! room), independent of `core::import`, which is not needed to derive the expected alerts.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use marktplatz_core::favourites;
use marktplatz_core::favourites::{AlertChange, FavouriteKind};
use marktplatz_core::store::{AppliedChange, Store};
use marktplatz_model::model::*;
use serde_json::Value;

const EVENT: &str = "36c3";
const VERSIONS: [&str; 3] = [
    "36c3-everything.snapshot-2019-12-26T2040.json",
    "36c3-everything.snapshot-2019-12-28T1650.json",
    "36c3-everything.schedule.json",
];
const PAGE: usize = 100;

/// `<workspace root>/../shared/data/c3voc-json`; a checkout in a deeper folder (a git worktree)
/// finds it further up. Fails loudly when missing (CI has it beside the checkout).
fn data_dir() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    root.ancestors()
        .skip(1)
        .map(|dir| dir.join("shared/data/c3voc-json"))
        .find(|dir| dir.is_dir())
        .unwrap_or_else(|| {
            panic!(
                "the real schedules are missing: expected {} (shared/data beside the checkout)",
                root.join("../shared/data/c3voc-json").display()
            )
        })
}

struct Version {
    days: Vec<NaiveDate>,
    sessions: BTreeMap<String, Session>,
}

fn minutes(text: &str) -> i64 {
    let (h, m) = text.split_once(':').unwrap();
    h.parse::<i64>().unwrap() * 60 + m.parse::<i64>().unwrap()
}

fn read_version(name: &str) -> Version {
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(data_dir().join(name)).unwrap()).unwrap();
    let conference = &json["schedule"]["conference"];
    let mut days = Vec::new();
    let mut sessions = BTreeMap::new();
    for day in conference["days"].as_array().unwrap() {
        days.push(day["date"].as_str().unwrap().parse().unwrap());
        for events in day["rooms"].as_object().unwrap().values() {
            for e in events.as_array().unwrap() {
                let start: DateTime<Utc> =
                    DateTime::parse_from_rfc3339(e["date"].as_str().unwrap())
                        .unwrap()
                        .with_timezone(&Utc);
                let guid = e["guid"].as_str().unwrap().to_string();
                // A few events are listed twice under the same guid: the first one counts.
                sessions.entry(guid.clone()).or_insert(Session {
                    id: guid,
                    kind: SessionKind::Talk,
                    title: e["title"].as_str().unwrap().to_string(),
                    subtitle: None,
                    abstract_text: String::new(),
                    description: String::new(),
                    start,
                    end: start + Duration::minutes(minutes(e["duration"].as_str().unwrap())),
                    location_id: Some(e["room"].as_str().unwrap().to_string()),
                    track_id: None,
                    languages: vec![],
                    speaker_ids: vec![],
                    status: SessionStatus::Scheduled,
                    tags: vec![],
                    links: vec![],
                });
            }
        }
    }
    Version { days, sessions }
}

fn event(days: Vec<NaiveDate>) -> Entity {
    Entity::Event(Event {
        id: EVENT.into(),
        title: "36C3".into(),
        subtitle: None,
        description: String::new(),
        venue: Venue::default(),
        timezone: "Europe/Berlin".into(),
        days,
        day_change_hour: 4,
        languages: vec![],
        url: None,
        logo: None,
    })
}

fn room(name: &str) -> Entity {
    Entity::Location(Location {
        id: name.into(),
        name: name.into(),
        kind: LocationKind::Room,
        parent_id: None,
        description: String::new(),
        position: None,
        sort_order: 0,
    })
}

/// The delta from one version to the next, as the sync would receive it.
enum Delta {
    Upsert(Box<Entity>),
    Delete(String),
}

fn delta(old: &Version, new: &Version) -> Vec<Delta> {
    let mut list = Vec::new();
    let old_rooms: std::collections::BTreeSet<_> = old
        .sessions
        .values()
        .filter_map(|s| s.location_id.clone())
        .collect();
    for name in new.sessions.values().filter_map(|s| s.location_id.clone()) {
        if !old_rooms.contains(&name) {
            list.push(Delta::Upsert(Box::new(room(&name))));
        }
    }
    for (id, s) in &new.sessions {
        if old.sessions.get(id) != Some(s) {
            list.push(Delta::Upsert(Box::new(Entity::Session(s.clone()))));
        }
    }
    for id in old.sessions.keys() {
        if !new.sessions.contains_key(id) {
            list.push(Delta::Delete(id.clone()));
        }
    }
    list
}

/// Applies a delta in pages, recording alerts inside each page's transaction (as the sync does).
fn apply_in_pages(store: &Store, delta: Vec<Delta>) -> Vec<Vec<AppliedChange>> {
    let mut pages = Vec::new();
    for page in delta.chunks(PAGE) {
        let changes = store
            .write_content(|tx| {
                let mut changes = Vec::new();
                for item in page {
                    changes.push(match item {
                        Delta::Upsert(entity) => {
                            tx.upsert(EVENT, entity, &entity.to_json().unwrap())?
                        }
                        Delta::Delete(id) => tx.delete(EVENT, EntityKind::Session, id)?,
                    });
                }
                favourites::record_change_alerts(store, EVENT, &changes)?;
                Ok(changes)
            })
            .unwrap();
        pages.push(changes);
    }
    pages
}

/// What the raw files say the alert for one session must be (`None`: no alert).
fn expected_changes(old: Option<&Session>, new: Option<&Session>) -> Option<Vec<AlertChange>> {
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
            list
        }
    };
    (!changes.is_empty()).then_some(changes)
}

fn unseen(store: &Store) -> BTreeMap<String, Vec<AlertChange>> {
    favourites::unseen_alerts(store, EVENT)
        .unwrap()
        .into_iter()
        .map(|a| (a.session_id, a.changes))
        .collect()
}

fn tally(alerts: &BTreeMap<String, Vec<AlertChange>>) -> BTreeMap<&'static str, usize> {
    let mut counts = BTreeMap::new();
    for change in alerts.values().flatten() {
        *counts.entry(change.as_str()).or_default() += 1;
    }
    counts
}

#[test]
fn alerts_from_the_real_36c3_versions() {
    let versions: Vec<Version> = VERSIONS.iter().map(|name| read_version(name)).collect();
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    // Version 1 as the initial content.
    let empty = Version {
        days: vec![],
        sessions: BTreeMap::new(),
    };
    let mut first = vec![Delta::Upsert(Box::new(event(versions[0].days.clone())))];
    first.extend(delta(&empty, &versions[0]));
    apply_in_pages(&store, first);
    assert!(
        favourites::unseen_alerts(&store, EVENT).unwrap().is_empty(),
        "the initial sync raises nothing"
    );

    // Every third session of the day-before version is a favourite.
    let favourites: Vec<&String> = versions[0].sessions.keys().step_by(3).collect();
    for id in &favourites {
        favourites::add_favourite(&store, EVENT, FavouriteKind::Session, id, None).unwrap();
    }
    let expected = |from: &Version, to: &Version| -> BTreeMap<String, Vec<AlertChange>> {
        favourites
            .iter()
            .filter_map(|id| {
                expected_changes(from.sessions.get(*id), to.sessions.get(*id))
                    .map(|c| ((*id).clone(), c))
            })
            .collect()
    };

    // Day before -> day 2.
    apply_in_pages(&store, delta(&versions[0], &versions[1]));
    let after_two = unseen(&store);
    assert_eq!(after_two, expected(&versions[0], &versions[1]));
    let counts = tally(&after_two);
    println!(
        "36C3 day-before -> day 2: {} favourites, {} alerts {counts:?}",
        favourites.len(),
        after_two.len()
    );
    for kind in ["moved", "relocated", "retitled", "removed"] {
        assert!(
            counts.get(kind).copied().unwrap_or(0) > 0,
            "no {kind} alert in real data: {counts:?}"
        );
    }

    // Day 2 -> final, unseen in between: the net change from the day-before version, once.
    let pages = apply_in_pages(&store, delta(&versions[1], &versions[2]));
    let net = unseen(&store);
    assert_eq!(net, expected(&versions[0], &versions[2]));
    println!(
        "36C3 day-before -> final (net, unseen): {} alerts {:?}",
        net.len(),
        tally(&net)
    );
    // Alerts hold the oldest old and the latest new values.
    for alert in favourites::unseen_alerts(&store, EVENT).unwrap() {
        let old = &versions[0].sessions[&alert.session_id];
        assert_eq!((alert.old.start, &alert.old.title), (old.start, &old.title));
        match versions[2].sessions.get(&alert.session_id) {
            Some(new) => assert_eq!((alert.new.start, &alert.new.title), (new.start, &new.title)),
            None => assert!(alert.new.removed),
        }
    }

    // Replaying the last version's pages (a crash before the content commit) adds nothing.
    for page in &pages {
        assert_eq!(
            favourites::record_change_alerts(&store, EVENT, page)
                .unwrap()
                .changed,
            0
        );
    }
    assert_eq!(unseen(&store), net);

    // Seen after day 2 instead: the final version alerts relative to day 2 only.
    let dir2 = tempfile::tempdir().unwrap();
    let store2 = crate::common::Phone::open(dir2.path());
    let mut first = vec![Delta::Upsert(Box::new(event(versions[0].days.clone())))];
    first.extend(delta(&empty, &versions[0]));
    apply_in_pages(&store2, first);
    for id in &favourites {
        favourites::add_favourite(&store2, EVENT, FavouriteKind::Session, id, None).unwrap();
    }
    apply_in_pages(&store2, delta(&versions[0], &versions[1]));
    favourites::mark_all_alerts_seen(&store2, &store2.alerts, EVENT).unwrap();
    apply_in_pages(&store2, delta(&versions[1], &versions[2]));
    let since_seen = unseen(&store2);
    let want: BTreeMap<String, Vec<AlertChange>> = favourites
        .iter()
        .filter_map(|id| {
            // Removed on day 2 and still gone: already seen, nothing new.
            expected_changes(versions[1].sessions.get(*id), versions[2].sessions.get(*id))
                .map(|c| ((*id).clone(), c))
        })
        .collect();
    assert_eq!(since_seen, want);
    println!(
        "36C3 day 2 -> final (after seeing day 2): {} alerts {:?}",
        since_seen.len(),
        tally(&since_seen)
    );
}
