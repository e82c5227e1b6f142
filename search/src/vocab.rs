//! The index's vocabulary in memory, and the expansion of one query word into the indexed words
//! it should find: exact, as a prefix, inside a compound (infix), or one typo away.
//!
//! Prefixes are left to the long-text index (`"word"*` in the device's FTS5); infix and typo
//! candidates are found here because FTS5 cannot do either, and are handed to the planner as
//! exact terms.

use crate::fuzzy::within_one;

/// Words shorter than this are not looked for inside compounds (too many hits, no meaning).
pub const MIN_INFIX_CHARS: usize = 3;
/// Words shorter than this must be typed without a typo.
pub const MIN_FUZZY_CHARS: usize = 5;
/// At most this many compound and typo candidates per word (the most frequent win): bounds the
/// size of the MATCH expression and so the latency.
const MAX_INFIX_TERMS: usize = 48;
const MAX_FUZZY_TERMS: usize = 24;

pub struct Vocabulary {
    /// All terms, sorted as fts5vocab returns them, each preceded by a NUL: term `i` is
    /// `haystack[offsets[i]..]` up to the next NUL. One string rather than one allocation per
    /// term: one fast substring scan finds compound parts, and a persisted snapshot
    /// ([`crate::stored`]) loads it with one copy.
    haystack: String,
    /// Offset in `haystack` of each term's first byte (strictly increasing).
    offsets: Vec<u32>,
    /// Number of documents holding each term.
    docs: Vec<u32>,
}

/// What one query word matches in the vocabulary, as term ids (positions in the sorted
/// vocabulary) for ranking in memory, and as a few quoted terms for FTS5.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Expansion {
    pub word: String,
    /// The word itself, if indexed.
    pub exact: Option<u32>,
    /// Indexed words starting with it (the word itself included): a contiguous id range.
    pub prefix: std::ops::Range<u32>,
    /// Indexed words containing it after their start (`rechnung` in `erechnungsplattform`).
    pub infix: Vec<u32>,
    /// Indexed words one typo away (whole, or a beginning of them) that it is no prefix of.
    pub fuzzy: Vec<u32>,
    /// The most frequent infix and typo terms, for the FTS5 query (bounded in size).
    pub fts_infix: Vec<String>,
    pub fts_fuzzy: Vec<String>,
}

impl Expansion {
    pub fn is_empty(&self) -> bool {
        self.prefix.is_empty() && self.infix.is_empty() && self.fuzzy.is_empty()
    }
}

impl Vocabulary {
    /// The vocabulary of `terms`, each with the number of documents holding it (in any order;
    /// duplicates are dropped).
    pub fn from_terms(mut terms: Vec<(String, u32)>) -> Vocabulary {
        terms.sort_by(|a, b| a.0.cmp(&b.0));
        terms.dedup_by(|a, b| a.0 == b.0);
        // A word holding a NUL (never produced by the tokenizer) would split in two.
        terms.retain(|(t, _)| !t.contains('\0'));
        let mut haystack = String::with_capacity(terms.iter().map(|t| t.0.len() + 1).sum());
        let mut offsets = Vec::with_capacity(terms.len());
        let mut docs = Vec::with_capacity(terms.len());
        for (term, count) in &terms {
            haystack.push('\0');
            offsets.push(haystack.len() as u32);
            haystack.push_str(term);
            docs.push(*count);
        }
        Vocabulary {
            haystack,
            offsets,
            docs,
        }
    }

