//! Decides whether (and how well) one normalised word of a text matches one part of the query.
//! Ranking and highlighting both use it, so what is underlined is what was ranked.

use std::collections::HashSet;

use super::parse::Group;
use super::vocab::{Expansion, MIN_FUZZY_CHARS, MIN_INFIX_CHARS};

/// How a text word matched, best first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Quality {
    Fuzzy,
    Infix,
    Prefix,
    Exact,
}

impl Quality {
    pub fn weight(self) -> f32 {
        match self {
            Quality::Exact => 1.0,
            Quality::Prefix => 0.85,
            Quality::Infix => 0.6,
            Quality::Fuzzy => 0.5,
        }
    }

    /// Exact and prefix matches are "strong": they rank above compound and typo matches.
    pub fn is_strong(self) -> bool {
        self >= Quality::Prefix
    }
}

pub(crate) enum Matcher {
    Word {
        word: String,
        infix: bool,
        fuzzy: HashSet<String>,
    },
    Phrase {
        words: Vec<String>,
        open: bool,
    },
}

impl Matcher {
    pub fn new(group: &Group, expansion: Option<&Expansion>) -> Matcher {
        match group {
            Group::Word(word) => Matcher::Word {
                infix: word.chars().count() >= MIN_INFIX_CHARS,
                fuzzy: if word.chars().count() >= MIN_FUZZY_CHARS {
                    expansion
                        .map(|e| e.fuzzy.iter().cloned().collect())
                        .unwrap_or_default()
                } else {
                    HashSet::new()
                },
                word: word.clone(),
            },
            Group::Phrase { words, open } => Matcher::Phrase {
                words: words.clone(),
                open: *open,
            },
        }
    }

    /// How `token` matches, and which bytes of it matched (for underlining).
    pub fn token_match(&self, token: &str) -> Option<(Quality, usize, usize)> {
        match self {
            Matcher::Word { word, infix, fuzzy } => {
                if token == word {
                    Some((Quality::Exact, 0, token.len()))
                } else if token.starts_with(word.as_str()) {
                    Some((Quality::Prefix, 0, word.len()))
                } else if *infix && let Some(at) = token.find(word.as_str()) {
                    Some((Quality::Infix, at, at + word.len()))
                } else if fuzzy.contains(token) {
                    Some((Quality::Fuzzy, 0, token.len()))
                } else {
                    None
                }
            }
            Matcher::Phrase { words, open } => {
                let last = words.len().saturating_sub(1);
                words.iter().enumerate().find_map(|(i, w)| {
                    if token == w {
                        Some((Quality::Exact, 0, token.len()))
                    } else if *open && i == last && token.starts_with(w.as_str()) {
                        Some((Quality::Prefix, 0, w.len()))
                    } else {
                        None
                    }
                })
            }
        }
    }

    /// The best match of this query part among the words of one field.
    pub fn field_match(&self, tokens: &[Box<str>]) -> Option<Quality> {
        match self {
            Matcher::Word { .. } => tokens
                .iter()
                .filter_map(|t| self.token_match(t).map(|m| m.0))
                .max(),
            Matcher::Phrase { words, open } => {
                let n = words.len();
                if n == 0 || tokens.len() < n {
                    return None;
                }
                let found = (0..=tokens.len() - n).any(|start| {
                    words.iter().enumerate().all(|(i, w)| {
                        let t = &*tokens[start + i];
                        t == w || (*open && i + 1 == n && t.starts_with(w.as_str()))
                    })
                });
                found.then_some(Quality::Exact)
            }
        }
    }
}
