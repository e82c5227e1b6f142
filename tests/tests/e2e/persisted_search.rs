#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The persisted search snapshot (issue 23) on the real 36C3 schedule, through the apps' device
//! (`marktplatz_core::device::Device`) and a real server: a sync writes `search.snapshot`, the
//! next process's first search reads it and finds exactly what a snapshot rebuilt from
//! content.db finds, and the next publication's sync replaces it.

use marktplatz_core::device::Device;
use marktplatz_core::search::{SNAPSHOT_FILE, SearchCache, SearchHit, SearchQuery, search};
use marktplatz_tests::Harness;

const EVENT: &str = "36c3";

/// Words of the schedule, typed whole, half, with a typo, as compounds and phrases.
const QUERIES: &[&str] = &[
    "Sicherheit",
    "sicher",
    "sicherhiet",
    "security",
    "secu",
    "Chaos",
    "blockchain",
    "klima",
    "Datenschutz",
    "daten schutz",
    "\"open source\"",
    "hacking the",
    "Überwachung",
    "uberwachung",
    "ueberwachung",
    "Workshop",
    "tor",
    "x",
    "zzzqqq",
];

fn hits(device: &Device, cache: &SearchCache, text: &str) -> Vec<SearchHit> {
    search(device.store(), cache, &SearchQuery::new(EVENT, text)).unwrap()
}

/// Every query through the device's (persisted) cache and through a rebuilt snapshot.
fn same_hits_as_rebuilt(device: &Device) -> usize {
    let rebuilt = SearchCache::default();
    let mut found = 0;
    for text in QUERIES {
        let ours = hits(device, device.search_cache(), text);
        assert_eq!(ours, hits(device, &rebuilt, text), "query {text:?}");
        found += ours.len();
    }
    found
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_process_searches_36c3_through_the_persisted_snapshot() {
    let h = Harness::start_with(|c| c.page_limit = 300).await;
    let versions = marktplatz_tests::real_36c3_versions(EVENT);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(SNAPSHOT_FILE);

    h.publish(&versions[0]);
    {
        let device = Device::open(dir.path()).unwrap();
        device.sync(Some(h.url()), EVENT.into()).await.unwrap();
        assert_eq!(device.search_cache().persist_problem(), None);
    }
    let first = std::fs::read(&file).expect("the sync persisted the search snapshot");

    // The next start: its first search reads the file, and finds what a rebuild finds.
    let device = Device::open(dir.path()).unwrap();
    assert!(same_hits_as_rebuilt(&device) > 100);
    let stats = device.search_cache().stats().unwrap();
    assert!(stats.loaded_from_file && stats.documents > 500, "{stats:?}");

    // The final version: the sync replaces the snapshot, the next start reads the new one.
    h.publish(&versions[2]);
    device.sync(None, EVENT.into()).await.unwrap();
    drop(device);
    let last = std::fs::read(&file).unwrap();
    assert_ne!(first, last);
    let device = Device::open(dir.path()).unwrap();
    same_hits_as_rebuilt(&device);
    assert!(device.search_cache().stats().unwrap().loaded_from_file);
    assert_eq!(device.search_cache().persist_problem(), None);
}
