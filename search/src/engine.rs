//! One search from typed text to hits, over any long-text index: parse, expand, rank the titles,
//! names and places in memory ([`Snapshot`]), ask the long text ([`LongText`]) only to fill up
//! the list, then build titles, context lines and highlights for the few hits returned.
//!
//! The device's long text is its SQLite FTS5 index (`marktplatz_core::search`), the server's the
//! in-memory [`crate::memory::MemoryIndex`]: both run exactly this code, so they find the same
//! hits in the same order.

use std::collections::HashSet;
use std::sync::Arc;

use chrono::DateTime;

use crate::document::Document;
use crate::highlight::{context, highlights};
use crate::matcher::{Matcher, Quality};
use crate::parse::{Group, parse};
use crate::plan::{Tier, plan};
use crate::query::{MAX_LIMIT, SearchHit, SearchQuery};
use crate::rank::{PostingScores, Ranked, score_with_body, short_match, top};
use crate::snapshot::{DocMeta, Posting, Snapshot};
use crate::vocab::Expansion;
use marktplatz_model::model::EntityKind;

/// Single words shorter than this are only looked for in titles, names and places: a letter or
/// two matches half the long text, and type-ahead must stay fast.
const SHORT_WORD_CHARS: usize = 3;
/// At most this many documents are read from the long text for one tier: the long-text tiers
/// only fill up the list, and an unselective query (two common words) would otherwise score
/// thousands.
pub const MAX_LONG_TEXT_ROWS: usize = 2000;
/// Check for cancellation every this many rows read or documents scanned.
pub const CHECK_EVERY: usize = 1024;

/// The part of an index a search reads beyond the [`Snapshot`]: the long text, and the short
/// fields as shown. `Error` is the index's own (the device's SQLite errors; none in memory).
pub trait LongText {
    type Error;

    /// Stops a superseded search (called between steps and every [`CHECK_EVERY`] rows).
    fn check(&self) -> Result<(), Self::Error>;

    /// The snapshot positions of the documents `tier` matches in any field, in the index's
    /// order, at most [`MAX_LONG_TEXT_ROWS`].
    fn matching(&self, tier: &Tier) -> Result<Vec<u32>, Self::Error>;

    /// Title, people and place of the document at `position` (`None`: it is gone). Its body is
    /// read through [`LongText::body`] only when the context line needs it.
    fn short_fields(&self, position: u32) -> Result<Option<Document>, Self::Error>;

    /// The long text of the document at `position`.
    fn body(&self, position: u32) -> Result<String, Self::Error>;
}

/// Searches `snapshot` and `index`. Never fails because of what was typed. `favourites` is the
/// set of (kind, id) the user marked, when `query.favourites_only` asks for it.
pub fn search<L: LongText>(
    snapshot: &Snapshot,
    index: &L,
    query: &SearchQuery,
    favourites: Option<&HashSet<(String, String)>>,
) -> Result<Vec<SearchHit>, L::Error> {
    let parsed = parse(&query.text);
    if parsed.is_empty() || query.limit == 0 {
        return Ok(Vec::new());
    }
    run(snapshot, index, query, &parsed.groups, favourites)
}

