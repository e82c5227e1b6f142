//! Highlight ranges (char offsets into the text shown) and the short context line of a hit.

use super::document::Document;
use super::matcher::Matcher;
use super::normalize::{Token, tokenize};

/// Characters of long text shown around the first match.
const CONTEXT_CHARS: usize = 110;
const CONTEXT_BEFORE: usize = 30;

/// A range of characters (Unicode scalar values) to underline: `[start, end)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Highlight {
    pub start: u32,
    pub end: u32,
}

/// The ranges of `text` that match any part of the query, sorted and merged.
pub(crate) fn highlights(text: &str, matchers: &[Matcher]) -> Vec<Highlight> {
    let tokens = tokens_with_compounds(text);
    let mut ranges: Vec<Highlight> = Vec::new();
    for token in &tokens {
        for matcher in matchers {
            if let Some((_, from, to)) = matcher.token_match(&token.text) {
                let (start, end) = token.char_range_of(from, to);
                if end > start {
                    ranges.push(Highlight { start, end });
                }
            }
        }
    }
    merge(ranges)
}

/// The line under the title: the field where the query matched that the title does not show,
/// cut around the first match for long text.
pub(crate) fn context(doc: &Document, matchers: &[Matcher]) -> (String, Vec<Highlight>) {
    let matched_in_title: Vec<bool> = matchers
        .iter()
        .map(|m| matches_anywhere(&doc.title, m))
        .collect();
    let short = [&doc.people, &doc.place];
    // First choice: a field that explains a query part the title does not.
    for (i, matcher) in matchers.iter().enumerate() {
        if matched_in_title[i] {
            continue;
        }
        for field in short {
            if matches_anywhere(field, matcher) {
                return with_highlights(field.to_string(), matchers);
            }
        }
        if let Some(snippet) = snippet(&doc.body, matcher) {
            return with_highlights(snippet, matchers);
        }
    }
    // Otherwise the people and place, which is what a list of talks shows anyway.
    let line = [doc.people.as_str(), doc.place.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" · ");
    if !line.is_empty() {
        return with_highlights(line, matchers);
    }
    let start = collapse(&doc.body.chars().take(CONTEXT_CHARS * 2).collect::<String>());
    with_highlights(cut(&start, 0, CONTEXT_CHARS), matchers)
}

fn with_highlights(text: String, matchers: &[Matcher]) -> (String, Vec<Highlight>) {
    let ranges = highlights(&text, matchers);
    (text, ranges)
}

fn matches_anywhere(text: &str, matcher: &Matcher) -> bool {
    tokens_with_compounds(text)
        .iter()
        .any(|t| matcher.token_match(&t.text).is_some())
}

/// About [`CONTEXT_CHARS`] of `body` around the first match of `matcher`, whitespace collapsed.
fn snippet(body: &str, matcher: &Matcher) -> Option<String> {
    let body = collapse(body);
    let at = tokens_with_compounds(&body)
        .iter()
        .filter(|t| matcher.token_match(&t.text).is_some())
        .map(|t| t.char_range().0 as usize)
        .min()?;
    Some(cut(&body, at.saturating_sub(CONTEXT_BEFORE), CONTEXT_CHARS))
}

/// `len` chars of `text` from about `from`, snapped to word boundaries, with ellipses.
fn cut(text: &str, from: usize, len: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut start = from.min(chars.len());
    while start > 0 && start < chars.len() && !chars[start - 1].is_whitespace() {
        start += 1;
        if start >= from + 15 {
            break;
        }
    }
    let mut end = (start + len).min(chars.len());
    while end < chars.len() && end > start + len - 15 && !chars[end].is_whitespace() {
        end -= 1;
    }
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.extend(chars[start..end].iter());
    let trimmed_len = out.trim_end().len();
    out.truncate(trimmed_len);
    if end < chars.len() {
        out.push('…');
    }
    out
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The words of a text plus its hyphen-joined compounds, each with its spans.
fn tokens_with_compounds(text: &str) -> Vec<Token> {
    let mut tokens = tokenize(text);
    let mut joined = Vec::new();
    let mut group: Option<Token> = None;
    let mut parts = 0;
    for token in &tokens {
        match (&mut group, token.joined_to_previous) {
            (Some(g), true) => {
                g.text.push_str(&token.text);
                g.spans.extend_from_slice(&token.spans);
                parts += 1;
            }
            _ => {
                if parts > 1 {
                    joined.extend(group.take());
                }
                group = Some(token.clone());
                parts = 1;
            }
        }
    }
    if parts > 1 {
        joined.extend(group);
    }
    tokens.extend(joined);
    tokens
}

fn merge(mut ranges: Vec<Highlight>) -> Vec<Highlight> {
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Highlight> = Vec::with_capacity(ranges.len());
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::parse::Group;

    fn word(w: &str) -> Matcher {
        Matcher::new(&Group::Word(w.to_string()), None)
    }

    fn underlined(text: &str, ranges: &[Highlight]) -> Vec<String> {
        ranges
            .iter()
            .map(|r| {
                text.chars()
                    .skip(r.start as usize)
                    .take((r.end - r.start) as usize)
                    .collect()
            })
            .collect()
    }

    #[test]
    fn underlines_exact_prefix_and_compound_parts_in_the_original_text() {
        let text = "Die E-Rechnungsplattform der Bürgerämter";
        let h = highlights(text, &[word("rechnung"), word("burgeramt")]);
        // "burgeramt" is a beginning of "Bürgerämter": the folded prefix maps back to "Bürgerämt".
        assert_eq!(underlined(text, &h), ["Rechnung", "Bürgerämt"]);
        let text = "Straße und Strassenbau";
        let h = highlights(text, &[word("strasse")]);
        assert_eq!(underlined(text, &h), ["Straße", "Strasse"]);
        // A query typed with the hyphen's joined form underlines the whole compound.
        let text = "Neu: E-Rechnung!";
        let h = highlights(text, &[word("erechnung")]);
        assert_eq!(underlined(text, &h), ["E-Rechnung"]);
    }

    #[test]
    fn context_prefers_the_field_that_explains_the_match() {
        let doc = Document {
            title: "Offene Daten".into(),
            people: "Anna Schmidt".into(),
            place: "Saal 2".into(),
            body: format!(
                "{} Hier geht es um die Verwaltungsdigitalisierung im Landkreis. {}",
                "Einleitung. ".repeat(20),
                "Schluss. ".repeat(20)
            ),
        };
        let (line, h) = context(&doc, &[word("digitalisierung")]);
        assert!(line.starts_with('…') && line.ends_with('…'), "{line}");
        assert!(line.chars().count() <= CONTEXT_CHARS + 2, "{line}");
        assert_eq!(underlined(&line, &h), ["digitalisierung"]);
        let (line, h) = context(&doc, &[word("schmidt")]);
        assert_eq!(line, "Anna Schmidt");
        assert_eq!(underlined(&line, &h), ["Schmidt"]);
        let (line, _) = context(&doc, &[word("daten")]);
        assert_eq!(line, "Anna Schmidt · Saal 2");
    }
}
