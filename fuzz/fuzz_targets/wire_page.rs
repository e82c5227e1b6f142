//! A changes page from the network: parsing and decoding never panic, whatever arrives.
#![no_main]

use libfuzzer_sys::fuzz_target;
use marktplatz_model::wire::Page;

fuzz_target!(|data: &[u8]| {
    if let Ok(page) = serde_json::from_slice::<Page>(data) {
        let _ = page.decode(None, page.since);
        let _ = page.decode(Some(&page.epoch), page.since.wrapping_add(1));
        let _ = marktplatz_model::wire::page_etag(&page.epoch, page.next);
    }
});