    /// The vocabulary as a persisted snapshot holds it, whose terms its reader found strictly
    /// ascending (from the front coding, cheaper than comparing whole terms here); `None` unless
    /// the rest is what [`Vocabulary::from_terms`] could have built (offsets inside the text,
    /// each right after a NUL, no other NUL): anything else is a damaged file.
    pub(crate) fn from_ascending_parts(
        haystack: String,
        offsets: Vec<u32>,
        docs: Vec<u32>,
    ) -> Option<Vocabulary> {
        let bytes = haystack.as_bytes();
        if offsets.len() != docs.len()
            || memchr::memchr_iter(0, bytes).count() != offsets.len()
            || (!offsets.is_empty() && bytes.first() != Some(&0))
            || (offsets.is_empty() && !bytes.is_empty())
        {
            return None;
        }
        for (i, &offset) in offsets.iter().enumerate() {
            let offset = offset as usize;
            if offset == 0 || offset > bytes.len() || bytes[offset - 1] != 0 {
                return None;
            }
            if i > 0 && offsets[i - 1] as usize >= offset {
                return None;
            }
        }
        let vocabulary = Vocabulary {
            haystack,
            offsets,
            docs,
        };
        // Debug builds check the caller (the order is what every lookup's binary search needs).
        debug_assert!(
            (1..vocabulary.len()).all(|i| vocabulary.term_at(i - 1) < vocabulary.term_at(i))
        );
        Some(vocabulary)
    }

    /// What [`Vocabulary::from_ascending_parts`] takes back.
    pub(crate) fn parts(&self) -> (&str, &[u32], &[u32]) {
        (&self.haystack, &self.offsets, &self.docs)
    }

    pub fn len(&self) -> usize {
        self.offsets.len()
    }

    pub fn is_empty(&self) -> bool {
        self.offsets.is_empty()
    }

    /// Heap bytes held, roughly (for the benchmark's memory figure).
    pub fn heap_bytes(&self) -> usize {
        self.haystack.len() + self.offsets.len() * (4 + 4)
    }

    /// Term `index` ("" past the end).
    fn term_at(&self, index: usize) -> &str {
        let Some(&start) = self.offsets.get(index) else {
            return "";
        };
        let end = self
            .offsets
            .get(index + 1)
            .map_or(self.haystack.len(), |&next| next as usize - 1);
        self.haystack.get(start as usize..end).unwrap_or("")
    }