fn run<L: LongText>(
    snapshot: &Snapshot,
    index: &L,
    query: &SearchQuery,
    groups: &[Group],
    favourites: Option<&HashSet<(String, String)>>,
) -> Result<Vec<SearchHit>, L::Error> {
    index.check()?;
    let Some(event) = snapshot.event_index(&query.event_id) else {
        return Ok(Vec::new());
    };
    let mut expansions: Vec<Option<Arc<Expansion>>> = Vec::with_capacity(groups.len());
    for group in groups {
        expansions.push(match group {
            Group::Word(word) => Some(snapshot.expand(word, || index.check())?),
            Group::Phrase { .. } => None,
        });
    }
    index.check()?;
    let planned: Vec<(Group, Option<&Expansion>)> = groups
        .iter()
        .cloned()
        .zip(expansions.iter().map(|e| e.as_deref()))
        .collect();
    let short_only = matches!(groups, [Group::Word(w)] if w.chars().count() < SHORT_WORD_CHARS);
    let plan = plan(&planned);
    let matchers: Vec<Matcher> = planned
        .iter()
        .map(|(group, expansion)| Matcher::new(group, *expansion, &snapshot.vocabulary))
        .collect();
    let limit = query.limit.min(MAX_LIMIT) as usize;
    let filter = Filter::new(query, event, favourites);
    let now = query.now.timestamp();

    // 1. Titles, names and places, in memory: usually enough to fill the list.
    let mut ranked: Vec<Ranked> = Vec::new();
    if let [(Group::Word(_), Some(expansion))] = planned.as_slice() {
        // One word (the common case while typing): ranked from the postings alone.
        let mut scores = PostingScores::new(snapshot.doc_count());
        for id in expansion.prefix.clone() {
            let quality = if expansion.exact == Some(id) {
                Quality::Exact
            } else {
                Quality::Prefix
            };
            scores.add(snapshot.postings(id..id + 1), quality);
        }
        for &id in &expansion.infix {
            scores.add(snapshot.postings(id..id + 1), Quality::Infix);
        }
        for &id in &expansion.fuzzy {
            scores.add(snapshot.postings(id..id + 1), Quality::Fuzzy);
        }
        index.check()?;
        ranked.reserve(scores.touched.len());
        for &position in &scores.touched {
            let hot = snapshot.hot(position);
            if hot.event != event || !filter.accepts(snapshot.doc(position)) {
                continue;
            }
            let (score, strong) = scores.result(position);
            ranked.push(Ranked::new(
                position,
                hot,
                (u8::from(!strong), false),
                score,
                now,
            ));
        }
    } else {
        // Only documents holding the most selective query part in a short field are looked at.
        let mut visited = vec![0u64; snapshot.doc_count().div_ceil(64)];
        for (n, entry) in short_field_candidates(snapshot, &planned).enumerate() {
            if n % CHECK_EVERY == 0 {
                index.check()?;
            }
            let position = Posting::doc(entry);
            let (word, bit) = (position as usize / 64, 1u64 << (position % 64));
            if visited[word] & bit != 0 {
                continue;
            }
            visited[word] |= bit;
            let doc = snapshot.doc(position);
            if !filter.accepts(doc) {
                continue;
            }
            let found = short_match(doc, &matchers);
            if found.complete {
                ranked.push(Ranked::new(
                    position,
                    snapshot.hot(position),
                    (u8::from(!found.strong), false),
                    found.score,
                    now,
                ));
            }
        }
    }
    // Where each document sits in `ranked` (`u32::MAX`: not there), built only if needed.
    let mut placed: Vec<u32> = Vec::new();
    let place_all = |ranked: &[Ranked], placed: &mut Vec<u32>| {
        if placed.is_empty() {
            placed.resize(snapshot.doc_count(), u32::MAX);
            for (i, r) in ranked.iter().enumerate() {
                placed[r.doc as usize] = i as u32;
            }
        }
    };

    // 2. Exact and prefix matches that need the long text: they rank after those found in the
    // short fields, so they are only looked for when those do not fill the list.
    let strong_count = ranked.iter().filter(|r| r.tier == 0).count();
    if !short_only
        && strong_count < limit
        && let Some(expression) = &plan.strong
    {
        place_all(&ranked, &mut placed);
        for position in index.matching(expression)? {
            let doc = snapshot.doc(position);
            if !filter.accepts(doc) {
                continue;
            }
            let strong = Ranked::new(
                position,
                snapshot.hot(position),
                (0, true),
                score_with_body(doc, &matchers, Quality::Prefix),
                now,
            );
            match placed[position as usize] {
                u32::MAX => {
                    placed[position as usize] = ranked.len() as u32;
                    ranked.push(strong);
                }
                i if ranked[i as usize].tier == 0 => {}
                i => ranked[i as usize] = strong,
            }
        }
    }

    // 3. Compound and typo matches in the long text, only to fill up.
    let filled = ranked
        .iter()
        .filter(|r| r.tier == 0 || !r.needs_body)
        .count();
    if !short_only
        && filled < limit
        && let Some(expression) = &plan.broad
    {
        place_all(&ranked, &mut placed);
        for position in index.matching(expression)? {
            let doc = snapshot.doc(position);
            if placed[position as usize] != u32::MAX || !filter.accepts(doc) {
                continue;
            }
            placed[position as usize] = ranked.len() as u32;
            ranked.push(Ranked::new(
                position,
                snapshot.hot(position),
                (1, true),
                score_with_body(doc, &matchers, Quality::Fuzzy),
                now,
            ));
        }
    }
    index.check()?;
    top(&mut ranked, limit, |position| snapshot.id_order(position));
    hits(snapshot, index, &ranked, &matchers)
}

