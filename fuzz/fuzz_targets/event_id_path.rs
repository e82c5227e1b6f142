//! An event id as it may appear in a path (any bytes, percent-encoded or not): the head of the
//! protected event is served only to the id as it is with the code, never without the code,
//! and decoding it never panics. Entry point: `marktplatz_server::probe`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use marktplatz_server::probe::Probe;

fuzz_target!(|data: &[u8]| {
    if let Ok(segment) = std::str::from_utf8(data) {
        Probe::shared().check_event_segment(segment);
    }
});
