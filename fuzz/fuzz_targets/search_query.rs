//! Search as you type: any text (quotes, operators, control characters, huge words) is a
//! query that answers without error or panic, and every highlight lies inside its text.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use marktplatz_core::search::{self, SearchCache, SearchQuery};
use marktplatz_core::store::Store;
use marktplatz_model::bundle::Bundle;

const BUNDLE: &str = include_str!("../../core/tests/fixtures/small-bundle.json");

fn store() -> &'static (tempfile::TempDir, Store, SearchCache) {
    static STORE: OnceLock<(tempfile::TempDir, Store, SearchCache)> = OnceLock::new();
    STORE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let store = Store::open(dir.path()).expect("a store");
        let bundle = Bundle::from_json(BUNDLE).expect("the fixture bundle");
        store
            .write_content(|tx| tx.replace_with_bundle(&bundle))
            .expect("content");
        (dir, store, SearchCache::default())
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (_, store, cache) = store();
    let hits = search::search(
        store,
        cache,
        &SearchQuery::new("fixture-fair", text.as_ref()),
    )
    .expect("any text is a query");
    for hit in hits {
        let len = hit.title.chars().count() as u32;
        for h in &hit.title_highlights {
            assert!(
                h.start <= h.end && h.end <= len,
                "{h:?} outside {:?}",
                hit.title
            );
        }
    }
});
