//! Any bytes through the photo metadata stripper: it never panics; what it returns is stable
//! (stripping it again changes nothing and removes nothing) and passes the server's check.
//! Entry point: `marktplatz_media::strip`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use marktplatz_media::strip::{refuse_metadata, strip_metadata};

fuzz_target!(|data: &[u8]| {
    if let Ok(stripped) = strip_metadata(data) {
        let again = strip_metadata(&stripped.bytes).expect("a stripped file strips again");
        assert_eq!(again.bytes, stripped.bytes, "stripping is not stable");
        assert!(again.removed.is_empty(), "left behind: {:?}", again.removed);
        refuse_metadata(&stripped.bytes).expect("a stripped file passes the check");
    }
});
