//! Builds the FTS5 MATCH expressions. Every term is a normalised word (letters and digits only)
//! that this module quotes itself; nothing the user typed reaches MATCH as syntax.
//!
//! Two tiers: `strong` requires every query part as a word or word beginning; `broad` also
//! accepts the compound (infix) and one-typo candidates from the vocabulary. The broad tier runs
//! only to fill up the list, so exact and prefix hits always rank first.
//!
//! A prefix of one or two letters matches thousands of words, and FTS5 merges all their
//! document lists (it keeps no prefix index: that would double its size). Such words are looked
//! up exactly here; their prefix matches in titles, names and places come from memory.

use super::vocab::Expansion;
use marktplatz_search::parse::Group;

pub(crate) struct Plan {
    pub strong: Option<String>,
    pub broad: Option<String>,
}

/// `groups[i]` comes with the expansion of its word (phrases have none).
/// Words shorter than this are not expanded as prefixes in FTS5.
pub(crate) const MIN_FTS_PREFIX_CHARS: usize = 3;

pub(crate) fn plan(groups: &[(Group, Option<&Expansion>)]) -> Plan {
    let mut strong = Vec::new();
    let mut broad = Vec::new();
    let mut strong_possible = true;
    let mut broad_differs = false;
    for (group, expansion) in groups {
        match group {
            Group::Phrase { words, open } => {
                if *open && words.last().is_some_and(|w| is_short(w)) {
                    // "digitale z": the long text is searched from the third letter on.
                    return Plan::nothing();
                }
                if words.is_empty() {
                    return Plan::nothing();
                }
                let phrase = format!(
                    "{}{}",
                    quote(&words.join(" ")),
                    if *open { "*" } else { "" }
                );
                strong.push(phrase.clone());
                broad.push(phrase);
            }
            Group::Word(word) => {
                let Some(expansion) = expansion else {
                    return Plan::nothing();
                };
                if expansion.is_empty() {
                    // A required word that matches nothing: no document can match.
                    return Plan::nothing();
                }
                let prefix = if is_short(word) {
                    expansion.exact.map(|_| quote(word))
                } else {
                    (!expansion.prefix.is_empty()).then(|| format!("{}*", quote(word)))
                };
                let mut alternatives = Vec::new();
                match prefix {
                    Some(prefix) => {
                        strong.push(prefix.clone());
                        alternatives.push(prefix);
                    }
                    None => strong_possible = false,
                }
                for term in expansion.fts_infix.iter().chain(&expansion.fts_fuzzy) {
                    alternatives.push(quote(term));
                    broad_differs = true;
                }
                match alternatives.len() {
                    0 => {}
                    1 => broad.push(alternatives.remove(0)),
                    _ => broad.push(format!("({})", alternatives.join(" OR "))),
                }
            }
        }
    }
    let wrap = |parts: Vec<String>| parts.join(" AND ");
    let broad_possible = broad.len() == groups.len();
    Plan {
        strong: (strong_possible && !strong.is_empty()).then(|| wrap(strong)),
        broad: (broad_differs && broad_possible).then(|| wrap(broad)),
    }
}

fn is_short(word: &str) -> bool {
    word.chars().count() < MIN_FTS_PREFIX_CHARS
}

impl Plan {
    fn nothing() -> Plan {
        Plan {
            strong: None,
            broad: None,
        }
    }
}

/// An FTS5 string literal. The normaliser only produces letters and digits, so there is nothing
/// to escape; doubling quotes keeps it safe even if that ever changes.
fn quote(term: &str) -> String {
    format!("\"{}\"", term.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_quoted_tiers() {
        let rechnung = Expansion {
            word: "rechnung".into(),
            exact: Some(3),
            prefix: 3..5,
            infix: vec![1],
            fts_infix: vec!["erechnungsplattform".into()],
            ..Expansion::default()
        };
        let bremen = Expansion {
            word: "bremen".into(),
            exact: Some(0),
            prefix: 0..1,
            ..Expansion::default()
        };
        let groups = vec![
            (Group::Word("rechnung".into()), Some(&rechnung)),
            (Group::Word("bremen".into()), Some(&bremen)),
            (
                Group::Phrase {
                    words: vec!["digitale".into(), "verw".into()],
                    open: true,
                },
                None,
            ),
        ];
        let plan = plan(&groups);
        assert_eq!(
            plan.strong.as_deref(),
            Some(r#""rechnung"* AND "bremen"* AND "digitale verw"*"#)
        );
        assert_eq!(
            plan.broad.as_deref(),
            Some(r#"("rechnung"* OR "erechnungsplattform") AND "bremen"* AND "digitale verw"*"#)
        );
    }

    #[test]
    fn short_words_are_not_expanded_in_fts() {
        let b = Expansion {
            word: "b".into(),
            exact: None,
            prefix: 0..500,
            ..Expansion::default()
        };
        let cloud = Expansion {
            word: "cloud".into(),
            exact: Some(600),
            prefix: 600..603,
            ..Expansion::default()
        };
        let groups = vec![
            (Group::Word("cloud".into()), Some(&cloud)),
            (Group::Word("b".into()), Some(&b)),
        ];
        let p = plan(&groups);
        assert!(p.strong.is_none() && p.broad.is_none());
        let it = Expansion {
            exact: Some(700),
            ..b.clone()
        };
        let groups = vec![
            (Group::Word("cloud".into()), Some(&cloud)),
            (Group::Word("it".into()), Some(&it)),
        ];
        assert_eq!(
            plan(&groups).strong.as_deref(),
            Some(r#""cloud"* AND "it""#)
        );
        let phrase = vec![(
            Group::Phrase {
                words: vec!["digitale".into(), "v".into()],
                open: true,
            },
            None,
        )];
        assert!(plan(&phrase).strong.is_none());
    }

    #[test]
    fn a_word_matching_nothing_means_no_query() {
        let empty = Expansion::default();
        let plan = plan(&[(Group::Word("xyz".into()), Some(&empty))]);
        assert!(plan.strong.is_none() && plan.broad.is_none());
    }
}
