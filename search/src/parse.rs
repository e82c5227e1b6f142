//! Turns whatever the user typed into words and quoted phrases. Nothing typed is ever passed on
//! as query syntax: FTS operators, quotes, stars and colons are separators here, and the query
//! planner quotes every term itself.

use crate::normalize::{Token, joined_compounds, tokenize};

/// More than this many characters of a query are ignored (a pasted 10 KB text still searches).
const MAX_QUERY_CHARS: usize = 256;
/// At most this many words or phrases count; more would only slow the query down.
const MAX_GROUPS: usize = 8;
/// Words longer than this are cut (no real word is longer; it bounds fuzzy matching work).
pub const MAX_WORD_CHARS: usize = 48;

/// One required part of the query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Group {
    /// A normalised word; matched exactly, as a prefix, inside compounds, or with one typo.
    Word(String),
    /// Quoted words that must appear in this order; with `open` the last one may be incomplete.
    Phrase { words: Vec<String>, open: bool },
}

/// What was typed, as the required words and phrases (empty: nothing to search for).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    pub groups: Vec<Group>,
}

impl ParsedQuery {
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }
}

/// Splits typed text into words and quoted phrases (see the module documentation).
pub fn parse(text: &str) -> ParsedQuery {
    let text: String = text.chars().take(MAX_QUERY_CHARS).collect();
    let mut groups = Vec::new();
    let mut in_quotes = false;
    let mut segment = String::new();
    let flush = |segment: &mut String, quoted: bool, open: bool, groups: &mut Vec<Group>| {
        let tokens = tokenize(segment);
        segment.clear();
        if quoted {
            let words: Vec<String> = tokens.into_iter().map(|t| clip(t.text)).collect();
            match words.len() {
                0 => {}
                1 if !open => groups.push(Group::Phrase { words, open: false }),
                _ => groups.push(Group::Phrase { words, open }),
            }
        } else {
            groups.extend(words_of(&tokens).into_iter().map(Group::Word));
        }
    };
    for c in text.chars() {
        if is_quote(c) {
            flush(&mut segment, in_quotes, false, &mut groups);
            in_quotes = !in_quotes;
        } else {
            segment.push(c);
        }
    }
    // An unbalanced quote: the phrase is still being typed.
    let open = !text.ends_with(char::is_whitespace);
    flush(&mut segment, in_quotes, open, &mut groups);
    dedup(&mut groups);
    groups.truncate(MAX_GROUPS);
    ParsedQuery { groups }
}

/// Hyphenated compounds typed by the user become one word in their joined form (`E-Rechnung` →
/// `erechnung`), which the index holds for every hyphenated compound.
fn words_of(tokens: &[Token]) -> Vec<String> {
    let mut words = Vec::new();
    let mut start = 0;
    while start < tokens.len() {
        let mut end = start + 1;
        while end < tokens.len() && tokens[end].joined_to_previous {
            end += 1;
        }
        if end - start > 1 {
            words.extend(joined_compounds(&tokens[start..end]).into_iter().map(clip));
        } else {
            words.push(clip(tokens[start].text.clone()));
        }
        start = end;
    }
    words
}

fn clip(word: String) -> String {
    if word.chars().count() <= MAX_WORD_CHARS {
        word
    } else {
        word.chars().take(MAX_WORD_CHARS).collect()
    }
}

fn dedup(groups: &mut Vec<Group>) {
    let mut seen: Vec<Group> = Vec::new();
    groups.retain(|g| {
        if seen.contains(g) {
            false
        } else {
            seen.push(g.clone());
            true
        }
    });
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '„' | '“' | '”' | '«' | '»')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(w: &str) -> Group {
        Group::Word(w.to_string())
    }

    #[test]
    fn words_are_folded_and_operators_dropped() {
        let q = parse("Bürgeramt NEAR(x y) -Straße title:foo* OR");
        assert_eq!(
            q.groups,
            [
                word("burgeramt"),
                word("near"),
                word("x"),
                word("y"),
                word("strasse"),
                word("title"),
                word("foo"),
                word("or")
            ]
        );
    }

    #[test]
    fn hyphenated_words_are_joined() {
        assert_eq!(parse("E-Rechnung").groups, [word("erechnung")]);
        assert_eq!(
            parse("IT-Sicherheit Bremen").groups,
            [word("itsicherheit"), word("bremen")]
        );
    }

    #[test]
    fn quoted_phrases_and_unbalanced_quotes() {
        assert_eq!(
            parse("\"digitale verwaltung\" bremen").groups,
            [
                Group::Phrase {
                    words: vec!["digitale".into(), "verwaltung".into()],
                    open: false
                },
                word("bremen")
            ]
        );
        assert_eq!(
            parse("„digitale verw").groups,
            [Group::Phrase {
                words: vec!["digitale".into(), "verw".into()],
                open: true
            }]
        );
        assert_eq!(parse("\"\"\"").groups, []);
        assert_eq!(
            parse("\"bremen").groups,
            [word("bremen")].map(|_| Group::Phrase {
                words: vec!["bremen".into()],
                open: true
            })
        );
    }

    #[test]
    fn huge_input_is_bounded() {
        let q = parse(&"Verwaltungsdigitalisierung ".repeat(400));
        // Repeats collapse; the cut at 256 characters leaves a beginning of the word.
        assert_eq!(
            q.groups,
            [word("verwaltungsdigitalisierung"), word("verwaltungsdi")]
        );
        let q = parse(&"a b c d e f g h i j k l ".repeat(100));
        assert_eq!(q.groups.len(), MAX_GROUPS);
        let q = parse(&"x".repeat(10_000));
        assert_eq!(q.groups, [word(&"x".repeat(MAX_WORD_CHARS))]);
    }
}
