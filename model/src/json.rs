//! JSON read strictly: an object that names a key twice is refused. `serde_json` keeps the last
//! of two equal keys when it builds a `Value` and passes raw bodies through untouched, so two
//! readers (the server's check, a phone's renderer) could see different content in one text.

use std::collections::HashSet;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// Checks that no object anywhere in `text` names a key twice. The error names the key; it is
/// `Ok` for text that is not JSON at all (the parse that follows reports that).
pub fn reject_duplicate_keys(text: &str) -> std::result::Result<(), String> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    match UniqueKeys.deserialize(&mut deserializer) {
        Err(error) if error.is_data() => Err(error.to_string()),
        _ => Ok(()),
    }
}

/// Walks any JSON value, refusing an object with a repeated key.
struct UniqueKeys;

impl<'de> DeserializeSeed<'de> for UniqueKeys {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for UniqueKeys {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(UniqueKeys)?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if seen.contains(&key) {
                return Err(de::Error::custom(format!(
                    "the key {key:?} appears twice in one object"
                )));
            }
            map.next_value_seed(UniqueKeys)?;
            seen.insert(key);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_key_is_named_at_any_depth() {
        let err = reject_duplicate_keys(r#"{"a": [{"b": 1, "c": {"x": 1, "x": 2}}]}"#).unwrap_err();
        assert!(err.contains("\"x\" appears twice"), "{err}");
        assert!(
            reject_duplicate_keys(r#"{"a": {"x": 1}, "b": {"x": 2}, "c": ["x", "x"]}"#).is_ok()
        );
        // Escapes spell the same key: still twice.
        assert!(reject_duplicate_keys(r#"{"x": 1, "\u0078": 2}"#).is_err());
    }
}
