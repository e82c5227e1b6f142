//! Plans the long-text queries. Every term is a normalised word (letters and digits only); the
//! device's FTS5 MATCH expression is written from them here ([`Tier::to_fts`], every term quoted),
//! the server's in-memory index evaluates them directly: nothing the user typed is syntax.
//!
//! Two tiers: `strong` requires every query part as a word or word beginning; `broad` also
//! accepts the compound (infix) and one-typo candidates from the vocabulary. The broad tier runs
//! only to fill up the list, so exact and prefix hits always rank first.
//!
//! A prefix of one or two letters matches thousands of words, and FTS5 merges all their
//! document lists (it keeps no prefix index: that would double its size). Such words are looked
//! up exactly here; their prefix matches in titles, names and places come from memory.

use crate::parse::Group;
use crate::vocab::Expansion;

/// One way a query part can match the long-text index: every term is a normalised word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Term {
    /// The word, or any word it begins.
    Prefix(String),
    /// Exactly this word.
    Exact(String),
    /// These words one after the other in one field; with `open` the last one as a beginning.
    Phrase { words: Vec<String>, open: bool },
}

/// A query over the long-text index: every group must match, each by any of its terms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tier {
    pub groups: Vec<Vec<Term>>,
}

impl Tier {
    /// The tier as an FTS5 MATCH expression (the device's index). Every term is quoted here.
    pub fn to_fts(&self) -> String {
        self.groups
            .iter()
            .map(|alternatives| {
                let terms: Vec<String> = alternatives.iter().map(Term::to_fts).collect();
                match terms.len() {
                    1 => terms.join(""),
                    _ => format!("({})", terms.join(" OR ")),
                }
            })
            .collect::<Vec<_>>()
            .join(" AND ")
    }
}

impl Term {
    fn to_fts(&self) -> String {
        match self {
            Term::Prefix(word) => format!("{}*", quote(word)),
            Term::Exact(word) => quote(word),
            Term::Phrase { words, open } => {
                format!(
                    "{}{}",
                    quote(&words.join(" ")),
                    if *open { "*" } else { "" }
                )
            }
        }
    }
}

pub struct Plan {
    pub strong: Option<Tier>,
    pub broad: Option<Tier>,
}

/// Words shorter than this are not expanded as prefixes in the long-text index.
pub const MIN_FTS_PREFIX_CHARS: usize = 3;

/// `groups[i]` comes with the expansion of its word (phrases have none).
pub fn plan(groups: &[(Group, Option<&Expansion>)]) -> Plan {
    let mut strong: Vec<Vec<Term>> = Vec::new();
    let mut broad: Vec<Vec<Term>> = Vec::new();
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
                let phrase = Term::Phrase {
                    words: words.clone(),
                    open: *open,
                };
                strong.push(vec![phrase.clone()]);
                broad.push(vec![phrase]);
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
                    expansion.exact.map(|_| Term::Exact(word.clone()))
                } else {
                    (!expansion.prefix.is_empty()).then(|| Term::Prefix(word.clone()))
                };
                let mut alternatives = Vec::new();
                match prefix {
                    Some(prefix) => {
                        strong.push(vec![prefix.clone()]);
                        alternatives.push(prefix);
                    }
                    None => strong_possible = false,
                }
                for term in expansion.fts_infix.iter().chain(&expansion.fts_fuzzy) {
                    alternatives.push(Term::Exact(term.clone()));
                    broad_differs = true;
                }
                if !alternatives.is_empty() {
                    broad.push(alternatives);
                }
            }
        }
    }
    let broad_possible = broad.len() == groups.len();
    Plan {
        strong: (strong_possible && !strong.is_empty()).then_some(Tier { groups: strong }),
        broad: (broad_differs && broad_possible).then_some(Tier { groups: broad }),
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
            plan.strong.as_ref().map(Tier::to_fts).as_deref(),
            Some(r#""rechnung"* AND "bremen"* AND "digitale verw"*"#)
        );
        assert_eq!(
            plan.broad.as_ref().map(Tier::to_fts).as_deref(),
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
            plan(&groups).strong.as_ref().map(Tier::to_fts).as_deref(),
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
