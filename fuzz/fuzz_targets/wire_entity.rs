//! An entity body (first byte picks the kind): decoding never panics, and what decodes
//! encodes to a body that decodes to the same entity.
#![no_main]

use libfuzzer_sys::fuzz_target;
use marktplatz_model::model::{Entity, EntityKind};

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let kind = EntityKind::ALL[pick as usize % EntityKind::ALL.len()];
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    if let Ok(entity) = Entity::from_json(kind, text) {
        let body = entity.to_json().expect("a decoded entity encodes");
        let again = Entity::from_json(kind, &body).expect("an encoded entity decodes");
        assert_eq!(again.to_json().expect("encodes"), body);
    }
});
