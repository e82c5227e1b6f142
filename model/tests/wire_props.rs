#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The wire decoder against hostile bytes (the CI smoke of the `fuzz/` targets `wire_page`,
//! `wire_entity` and `merge_patch`; the importers' and the search parser's smokes are the
//! proptests in `import/tests.rs` and `search/tests.rs`). `PROPTEST_CASES=20000` for more.

use marktplatz_model::model::{Entity, EntityKind};
use marktplatz_model::wire::{Page, merge_patch};
use proptest::prelude::*;
use serde_json::Value;

fn json_value(nulls: bool) -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::String),
        Just(if nulls {
            Value::Null
        } else {
            Value::Bool(false)
        }),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-e]{1,2}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn object(nulls: bool) -> impl Strategy<Value = Value> {
    prop::collection::btree_map("[a-e]{1,2}", json_value(nulls), 0..5)
        .prop_map(|m| Value::Object(m.into_iter().collect()))
}

fn kind() -> impl Strategy<Value = EntityKind> {
    (0..EntityKind::ALL.len()).prop_map(|i| EntityKind::ALL[i])
}

const VALID_PAGE: &str = r##"{"epoch":"e1","since":0,"next":3,"head":3,"more":false,"changes":[{"seq":1,"kind":"track","id":"t1","body":{"id":"t1","name":"Verwaltung","color":"#336699","description":""}},{"seq":2,"kind":"session","id":"s1"},{"seq":3,"kind":"track","id":"t1","base":"abc","patch":{"name":"x"},"sha":"def"}]}"##;

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_as_a_page_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        if let Ok(page) = serde_json::from_slice::<Page>(&bytes) {
            let _ = page.decode(None, page.since);
        }
    }

    #[test]
    fn damaged_pages_never_panic(cut in 0usize..400, flip in 0usize..400, byte in any::<u8>()) {
        let mut bytes = VALID_PAGE.as_bytes().to_vec();
        let at = flip % bytes.len();
        bytes[at] = byte;
        bytes.truncate(cut.max(1));
        if let Ok(page) = serde_json::from_slice::<Page>(&bytes) {
            let _ = page.decode(Some("e1"), page.since);
        }
    }

    #[test]
    fn pages_with_arbitrary_bodies_decode_or_refuse(
        changes in prop::collection::vec((kind(), "[a-z0-9-]{0,8}", json_value(true), 0u64..20), 0..6),
        since in 0u64..10,
    ) {
        let changes: Vec<Value> = changes
            .into_iter()
            .map(|(kind, id, body, seq)| serde_json::json!({"seq": seq, "kind": kind.as_str(), "id": id, "body": body}))
            .collect();
        let text = serde_json::json!({"epoch": "e", "since": since, "next": since + 5, "head": 30, "more": true, "changes": changes}).to_string();
        let page: Page = serde_json::from_str(&text).unwrap();
        let _ = page.decode(Some("e"), since);
    }

    #[test]
    fn entity_bodies_decode_or_refuse_and_round_trip(kind in kind(), body in object(true)) {
        if let Ok(entity) = Entity::from_json(kind, &body.to_string()) {
            let json = entity.to_json().unwrap();
            let again = Entity::from_json(kind, &json).unwrap();
            prop_assert_eq!(again.to_json().unwrap(), json);
        }
    }

    #[test]
    fn a_merge_patch_of_a_diff_turns_old_into_new(old in object(true), new in object(false)) {
        let patch = merge_patch::diff(&old, &new);
        let mut patched = old.clone();
        merge_patch::apply(&mut patched, &patch);
        prop_assert_eq!(patched, new);
    }

    #[test]
    fn any_merge_patch_applies_without_panic(mut target in json_value(true), patch in json_value(true)) {
        merge_patch::apply(&mut target, &patch);
    }
}
