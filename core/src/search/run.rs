//! One search from typed text to hits: parse, expand, query the index tier by tier, filter and
//! rank in memory, then build titles, context lines and highlights for the few hits returned.

use std::collections::HashSet;
use std::sync::Arc;

use chrono::DateTime;
use rusqlite::{Connection, OptionalExtension};

use super::cancel::{Checkpoint, SearchCancel};
use super::highlight::{context, highlights};
use super::matcher::{Matcher, Quality};
use super::plan::plan;
use super::rank::{PostingScores, Ranked, score_with_body, short_match, top};
use super::snapshot::{DocMeta, Posting, SearchCache, Snapshot};
use super::vocab::Expansion;
use super::{SearchHit, SearchQuery};
use crate::error::{Result, SqliteContext};
use crate::favourites::favourite_keys;
use crate::store::Store;
use crate::store::search_index::{Document, load_body};
use marktplatz_model::model::EntityKind;
use marktplatz_search::parse::{Group, parse};

/// Most hits one search returns.
pub const MAX_LIMIT: u32 = 200;
/// Single words shorter than this are only looked for in titles, names and places: a letter or
/// two matches half the long text, and type-ahead must stay fast.
const SHORT_WORD_CHARS: usize = 3;
const STATEMENT_CACHE: usize = 64;
/// At most this many documents are read from FTS5 for one tier: the long-text tiers only fill
/// up the list, and an unselective query (two common words) would otherwise score thousands.
const MAX_FTS_ROWS: usize = 2000;
/// Check for cancellation every this many rows read or documents scanned.
const CHECK_EVERY: usize = 1024;

pub(crate) fn search(
    store: &Store,
    cache: &SearchCache,
    query: &SearchQuery,
    cancel: Option<&SearchCancel>,
) -> Result<Vec<SearchHit>> {
    let parsed = parse(&query.text);
    if parsed.is_empty() || query.limit == 0 {
        return Ok(Vec::new());
    }
    let favourites = if query.favourites_only {
        Some(favourite_keys(store, &query.event_id)?)
    } else {
        None
    };
    store.read(|tx| {
        let checkpoint = match cancel {
            Some(cancel) => cancel.attach(tx.get_interrupt_handle()),
            None => Checkpoint::never(),
        };
        run(
            cache,
            tx,
            query,
            &parsed.groups,
            favourites.as_ref(),
            &checkpoint,
        )
        .map_err(|e| checkpoint.map_error(e))
    })
}

fn run(
    cache: &SearchCache,
    conn: &Connection,
    query: &SearchQuery,
    groups: &[Group],
    favourites: Option<&HashSet<(String, String)>>,
    checkpoint: &Checkpoint,
) -> Result<Vec<SearchHit>> {
    checkpoint.check()?;
    // The search prepares a dozen statements per keystroke; the default cache of 16 would evict
    // them between keystrokes together with the store's own.
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    let snapshot = cache.get(conn)?;
    let Some(event) = snapshot.event_index(&query.event_id) else {
        return Ok(Vec::new());
    };
    let mut expansions: Vec<Option<Arc<Expansion>>> = Vec::with_capacity(groups.len());
    for group in groups {
        expansions.push(match group {
            Group::Word(word) => Some(snapshot.expand(word, checkpoint)?),
            Group::Phrase { .. } => None,
        });
    }
    checkpoint.check()?;
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
        checkpoint.check()?;
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
        for (n, entry) in short_field_candidates(&snapshot, &planned).enumerate() {
            if n % CHECK_EVERY == 0 {
                checkpoint.check()?;
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
        for rowid in matching_docs(conn, expression, checkpoint)? {
            let Some(position) = snapshot.position_of(rowid) else {
                continue;
            };
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
        for rowid in matching_docs(conn, expression, checkpoint)? {
            let Some(position) = snapshot.position_of(rowid) else {
                continue;
            };
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
    checkpoint.check()?;
    top(&mut ranked, limit);
    hits(conn, &snapshot, &ranked, &matchers, checkpoint)
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

fn matching_docs(conn: &Connection, expression: &str, checkpoint: &Checkpoint) -> Result<Vec<i64>> {
    let mut stmt = conn
        .prepare_cached("SELECT rowid FROM search_fts WHERE search_fts MATCH ?1")
        .context("searching")?;
    let mut rows = stmt.query([expression]).context("searching")?;
    let mut ids = Vec::new();
    while let Some(row) = rows.next().context("searching")? {
        ids.push(row.get(0).context("searching")?);
        if ids.len() >= MAX_FTS_ROWS {
            break;
        }
        if ids.len() % CHECK_EVERY == 0 {
            checkpoint.check()?;
        }
    }
    Ok(ids)
}

fn hits(
    conn: &Connection,
    snapshot: &Snapshot,
    ranked: &[Ranked],
    matchers: &[Matcher],
    checkpoint: &Checkpoint,
) -> Result<Vec<SearchHit>> {
    let mut hits = Vec::with_capacity(ranked.len());
    for r in ranked {
        checkpoint.check()?;
        let doc = snapshot.doc(r.doc);
        let event_id = snapshot.event_id(doc.event);
        let Some(document) = short_fields(conn, doc.rowid)? else {
            continue;
        };
        let (context, context_highlights) = context(&document, matchers, || {
            load_body(conn, event_id, doc.kind, &doc.id)
        })?;
        hits.push(SearchHit {
            kind: doc.kind,
            id: doc.id.clone(),
            event_id: event_id.to_string(),
            title_highlights: highlights(&document.title, matchers),
            title: document.title,
            context,
            context_highlights,
            start: doc.start.and_then(|t| DateTime::from_timestamp(t, 0)),
        });
    }
    Ok(hits)
}

/// Title, people and place as indexed (the long text is loaded only when the context needs it).
fn short_fields(conn: &Connection, rowid: i64) -> Result<Option<Document>> {
    conn.prepare_cached("SELECT title, people, place FROM search_doc WHERE doc_id = ?1")
        .and_then(|mut s| {
            s.query_row([rowid], |r| {
                Ok(Document {
                    title: r.get(0)?,
                    people: r.get(1)?,
                    place: r.get(2)?,
                    body: String::new(),
                })
            })
            .optional()
        })
        .context("reading a search hit")
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
                .is_none_or(|t| doc.track_id.as_ref() == Some(t))
            && q.location_id.as_ref().is_none_or(|l| {
                doc.location_id.as_ref() == Some(l)
                    || (doc.kind == EntityKind::Location && doc.id == *l)
            })
            && (!q.upcoming_only || doc.end.or(doc.start).is_none_or(|end| end > self.now))
            && self.favourites.is_none_or(|favourites| {
                favourites.contains(&(doc.kind.as_str().to_string(), doc.id.clone()))
            })
    }
}
