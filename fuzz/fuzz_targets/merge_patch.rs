//! JSON merge patches (RFC 7386) as pages carry them: `apply` never panics, and for two
//! objects without nulls, applying their `diff` to the old one gives the new one.
#![no_main]

use libfuzzer_sys::fuzz_target;
use marktplatz_model::wire::merge_patch;
use serde_json::Value;

fn has_null(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Array(a) => a.iter().any(has_null),
        Value::Object(o) => o.values().any(has_null),
        _ => false,
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(Value::Array(pair)) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let [old, new] = pair.as_slice() else {
        return;
    };
    let mut target = old.clone();
    merge_patch::apply(&mut target, new);
    if old.is_object() && new.is_object() && !has_null(new) {
        let patch = merge_patch::diff(old, new);
        let mut patched = old.clone();
        merge_patch::apply(&mut patched, &patch);
        assert_eq!(&patched, new);
    }
});
