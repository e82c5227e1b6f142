//! Cleaning published text of characters that can hide or forge what a reader sees: C0 and C1
//! controls (terminal escapes start with ESC), and the bidi overrides and isolates
//! (U+202A-202E, U+2066-2069) that reorder a line. Body text keeps its newlines and tabs;
//! short fields (titles, names, captions) get a space for them.

use serde_json::Value;

/// Fields shown on one line: a newline there becomes a space.
const ONE_LINE_FIELDS: [&str; 6] = ["title", "subtitle", "name", "caption", "credit", "label"];

/// Cleans every string in `value` (object keys included), by the rule of the field it is in.
pub fn clean_value(value: &mut Value) {
    clean_in(value, false);
}

fn clean_in(value: &mut Value, one_line: bool) {
    match value {
        Value::String(text) if needs_cleaning(text, one_line) => {
            *text = clean_text(text, one_line);
        }
        Value::Array(items) => items.iter_mut().for_each(|item| clean_in(item, one_line)),
        Value::Object(fields) => {
            if fields.keys().any(|key| needs_cleaning(key, true)) {
                let taken = std::mem::take(fields);
                *fields = taken
                    .into_iter()
                    .map(|(key, item)| (clean_text(&key, true), item))
                    .collect();
            }
            for (key, item) in fields.iter_mut() {
                clean_in(item, ONE_LINE_FIELDS.contains(&key.as_str()));
            }
        }
        _ => {}
    }
}

/// `text` without controls and bidi overrides; newlines and tabs kept unless `one_line`, where
/// they become spaces (`\r` is dropped: `\r\n` becomes `\n`).
pub fn clean_text(text: &str, one_line: bool) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\n' | '\t' if one_line => Some(' '),
            '\n' | '\t' => Some(c),
            _ if is_hidden(c) => None,
            _ => Some(c),
        })
        .collect()
}

fn needs_cleaning(text: &str, one_line: bool) -> bool {
    text.chars()
        .any(|c| is_hidden(c) || (one_line && matches!(c, '\n' | '\t')))
}

fn is_hidden(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\t'))
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_escapes_and_bidi_overrides_go_newlines_stay_in_body_text() {
        let mut value = serde_json::json!({
            "title": "Er\u{1b}[2Jöff\u{202E}nung\r\nzwei",
            "description": "Zeile 1\r\nZeile 2\u{0085}\u{2066}x\u{2069}",
            "tags": ["a\u{7}b"],
        });
        clean_value(&mut value);
        assert_eq!(value["title"], "Er[2Jöffnung zwei");
        assert_eq!(value["description"], "Zeile 1\nZeile 2x");
        assert_eq!(value["tags"][0], "ab");
    }
}
