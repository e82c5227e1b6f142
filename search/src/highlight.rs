//! Highlight ranges (char offsets into the text shown) and the short context line of a hit.

use crate::document::Document;
use crate::matcher::Matcher;
use crate::normalize::{Token, find_word, tokenize};

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
pub fn highlights(text: &str, matchers: &[Matcher]) -> Vec<Highlight> {
    ranges_in(&tokens_with_compounds(text), matchers)
}

fn ranges_in(tokens: &[Token], matchers: &[Matcher]) -> Vec<Highlight> {
    let mut ranges: Vec<Highlight> = Vec::new();
    for token in tokens {
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
/// cut around the first match for long text. Each field is split into words once.
/// `doc.body` is ignored: the long text is read through `body` only when it is needed.
pub fn context<E>(
    doc: &Document,
    matchers: &[Matcher],
    body: impl FnOnce() -> Result<String, E>,
) -> Result<(String, Vec<Highlight>), E> {
    let title = tokens_with_compounds(&doc.title);
    let people = tokens_with_compounds(&doc.people);
    let place = tokens_with_compounds(&doc.place);
    let mut load = Some(body);
    let mut body: Option<String> = None;
    // First choice: a field that explains a query part the title does not.
    for matcher in matchers {
        if holds(&title, matcher) {
            continue;
        }
        for (text, tokens) in [(&doc.people, &people), (&doc.place, &place)] {
            if holds(tokens, matcher) {
                return Ok((text.clone(), ranges_in(tokens, matchers)));
            }
        }
        if body.is_none() {
            let text = match load.take() {
                Some(load) => load()?,
                None => String::new(),
            };
            body = Some(collapse(&text));
        }
        let text = body.as_deref().unwrap_or_default();
        if let Some(at) = first_match(text, matcher) {
            let snippet = cut(text, at.saturating_sub(CONTEXT_BEFORE), CONTEXT_CHARS);
            let ranges = highlights(&snippet, matchers);
            return Ok((snippet, ranges));
        }
    }
    // Otherwise the people and place, which is what a list of talks shows anyway.
    let line = [doc.people.as_str(), doc.place.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" · ");
    if !line.is_empty() {
        let ranges = highlights(&line, matchers);
        return Ok((line, ranges));
    }
    let text = match (body, load) {
        (Some(text), _) => text,
        (None, Some(load)) => collapse(&load()?),
        (None, None) => String::new(),
    };
    let start: String = text.chars().take(CONTEXT_CHARS * 2).collect();
    let line = cut(&start, 0, CONTEXT_CHARS);
    let ranges = highlights(&line, matchers);
    Ok((line, ranges))
}

/// The char offset of the first word of `text` the matcher matches.
fn first_match(text: &str, matcher: &Matcher) -> Option<usize> {
    find_word(text, |word| matcher.token_match(word).is_some())
}

fn holds(tokens: &[Token], matcher: &Matcher) -> bool {
    tokens
        .iter()
        .any(|t| matcher.token_match(&t.text).is_some())
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
    use crate::parse::Group;

    fn word(w: &str) -> Matcher {
        Matcher::new(
            &Group::Word(w.to_string()),
            None,
            &crate::vocab::Vocabulary::from_terms(Vec::new()),
        )
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
        let (line, h) = context(&doc, &[word("digitalisierung")], || {
            Ok::<_, ()>(doc.body.clone())
        })
        .unwrap();
        assert!(line.starts_with('…') && line.ends_with('…'), "{line}");
        assert!(line.chars().count() <= CONTEXT_CHARS + 2, "{line}");
        assert_eq!(underlined(&line, &h), ["digitalisierung"]);
        let (line, h) =
            context(&doc, &[word("schmidt")], || Ok::<_, ()>(doc.body.clone())).unwrap();
        assert_eq!(line, "Anna Schmidt");
        assert_eq!(underlined(&line, &h), ["Schmidt"]);
        let (line, _) = context(&doc, &[word("daten")], || Ok::<_, ()>(doc.body.clone())).unwrap();
        assert_eq!(line, "Anna Schmidt · Saal 2");
    }
}
