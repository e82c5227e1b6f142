//! The index's vocabulary in memory, and the expansion of one query word into the indexed words
//! it should find: exact, as a prefix, inside a compound (infix), or one typo away.
//!
//! Prefixes are left to FTS5 (`"word"*`); infix and typo candidates are found here because FTS5
//! cannot do either, and are handed to the planner as quoted exact terms.

use rusqlite::Connection;

use super::cancel::Checkpoint;
use super::fuzzy::within_one;
use crate::error::{Result, SqliteContext};

/// Words shorter than this are not looked for inside compounds (too many hits, no meaning).
pub(crate) const MIN_INFIX_CHARS: usize = 3;
/// Words shorter than this must be typed without a typo.
pub(crate) const MIN_FUZZY_CHARS: usize = 5;
/// At most this many compound and typo candidates per word (the most frequent win): bounds the
/// size of the MATCH expression and so the latency.
const MAX_INFIX_TERMS: usize = 48;
const MAX_FUZZY_TERMS: usize = 24;

pub(crate) struct Vocabulary {
    /// Sorted, as fts5vocab returns them.
    terms: Vec<Box<str>>,
    /// Number of documents holding each term.
    docs: Vec<u32>,
    /// All terms, each preceded by a NUL, for one fast substring scan.
    haystack: Vec<u8>,
    /// Offset in `haystack` of each term's first byte.
    offsets: Vec<u32>,
}

/// What one query word matches in the vocabulary.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Expansion {
    pub word: String,
    /// The word itself is indexed.
    pub exact: bool,
    /// How many indexed words start with it (the word itself included).
    pub prefixed: usize,
    /// Indexed words containing it after their start (`rechnung` in `erechnungsplattform`).
    pub infix: Vec<String>,
    /// Indexed words one typo away (whole, or a beginning of them) that it is no prefix of.
    pub fuzzy: Vec<String>,
}

impl Expansion {
    pub fn is_empty(&self) -> bool {
        self.prefixed == 0 && self.infix.is_empty() && self.fuzzy.is_empty()
    }
}

impl Vocabulary {
    pub fn load(conn: &Connection) -> Result<Vocabulary> {
        let mut stmt = conn
            .prepare_cached("SELECT term, doc FROM search_vocab")
            .context("reading the search vocabulary")?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
            .context("reading the search vocabulary")?;
        let mut terms = Vec::new();
        for row in rows {
            let (term, docs) = row.context("reading the search vocabulary")?;
            terms.push((term, docs.clamp(0, i64::from(u32::MAX)) as u32));
        }
        Ok(Vocabulary::from_terms(terms))
    }

    pub fn from_terms(mut terms: Vec<(String, u32)>) -> Vocabulary {
        terms.sort_by(|a, b| a.0.cmp(&b.0));
        terms.dedup_by(|a, b| a.0 == b.0);
        let mut haystack = Vec::with_capacity(terms.iter().map(|t| t.0.len() + 1).sum());
        let mut offsets = Vec::with_capacity(terms.len());
        for (term, _) in &terms {
            haystack.push(0);
            offsets.push(haystack.len() as u32);
            haystack.extend_from_slice(term.as_bytes());
        }
        let (terms, docs) = terms
            .into_iter()
            .map(|(t, d)| (t.into_boxed_str(), d))
            .unzip();
        Vocabulary {
            terms,
            docs,
            haystack,
            offsets,
        }
    }

    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// Heap bytes held, roughly (for the benchmark's memory figure).
    pub fn heap_bytes(&self) -> usize {
        self.haystack.len() * 2 + self.terms.len() * (16 + 4 + 4)
    }

    /// The range of terms starting with `prefix`.
    fn prefix_range(&self, prefix: &str) -> std::ops::Range<usize> {
        let start = self.terms.partition_point(|t| &**t < prefix);
        let end = start + self.terms[start..].partition_point(|t| t.starts_with(prefix));
        start..end
    }