/// Documents holding, in a short field, a word that the most selective query part matches.
fn short_field_candidates<'a>(
    snapshot: &'a Snapshot,
    planned: &[(Group, Option<&Expansion>)],
) -> impl Iterator<Item = u32> + 'a {
    let mut best: Option<Vec<std::ops::Range<u32>>> = None;
    let mut best_len = usize::MAX;
    for (group, expansion) in planned {
        let ranges: Vec<std::ops::Range<u32>> = match (group, expansion) {
            (Group::Word(_), Some(e)) => std::iter::once(e.prefix.clone())
                .chain(e.infix.iter().chain(&e.fuzzy).map(|&id| id..id + 1))
                .collect(),
            (Group::Phrase { words, open }, _) => {
                let last = words.len().saturating_sub(1);
                words
                    .iter()
                    .enumerate()
                    .map(|(i, w)| {
                        if *open && i == last {
                            vec![snapshot.vocabulary.prefix_range(w)]
                        } else {
                            snapshot
                                .vocabulary
                                .id(w)
                                .map_or_else(Vec::new, |id| std::iter::once(id..id + 1).collect())
                        }
                    })
                    .min_by_key(|r| postings_len(snapshot, r))
                    .unwrap_or_default()
            }
            (Group::Word(_), None) => Vec::new(),
        };
        let len = postings_len(snapshot, &ranges);
        if len < best_len {
            best_len = len;
            best = Some(ranges);
        }
    }
    best.unwrap_or_default()
        .into_iter()
        .flat_map(move |range| snapshot.postings(range).iter().copied())
}

fn postings_len(snapshot: &Snapshot, ranges: &[std::ops::Range<u32>]) -> usize {
    ranges
        .iter()
        .map(|r| snapshot.postings(r.clone()).len())
        .sum()
}

fn hits<L: LongText>(
    snapshot: &Snapshot,
    index: &L,
    ranked: &[Ranked],
    matchers: &[Matcher],
) -> Result<Vec<SearchHit>, L::Error> {
    let mut hits = Vec::with_capacity(ranked.len());
    for r in ranked {
        index.check()?;
        let doc = snapshot.doc(r.doc);
        let Some(document) = index.short_fields(r.doc)? else {
            continue;
        };
        let (context, context_highlights) = context(&document, matchers, || index.body(r.doc))?;
        hits.push(SearchHit {
            kind: doc.kind,
            id: doc.id.clone(),
            event_id: snapshot.event_id(doc.event).to_string(),
            title_highlights: highlights(&document.title, matchers),
            title: document.title,
            context,
            context_highlights,
            start: doc.start.and_then(|t| DateTime::from_timestamp(t, 0)),
            when_and_where: None,
        });
    }
    Ok(hits)
}

struct Filter<'a> {
    query: &'a SearchQuery,
    event: u32,
    now: i64,
    favourites: Option<&'a HashSet<(String, String)>>,
    /// No filter but the event (the common case, checked once).
    unfiltered: bool,
}

impl<'a> Filter<'a> {
    fn new(
        query: &'a SearchQuery,
        event: u32,
        favourites: Option<&'a HashSet<(String, String)>>,
    ) -> Filter<'a> {
        Filter {
            query,
            event,
            now: query.now.timestamp(),
            favourites,
            unfiltered: query.kinds.is_empty()
                && query.day.is_none()
                && query.track_id.is_none()
                && query.location_id.is_none()
                && !query.upcoming_only
                && favourites.is_none(),
        }
    }

    fn accepts(&self, doc: &DocMeta) -> bool {
        let q = self.query;
        if doc.event != self.event {
            return false;
        }
        if self.unfiltered {
            return true;
        }
        (q.kinds.is_empty() || q.kinds.contains(&doc.kind))
            && q.day.is_none_or(|day| doc.day == Some(day))
            && q.track_id
                .as_ref()
                .is_none_or(|t| doc.track_id.as_deref() == Some(t.as_str()))
            && q.location_id.as_ref().is_none_or(|l| {
                doc.location_id.as_deref() == Some(l.as_str())
                    || (doc.kind == EntityKind::Location && doc.id == *l)
            })
            && (!q.upcoming_only || doc.end.or(doc.start).is_none_or(|end| end > self.now))
            && self.favourites.is_none_or(|favourites| {
                favourites.contains(&(doc.kind.as_str().to_string(), doc.id.clone()))
            })
    }
}
