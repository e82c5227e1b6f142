//! Decides whether (and how well) one word of a text matches one part of the query. Ranking asks
//! by term id (the words of titles, names and places are held as ids in memory); highlighting
//! asks by text. Both give the same answer, so what is underlined is what was ranked.

use std::collections::HashSet;
use std::ops::Range;

use crate::parse::Group;
use crate::vocab::{Expansion, MIN_INFIX_CHARS, Vocabulary};

/// How a text word matched, best first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Quality {
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

pub enum Matcher {
    Word {
        word: String,
        exact: Option<u32>,
        prefix: Range<u32>,
        infix_ok: bool,
        infix: IdSet,
        fuzzy: IdSet,
        fuzzy_terms: HashSet<String>,
    },
    Phrase {
        words: Vec<String>,
        /// Each word's id (`None`: not indexed, the phrase cannot match a short field).
        ids: Vec<Option<u32>>,
        /// With `open`, the last word matches every word it begins.
        last_prefix: Range<u32>,
        open: bool,
    },
}

impl Matcher {
    pub fn new(group: &Group, expansion: Option<&Expansion>, vocabulary: &Vocabulary) -> Matcher {
        match group {
            Group::Word(word) => {
                let empty = Expansion::default();
                let e = expansion.unwrap_or(&empty);
                Matcher::Word {
                    word: word.clone(),
                    exact: e.exact,
                    prefix: e.prefix.clone(),
                    infix_ok: word.chars().count() >= MIN_INFIX_CHARS,
                    infix: IdSet::new(&e.infix, vocabulary.len()),
                    fuzzy: IdSet::new(&e.fuzzy, vocabulary.len()),
                    fuzzy_terms: e
                        .fuzzy
                        .iter()
                        .map(|&id| vocabulary.term(id).to_string())
                        .collect(),
                }
            }
            Group::Phrase { words, open } => Matcher::Phrase {
                ids: words.iter().map(|w| vocabulary.id(w)).collect(),
                last_prefix: match (open, words.last()) {
                    (true, Some(last)) => vocabulary.prefix_range(last),
                    _ => 0..0,
                },
                words: words.clone(),
                open: *open,
            },
        }
    }

    /// The best match of this query part among the words (ids) of one field.
    pub fn field_match(&self, ids: &[u32]) -> Option<Quality> {
        match self {
            Matcher::Word {
                exact,
                prefix,
                infix,
                fuzzy,
                ..
            } => {
                // The hot loop of ranking: thousands of documents per keystroke.
                let mut best = None;
                for &id in ids {
                    let q = if prefix.contains(&id) {
                        if *exact == Some(id) {
                            return Some(Quality::Exact);
                        }
                        Some(Quality::Prefix)
                    } else if infix.contains(id) {
                        Some(Quality::Infix)
                    } else if fuzzy.contains(id) {
                        Some(Quality::Fuzzy)
                    } else {
                        None
                    };
                    if q > best {
                        best = q;
                    }
                }
                best
            }
            Matcher::Phrase {
                ids: words,
                last_prefix,
                open,
                ..
            } => {
                let n = words.len();
                if n == 0 || ids.len() < n {
                    return None;
                }
                let found = (0..=ids.len() - n).any(|start| {
                    words.iter().enumerate().all(|(i, w)| {
                        let id = ids[start + i];
                        *w == Some(id) || (*open && i + 1 == n && last_prefix.contains(&id))
                    })
                });
                found.then_some(Quality::Exact)
            }
        }
    }

    /// How the text word `token` matches, and which bytes of it matched (for underlining).
    pub fn token_match(&self, token: &str) -> Option<(Quality, usize, usize)> {
        match self {
            Matcher::Word {
                word,
                infix_ok,
                fuzzy_terms,
                ..
            } => {
                if token == word {
                    Some((Quality::Exact, 0, token.len()))
                } else if token.starts_with(word.as_str()) {
                    Some((Quality::Prefix, 0, word.len()))
                } else if *infix_ok && let Some(at) = token.find(word.as_str()) {
                    Some((Quality::Infix, at, at + word.len()))
                } else if fuzzy_terms.contains(token) {
                    Some((Quality::Fuzzy, 0, token.len()))
                } else {
                    None
                }
            }
            Matcher::Phrase { words, open, .. } => {
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
}

/// A set of term ids as a bitmap over the vocabulary: one bit test per word of a field.
pub struct IdSet {
    bits: Vec<u64>,
}

impl IdSet {
    fn new(ids: &[u32], universe: usize) -> IdSet {
        if ids.is_empty() {
            return IdSet { bits: Vec::new() };
        }
        let mut bits = vec![0u64; universe.div_ceil(64)];
        for &id in ids {
            if let Some(word) = bits.get_mut(id as usize / 64) {
                *word |= 1 << (id % 64);
            }
        }
        IdSet { bits }
    }

    #[inline]
    fn contains(&self, id: u32) -> bool {
        !self.bits.is_empty()
            && self
                .bits
                .get(id as usize / 64)
                .is_some_and(|word| word & (1 << (id % 64)) != 0)
    }
}
