#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Which announcements are posted as notifications, against real SQLite files: urgent ones,
//! each once, never expired or retracted ones, never the backlog the event held when the device
//! started watching it, and the decision survives reopening the store.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use marktplatz_core::announcements::take_announcements_to_notify;
use marktplatz_core::store::Store;
use marktplatz_model::bundle::Bundle;
use marktplatz_model::model::{Announcement, Entity, EntityKind, Priority};

const EVENT: &str = "fixture-fair";

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

/// A store holding the small fixture event (its urgent "a-room" published 08:00).
fn loaded(dir: &std::path::Path) -> Store {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/small-bundle.json");
    let bundle = Bundle::from_json(&std::fs::read_to_string(path).unwrap()).unwrap();
    let store = Store::open(dir).unwrap();
    store
        .write_content(|tx| tx.replace_with_bundle(&bundle))
        .unwrap();
    store
}

fn announcement(id: &str, priority: Priority, published: &str) -> Announcement {
    Announcement {
        id: id.into(),
        title: format!("Durchsage {id}"),
        body: String::new(),
        priority,
        published_at: at(published),
        expires_at: None,
    }
}

fn publish(store: &Store, announcement: Announcement) {
    let entity = Entity::Announcement(announcement);
    let body = entity.to_json().unwrap();
    store
        .write_content(|tx| tx.upsert(EVENT, &entity, &body).map(|_| ()))
        .unwrap();
}

fn retract(store: &Store, id: &str) {
    store
        .write_content(|tx| tx.delete(EVENT, EntityKind::Announcement, id).map(|_| ()))
        .unwrap();
}

/// The ids `take_announcements_to_notify` hands out at `time`.
fn taken(store: &Store, time: &str) -> Vec<String> {
    take_announcements_to_notify(store, EVENT, at(time))
        .unwrap()
        .into_iter()
        .map(|a| a.id)
        .collect()
}

/// A loaded store that has had its first look at 10:00: its urgent "a-room" is backlog.
fn watching(dir: &std::path::Path) -> Store {
    let store = loaded(dir);
    assert!(taken(&store, "2026-10-24T10:00:00Z").is_empty());
    store
}

#[test]
fn the_backlog_is_passed_over_and_each_new_urgent_one_is_notified_once() {
    let dir = tempfile::tempdir().unwrap();
    // The first look after the first sync: "a-room" (urgent, shown) is backlog.
    let store = watching(dir.path());
    publish(
        &store,
        announcement("a-forum", Priority::Urgent, "2026-10-24T10:59:00Z"),
    );
    publish(
        &store,
        announcement("a-coffee", Priority::Normal, "2026-10-24T10:59:00Z"),
    );
    publish(
        &store,
        announcement("a-badges", Priority::Important, "2026-10-24T10:59:00Z"),
    );
    assert_eq!(taken(&store, "2026-10-24T11:00:00Z"), ["a-forum"]);
    assert!(taken(&store, "2026-10-24T11:00:00Z").is_empty());
    // An edit of a notified announcement is not notified again; nor after reopening.
    let mut edited = announcement("a-forum", Priority::Urgent, "2026-10-24T10:59:00Z");
    edited.body = "Jetzt im Seminarraum 2".into();
    publish(&store, edited);
    drop(store);
    let store = Store::open(dir.path()).unwrap();
    assert!(taken(&store, "2026-10-24T11:01:00Z").is_empty());
}

#[test]
fn expired_retracted_and_not_yet_published_ones_are_not_notified() {
    let dir = tempfile::tempdir().unwrap();
    let store = watching(dir.path());
    let mut expired = announcement("a-expired", Priority::Urgent, "2026-10-24T10:10:00Z");
    expired.expires_at = Some(at("2026-10-24T10:20:00Z"));
    publish(&store, expired);
    publish(
        &store,
        announcement("a-retracted", Priority::Urgent, "2026-10-24T10:10:00Z"),
    );
    retract(&store, "a-retracted");
    publish(
        &store,
        announcement("a-noon", Priority::Urgent, "2026-10-24T12:00:00Z"),
    );
    assert!(taken(&store, "2026-10-24T10:30:00Z").is_empty());
    // Announced for noon: notified once it is shown, and never the expired one.
    assert_eq!(taken(&store, "2026-10-24T12:00:00Z"), ["a-noon"]);
}

#[test]
fn nothing_is_decided_before_the_event_has_content() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    // No content yet: watching has not started, so the first sync's backlog stays backlog.
    assert!(taken(&store, "2026-10-24T10:00:00Z").is_empty());
    drop(store);
    let store = loaded(dir.path());
    assert!(
        taken(&store, "2026-10-24T10:00:00Z").is_empty(),
        "the urgent announcement the first sync brought is backlog"
    );
}