    pub fn expand(&self, word: &str, checkpoint: &Checkpoint) -> Result<Expansion> {
        let prefixed = self.prefix_range(word);
        let exact = prefixed
            .clone()
            .next()
            .is_some_and(|i| &*self.terms[i] == word);
        let chars: Vec<char> = word.chars().collect();
        let mut expansion = Expansion {
            word: word.to_string(),
            exact,
            prefixed: prefixed.len(),
            ..Expansion::default()
        };
        if chars.len() >= MIN_INFIX_CHARS {
            expansion.infix = self.infix_terms(word);
        }
        checkpoint.check()?;
        if chars.len() >= MIN_FUZZY_CHARS {
            expansion.fuzzy = self.fuzzy_terms(word, &chars, &prefixed);
        }
        Ok(expansion)
    }

    fn infix_terms(&self, word: &str) -> Vec<String> {
        let mut found: Vec<usize> = Vec::new();
        for at in memchr::memmem::find_iter(&self.haystack, word.as_bytes()) {
            // The term holding this occurrence: the last one starting at or before it.
            let index = self.offsets.partition_point(|&o| o as usize <= at);
            let Some(index) = index.checked_sub(1) else {
                continue;
            };
            if self.offsets[index] as usize == at || found.last() == Some(&index) {
                continue; // a prefix match (FTS5 finds those) or a second hit in the same term
            }
            found.push(index);
        }
        self.most_frequent(found, MAX_INFIX_TERMS)
    }

    fn fuzzy_terms(
        &self,
        word: &str,
        chars: &[char],
        prefixed: &std::ops::Range<usize>,
    ) -> Vec<String> {
        // Typos in the first letter are rare; requiring it keeps the scan to a few thousand terms.
        let mut first = String::new();
        if let Some(c) = chars.first() {
            first.push(*c);
        }
        let mut buffer: Vec<char> = Vec::with_capacity(64);
        let mut found = Vec::new();
        for index in self.prefix_range(&first) {
            if prefixed.contains(&index) {
                continue;
            }
            let term = &self.terms[index];
            // Cheap length filter before the table: a beginning of the term must fit.
            if term.len() + 4 < word.len() {
                continue;
            }
            buffer.clear();
            buffer.extend(term.chars());
            if within_one(chars, &buffer, true) {
                found.push(index);
            }
        }
        self.most_frequent(found, MAX_FUZZY_TERMS)
    }

    fn most_frequent(&self, mut found: Vec<usize>, cap: usize) -> Vec<String> {
        if found.len() > cap {
            found.sort_by_key(|&i| std::cmp::Reverse(self.docs[i]));
            found.truncate(cap);
        }
        found
            .into_iter()
            .map(|i| self.terms[i].to_string())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocab(words: &[&str]) -> Vocabulary {
        Vocabulary::from_terms(words.iter().map(|w| (w.to_string(), 1)).collect())
    }

    #[test]
    fn expands_into_prefix_infix_and_typo_candidates() {
        let v = vocab(&[
            "erechnungsplattform",
            "rechnung",
            "rechnungseingang",
            "sicherheit",
            "cybersicherheitsstrategie",
            "digitalisierung",
            "bremen",
        ]);
        let never = Checkpoint::never();
        let e = v.expand("rechnung", &never).unwrap();
        assert!(e.exact);
        assert_eq!(e.prefixed, 2);
        assert_eq!(e.infix, ["erechnungsplattform"]);
        let e = v.expand("sicherheit", &never).unwrap();
        assert_eq!(e.infix, ["cybersicherheitsstrategie"]);
        let e = v.expand("sicherhiet", &never).unwrap();
        assert_eq!(e.prefixed, 0);
        assert_eq!(e.fuzzy, ["sicherheit"]);
        let e = v.expand("digitalisir", &never).unwrap();
        assert_eq!(e.fuzzy, ["digitalisierung"]);
        // Short words: no infix, no typos.
        let e = v.expand("re", &never).unwrap();
        assert!(e.infix.is_empty() && e.fuzzy.is_empty());
        assert_eq!(e.prefixed, 2);
        let e = v.expand("bremne", &never).unwrap();
        assert_eq!(e.fuzzy, ["bremen"]);
        assert!(v.expand("xyz", &never).unwrap().is_empty());
    }
}