    /// The first index in `0..len` for which `before` is false (`before` holds for a prefix).
    fn partition_point(&self, from: usize, before: impl Fn(&str) -> bool) -> usize {
        let (mut low, mut high) = (from, self.len());
        while low < high {
            let middle = low + (high - low) / 2;
            if before(self.term_at(middle)) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        low
    }

    /// The id of an indexed word.
    pub fn id(&self, term: &str) -> Option<u32> {
        let index = self.partition_point(0, |t| t < term);
        (index < self.len() && self.term_at(index) == term).then_some(index as u32)
    }

    /// Ids of the words starting with `prefix`.
    pub fn prefix_range(&self, prefix: &str) -> std::ops::Range<u32> {
        let range = self.prefix_indices(prefix);
        range.start as u32..range.end as u32
    }

    fn prefix_indices(&self, prefix: &str) -> std::ops::Range<usize> {
        let start = self.partition_point(0, |t| t < prefix);
        let end = self.partition_point(start, |t| t.starts_with(prefix));
        start..end
    }

    /// All terms with their ids, for building lookups.
    pub fn terms(&self) -> impl Iterator<Item = (u32, &str)> {
        (0..self.len()).map(|i| (i as u32, self.term_at(i)))
    }

    /// What `word` matches; `check` is asked between the scans (it stops a superseded search).
    pub fn expand<E>(&self, word: &str, check: impl Fn() -> Result<(), E>) -> Result<Expansion, E> {
        let prefixed = self.prefix_indices(word);
        let exact = prefixed
            .clone()
            .next()
            .filter(|&i| self.term_at(i) == word)
            .map(|i| i as u32);
        let chars: Vec<char> = word.chars().collect();
        let mut expansion = Expansion {
            word: word.to_string(),
            exact,
            prefix: prefixed.start as u32..prefixed.end as u32,
            ..Expansion::default()
        };
        if chars.len() >= MIN_INFIX_CHARS {
            expansion.infix = self.infix_terms(word);
            expansion.fts_infix = self.most_frequent(&expansion.infix, MAX_INFIX_TERMS);
        }
        check()?;
        if chars.len() >= MIN_FUZZY_CHARS {
            expansion.fuzzy = self.fuzzy_terms(word, &chars, &prefixed);
            expansion.fts_fuzzy = self.most_frequent(&expansion.fuzzy, MAX_FUZZY_TERMS);
        }
        Ok(expansion)
    }

    fn infix_terms(&self, word: &str) -> Vec<u32> {
        let mut found: Vec<u32> = Vec::new();
        for at in memchr::memmem::find_iter(self.haystack.as_bytes(), word.as_bytes()) {
            // The term holding this occurrence: the last one starting at or before it.
            let index = self.offsets.partition_point(|&o| o as usize <= at);
            let Some(index) = index.checked_sub(1) else {
                continue;
            };
            let index = index as u32;
            if self.offsets[index as usize] as usize == at || found.last() == Some(&index) {
                continue; // a prefix match (FTS5 finds those) or a second hit in the same term
            }
            found.push(index);
        }
        found
    }

    fn fuzzy_terms(
        &self,
        word: &str,
        chars: &[char],
        prefixed: &std::ops::Range<usize>,
    ) -> Vec<u32> {
        // Typos in the first letter are rare; requiring it keeps the scan to a few thousand terms.
        let mut first = String::new();
        if let Some(c) = chars.first() {
            first.push(*c);
        }
        let mut buffer: Vec<char> = Vec::with_capacity(64);
        let ascii = word.is_ascii();
        let mut found = Vec::new();
        for index in self.prefix_indices(&first) {
            if prefixed.contains(&index) {
                continue;
            }
            let term = self.term_at(index);
            // Cheap length filter before the table: a beginning of the term must fit.
            if term.len() + 4 < word.len() {
                continue;
            }
            let close = if ascii && term.is_ascii() {
                within_one(word.as_bytes(), term.as_bytes(), true)
            } else {
                buffer.clear();
                buffer.extend(term.chars());
                within_one(chars, &buffer, true)
            };
            if close {
                found.push(index as u32);
            }
        }
        found
    }

    fn most_frequent(&self, ids: &[u32], cap: usize) -> Vec<String> {
        let mut ids = ids.to_vec();
        if ids.len() > cap {
            ids.sort_by_key(|&i| std::cmp::Reverse(self.docs[i as usize]));
            ids.truncate(cap);
        }
        ids.into_iter()
            .map(|i| self.term_at(i as usize).to_string())
            .collect()
    }

    pub fn term(&self, id: u32) -> &str {
        self.term_at(id as usize)
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
        let never = || Ok::<(), ()>(());
        let e = v.expand("rechnung", never).unwrap();
        assert_eq!(e.exact, v.id("rechnung"));
        assert_eq!(e.prefix.len(), 2);
        assert_eq!(e.fts_infix, ["erechnungsplattform"]);
        assert_eq!(e.infix, [v.id("erechnungsplattform").unwrap()]);
        let e = v.expand("sicherheit", never).unwrap();
        assert_eq!(e.fts_infix, ["cybersicherheitsstrategie"]);
        let e = v.expand("sicherhiet", never).unwrap();
        assert!(e.prefix.is_empty() && e.exact.is_none());
        assert_eq!(e.fts_fuzzy, ["sicherheit"]);
        assert_eq!(e.fuzzy, [v.id("sicherheit").unwrap()]);
        let e = v.expand("digitalisir", never).unwrap();
        assert_eq!(e.fts_fuzzy, ["digitalisierung"]);
        // Short words: no infix, no typos.
        let e = v.expand("re", never).unwrap();
        assert!(e.infix.is_empty() && e.fuzzy.is_empty());
        assert_eq!(e.prefix.len(), 2);
        let e = v.expand("bremne", never).unwrap();
        assert_eq!(e.fts_fuzzy, ["bremen"]);
        assert!(v.expand("xyz", never).unwrap().is_empty());
    }
}
