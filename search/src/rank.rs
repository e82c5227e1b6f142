//! Orders candidates: strong (exact/prefix) hits before compound/typo hits; then hits whose
//! every word is in a title, name or place before hits that need the long text; then by where
//! the words matched (title > people > place/track > long text) and how well; ties go to the
//! session starting soonest, then to shorter titles, then to the order of the ids.

use std::cmp::Ordering;

use crate::matcher::{Matcher, Quality};
use crate::snapshot::{DocMeta, Hot, Posting};

/// Weights of the title, people and place fields; the long text counts 1.
const FIELD_WEIGHTS: [f32; 3] = [8.0, 4.0, 2.0];
const BODY_WEIGHT: f32 = 1.0;
/// A query whose first part matches the first word of the title is what the user was typing.
const TITLE_START_BONUS: f32 = 0.5;

#[derive(Clone, Debug)]
pub struct Ranked {
    /// Position in the snapshot's documents.
    pub doc: u32,
    /// 0 for the strong tier, 1 for the broad one.
    pub tier: u8,
    /// Some query part matched only the long text.
    pub needs_body: bool,
    pub score: f32,
    /// Tie-breakers, copied here so sorting thousands of candidates touches no other memory.
    when: (u8, i64),
    title_chars: u32,
}

impl Ranked {
    pub fn new(
        position: u32,
        hot: Hot,
        (tier, needs_body): (u8, bool),
        score: f32,
        now: i64,
    ) -> Ranked {
        Ranked {
            doc: position,
            tier,
            needs_body,
            score,
            when: time_key(hot, now),
            title_chars: hot.title_chars,
        }
    }
}

/// How a document matches using its short fields only (title, people, place).
pub struct ShortMatch {
    /// Every query part matched a short field.
    pub complete: bool,
    /// Every query part matched a short field exactly or as a prefix.
    pub strong: bool,
    pub score: f32,
}

pub fn short_match(doc: &DocMeta, matchers: &[Matcher]) -> ShortMatch {
    let mut result = ShortMatch {
        complete: true,
        strong: true,
        score: 0.0,
    };
    for matcher in matchers {
        match best_in_fields(doc, matcher) {
            Some((score, quality)) => {
                result.score += score;
                result.strong &= quality.is_strong();
            }
            None => {
                result.complete = false;
                result.strong = false;
                return result;
            }
        }
    }
    result.score += title_start_bonus(doc, matchers);
    result
}

/// The score of a document FTS5 found: query parts missing from the short fields matched the long
/// text, with the quality the tier guarantees (`body_quality`).
pub fn score_with_body(doc: &DocMeta, matchers: &[Matcher], body_quality: Quality) -> f32 {
    let body = BODY_WEIGHT * body_quality.weight();
    let mut total = 0.0;
    for matcher in matchers {
        let best = best_in_fields(doc, matcher).map_or(0.0, |(score, _)| score);
        total += best.max(body);
    }
    total + title_start_bonus(doc, matchers)
}

/// (score, quality) of the best short-field match; a title match of lower quality can still
/// beat a people match of higher quality: the score decides.
fn best_in_fields(doc: &DocMeta, matcher: &Matcher) -> Option<(f32, Quality)> {
    let mut best: Option<(f32, Quality)> = None;
    for (field, weight) in FIELD_WEIGHTS.into_iter().enumerate() {
        if let Some(quality) = matcher.field_match(doc.field(field)) {
            let score = weight * quality.weight();
            let better = match best {
                None => true,
                Some((s, q)) => score > s || (score == s && quality > q),
            };
            if better {
                best = Some((score, quality));
            }
        }
    }
    best
}

fn title_start_bonus(doc: &DocMeta, matchers: &[Matcher]) -> f32 {
    match (matchers.first(), doc.field(0).first()) {
        (Some(first), Some(&title_start))
            if first
                .field_match(std::slice::from_ref(&title_start))
                .is_some_and(Quality::is_strong) =>
        {
            TITLE_START_BONUS
        }
        _ => 0.0,
    }
}

/// Keeps the best `limit`, sorted best first; full ties in the order of the ids (`id_order`).
pub fn top(ranked: &mut Vec<Ranked>, limit: usize, id_order: impl Fn(u32) -> u32) {
    let compare = |a: &Ranked, b: &Ranked| -> Ordering {
        a.tier
            .cmp(&b.tier)
            .then_with(|| a.needs_body.cmp(&b.needs_body))
            .then_with(|| b.score.total_cmp(&a.score))
            .then_with(|| a.when.cmp(&b.when))
            .then_with(|| a.title_chars.cmp(&b.title_chars))
            // Last, the order of the ids (precomputed: no string comparisons), the same on the
            // device and the web wherever the index keeps the document.
            .then_with(|| id_order(a.doc).cmp(&id_order(b.doc)))
    };
    if ranked.len() > limit && limit > 0 {
        ranked.select_nth_unstable_by(limit - 1, compare);
        ranked.truncate(limit);
    }
    ranked.truncate(limit);
    ranked.sort_by(compare);
}

/// Running and upcoming sessions first, soonest first; then everything without a time; then past
/// sessions, most recent first.
fn time_key(hot: Hot, now: i64) -> (u8, i64) {
    if hot.start == i64::MIN {
        (1, 0)
    } else if hot.end > now {
        (0, hot.start.saturating_sub(now).max(0))
    } else {
        (2, now.saturating_sub(hot.end))
    }
}

/// Ranks a single-word query straight from the short-field postings: no document is opened.
/// `best` and `quality` are per document (indexed by position), reset by the caller.
pub struct PostingScores {
    pub best: Vec<f32>,
    pub quality: Vec<Option<Quality>>,
    pub title_start: Vec<bool>,
    pub touched: Vec<u32>,
}

impl PostingScores {
    pub fn new(docs: usize) -> PostingScores {
        PostingScores {
            best: vec![0.0; docs],
            quality: vec![None; docs],
            title_start: vec![false; docs],
            touched: Vec::new(),
        }
    }

    /// Records the occurrences in `entries`, all of one matched word of quality `quality`.
    pub fn add(&mut self, entries: &[u32], quality: Quality) {
        for &entry in entries {
            let doc = Posting::doc(entry) as usize;
            let Some(best) = self.best.get_mut(doc) else {
                continue;
            };
            let score = FIELD_WEIGHTS[Posting::field(entry).min(2)] * quality.weight();
            match self.quality[doc] {
                None => {
                    self.touched.push(doc as u32);
                    *best = score;
                    self.quality[doc] = Some(quality);
                }
                Some(q) if score > *best || (score == *best && quality > q) => {
                    *best = score;
                    self.quality[doc] = Some(quality);
                }
                Some(_) => {}
            }
            if Posting::is_title_start(entry) && quality.is_strong() {
                self.title_start[doc] = true;
            }
        }
    }

    /// (score, strong) of a touched document, as [`short_match`] would compute it.
    pub fn result(&self, doc: u32) -> (f32, bool) {
        let doc = doc as usize;
        let bonus = if self.title_start[doc] {
            TITLE_START_BONUS
        } else {
            0.0
        };
        (
            self.best[doc] + bonus,
            self.quality[doc].is_some_and(Quality::is_strong),
        )
    }
}
