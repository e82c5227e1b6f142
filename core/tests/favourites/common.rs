//! Helpers shared by the favourites tests: a fixture event and content edits that record change
//! alerts the way the sync does (inside the content transaction, before it commits).

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use marktplatz_core::favourites;
use marktplatz_core::favourites::{AlertListeners, AlertsRecorded, FavouriteKind};
use marktplatz_core::store::{AppliedChange, ContentTx, Store};
use marktplatz_model::bundle::Bundle;
use marktplatz_model::model::*;

pub const EVENT: &str = "fav-fair";

pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub fn bundle() -> Bundle {
    let text = std::fs::read_to_string(fixtures().join("favourites-bundle.json")).unwrap();
    Bundle::from_json(&text).unwrap()
}

/// A store with the alert listeners beside it, as the device holds them.
pub struct Phone {
    pub store: Store,
    pub alerts: AlertListeners,
}

impl Phone {
    pub fn open(dir: &Path) -> Phone {
        Phone {
            store: Store::open(dir).unwrap(),
            alerts: AlertListeners::default(),
        }
    }
}

impl std::ops::Deref for Phone {
    type Target = Store;

    fn deref(&self) -> &Store {
        &self.store
    }
}

pub fn loaded(dir: &Path) -> Phone {
    let phone = Phone::open(dir);
    phone
        .write_content(|tx| tx.replace_with_bundle(&bundle()))
        .unwrap();
    phone
}

pub fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

pub fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

pub fn fav(store: &Store, id: &str) {
    assert!(favourites::add_favourite(store, EVENT, FavouriteKind::Session, id, None).unwrap());
}

pub fn session(store: &Store, id: &str) -> Session {
    match store.entity(EVENT, EntityKind::Session, id).unwrap() {
        Some(Entity::Session(s)) => s,
        other => panic!("session {id}: {other:?}"),
    }
}

/// Applies content edits in one transaction and records alerts for them before it commits,
/// then tells the listeners, as the sync does with each page.
pub fn apply(
    store: &Phone,
    edit: impl FnOnce(&mut ContentTx<'_>) -> Vec<AppliedChange>,
) -> (Vec<AppliedChange>, AlertsRecorded) {
    let (changes, recorded) = store
        .write_content(|tx| {
            let changes = edit(tx);
            let recorded = favourites::record_change_alerts(store, EVENT, &changes)?;
            Ok((changes, recorded))
        })
        .unwrap();
    // After the commit, as the sync does.
    if recorded.changed > 0 {
        favourites::notify_alerts(store, &store.alerts, EVENT).unwrap();
    }
    (changes, recorded)
}

pub fn upsert(tx: &mut ContentTx<'_>, entity: Entity) -> AppliedChange {
    let body = entity.to_json().unwrap();
    tx.upsert(EVENT, &entity, &body).unwrap()
}

/// Edits one session and records alerts; returns how many alerts changed.
pub fn change_session(store: &Phone, id: &str, edit: impl FnOnce(&mut Session)) -> u32 {
    let mut s = session(store, id);
    edit(&mut s);
    apply(store, |tx| vec![upsert(tx, Entity::Session(s))])
        .1
        .changed
}

pub fn remove_session(store: &Phone, id: &str) -> u32 {
    apply(store, |tx| {
        vec![tx.delete(EVENT, EntityKind::Session, id).unwrap()]
    })
    .1
    .changed
}
