//! Orders candidates: strong (exact/prefix) hits before compound/typo hits; then by where the
//! words matched (title > people > place/track > long text) and how well; ties go to the session
//! starting soonest, then to shorter titles.

use std::cmp::Ordering;

use super::matcher::{Matcher, Quality};
use super::snapshot::DocMeta;

/// Weights of the title, people and place fields; the long text counts 1.
const FIELD_WEIGHTS: [f32; 3] = [8.0, 4.0, 2.0];
const BODY_WEIGHT: f32 = 1.0;
/// A query whose first part matches the first word of the title is what the user was typing.
const TITLE_START_BONUS: f32 = 0.5;

#[derive(Clone, Debug)]
pub(crate) struct Ranked {
    pub doc_id: i64,
    /// 0 for the strong tier, 1 for the broad one.
    pub tier: u8,
    pub score: f32,
}

/// Scores a document FTS5 found. A query part not found in the short fields matched the long
/// text (FTS5 said it matched somewhere); it then counts with the tier's typical quality.
pub(crate) fn score(doc: &DocMeta, matchers: &[Matcher], tier: u8) -> f32 {
    let body_quality = if tier == 0 {
        Quality::Prefix
    } else {
        Quality::Fuzzy
    };
    let mut total = 0.0;
    for matcher in matchers {
        let best = doc
            .fields
            .iter()
            .zip(FIELD_WEIGHTS)
            .filter_map(|(tokens, weight)| matcher.field_match(tokens).map(|q| weight * q.weight()))
            .fold(BODY_WEIGHT * body_quality.weight(), f32::max);
        total += best;
    }
    if let (Some(first), Some(title_start)) = (matchers.first(), doc.fields[0].first())
        && first
            .token_match(title_start)
            .is_some_and(|m| m.0.is_strong())
    {
        total += TITLE_START_BONUS;
    }
    total
}

/// Sorts best first.
pub(crate) fn sort<'a>(ranked: &mut [Ranked], doc: impl Fn(i64) -> Option<&'a DocMeta>, now: i64) {
    ranked.sort_by(|a, b| {
        a.tier
            .cmp(&b.tier)
            .then_with(|| b.score.partial_cmp(&a.score).unwrap_or(Ordering::Equal))
            .then_with(|| match (doc(a.doc_id), doc(b.doc_id)) {
                (Some(x), Some(y)) => time_key(x, now)
                    .cmp(&time_key(y, now))
                    .then_with(|| x.title.chars().count().cmp(&y.title.chars().count()))
                    .then_with(|| x.title.cmp(&y.title))
                    .then_with(|| x.id.cmp(&y.id)),
                _ => Ordering::Equal,
            })
    });
}

/// Running and upcoming sessions first, soonest first; then everything without a time; then past
/// sessions, most recent first.
fn time_key(doc: &DocMeta, now: i64) -> (u8, i64) {
    match (doc.start, doc.end) {
        (Some(start), end) if end.unwrap_or(start) > now => (0, (start - now).max(0)),
        (Some(start), end) => (2, now - end.unwrap_or(start)),
        (None, _) => (1, 0),
    }
}
