//! The persisted snapshot (`search.snapshot` in the store's folder): a new process's first search
//! reads it and finds exactly what a rebuilt snapshot finds; a file of other content, of another
//! content.db, or damaged in any way is never used, and is replaced.

use std::path::Path;

use super::snapshot::SNAPSHOT_FILE;
use super::tests::{PARITY_QUERIES, Searched, parity_fixture, query};
use super::*;
use crate::store::Store;
use marktplatz_model::model::EntityKind;

/// A store holding the parity fixture, its persisted snapshot written (as after a sync).
fn persisted_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    store
        .write_content(|tx| tx.replace_with_bundle(&parity_fixture()))
        .unwrap();
    let cache = SearchCache::persisted_in(dir.path());
    warm_search(&store, &cache).unwrap();
    assert!(!cache.stats().unwrap().loaded_from_file);
    assert_eq!(cache.persist_problem(), None);
    assert!(dir.path().join(SNAPSHOT_FILE).is_file());
    (dir, store)
}

/// Every parity query's hits through `cache`, and through a snapshot rebuilt from content.db.
fn hits_alike(store: &Store, cache: &SearchCache) -> usize {
    let rebuilt = SearchCache::default();
    let mut found = 0;
    for text in PARITY_QUERIES {
        let q = query(text);
        let ours = search(store, cache, &q).unwrap();
        assert_eq!(ours, search(store, &rebuilt, &q).unwrap(), "query {text:?}");
        found += ours.len();
    }
    found
}

fn loaded_from_file(cache: &SearchCache) -> bool {
    cache.stats().unwrap().loaded_from_file
}

#[test]
fn a_new_process_reads_the_persisted_snapshot_and_finds_the_same() {
    let (dir, store) = persisted_store();
    // A new process: a new cache over the same folder.
    let cache = SearchCache::persisted_in(dir.path());
    assert!(hits_alike(&store, &cache) > 20);
    assert!(loaded_from_file(&cache));
    assert_eq!(cache.persist_problem(), None);
}

#[test]
fn changed_content_is_never_searched_through_an_older_snapshot() {
    let (dir, store) = persisted_store();
    let before = std::fs::read(dir.path().join(SNAPSHOT_FILE)).unwrap();
    store
        .write_content(|tx| {
            tx.delete(tests::EVENT, EntityKind::InfoPage, "anfahrt")
                .map(|_| ())
        })
        .unwrap();
    let cache = SearchCache::persisted_in(dir.path());
    assert!(
        search(&store, &cache, &query("Anfahrt"))
            .unwrap()
            .is_empty()
    );
    assert!(!loaded_from_file(&cache));
    hits_alike(&store, &cache);
    // The stale file was replaced by one of the current content, which the next process reads.
    let after = std::fs::read(dir.path().join(SNAPSHOT_FILE)).unwrap();
    assert_ne!(before, after);
    let next = SearchCache::persisted_in(dir.path());
    hits_alike(&store, &next);
    assert!(loaded_from_file(&next));
}

#[test]
fn a_snapshot_of_another_content_db_with_the_same_versions_is_not_used() {
    // Two folders whose content went through the same writes (same content versions): as when
    // a damaged content.db is set aside and downloaded again. Their index rowids may differ, so
    // one's snapshot must never answer for the other.
    let (first, _store) = persisted_store();
    let other = tempfile::tempdir().unwrap();
    let store = Store::open(other.path()).unwrap();
    store
        .write_content(|tx| tx.replace_with_bundle(&parity_fixture()))
        .unwrap();
    std::fs::copy(
        first.path().join(SNAPSHOT_FILE),
        other.path().join(SNAPSHOT_FILE),
    )
    .unwrap();
    let cache = SearchCache::persisted_in(other.path());
    hits_alike(&store, &cache);
    assert!(!loaded_from_file(&cache));
    assert_eq!(cache.persist_problem(), None, "a stale file is no problem");
}

/// Damages the persisted file with `damage`, then checks a new process neither uses it nor
/// fails, reports it, and leaves a good file for the next one.
fn survives(damage: impl FnOnce(&Path)) {
    let (dir, store) = persisted_store();
    let file = dir.path().join(SNAPSHOT_FILE);
    damage(&file);
    let cache = SearchCache::persisted_in(dir.path());
    assert!(hits_alike(&store, &cache) > 20);
    assert!(!loaded_from_file(&cache));
    assert!(
        cache
            .persist_problem()
            .is_some_and(|p| p.contains(SNAPSHOT_FILE)),
        "{:?}",
        cache.persist_problem()
    );
    let next = SearchCache::persisted_in(dir.path());
    hits_alike(&store, &next);
    assert!(loaded_from_file(&next));
}

#[test]
fn a_truncated_snapshot_is_rebuilt() {
    survives(|file| {
        let bytes = std::fs::read(file).unwrap();
        std::fs::write(file, &bytes[..bytes.len() / 2]).unwrap();
    });
    survives(|file| std::fs::write(file, b"").unwrap());
}

#[test]
fn a_corrupt_snapshot_is_rebuilt() {
    survives(|file| {
        let mut bytes = std::fs::read(file).unwrap();
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0x10;
        std::fs::write(file, &bytes).unwrap();
    });
    survives(|file| std::fs::write(file, vec![0xA5; 4096]).unwrap());
}

#[test]
fn an_unwritable_snapshot_costs_a_rebuild_and_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let store = Searched::open(dir.path());
    store
        .write_content(|tx| tx.replace_with_bundle(&parity_fixture()))
        .unwrap();
    // A folder where the file should be: it can be neither read nor replaced.
    std::fs::create_dir(dir.path().join(SNAPSHOT_FILE)).unwrap();
    let cache = SearchCache::persisted_in(dir.path());
    assert!(hits_alike(&store, &cache) > 20);
    assert!(!loaded_from_file(&cache));
    assert!(cache.persist_problem().is_some());
}

#[test]
fn a_device_persists_its_snapshot_in_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    {
        let device = crate::device::Device::open(dir.path()).unwrap();
        device
            .store()
            .write_content(|tx| tx.replace_with_bundle(&parity_fixture()))
            .unwrap();
        warm_search(device.store(), device.search_cache()).unwrap();
    }
    assert!(dir.path().join(SNAPSHOT_FILE).is_file());
    let device = crate::device::Device::open(dir.path()).unwrap();
    hits_alike(device.store(), device.search_cache());
    assert!(loaded_from_file(device.search_cache()));
}
