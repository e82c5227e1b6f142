//! One search from typed text to hits: parse, expand, query the index tier by tier, filter and
//! rank in memory, then build titles, context lines and highlights for the few hits returned.

use std::collections::HashSet;
use std::sync::Arc;

use chrono::DateTime;
use rusqlite::Connection;

use super::cancel::{Checkpoint, SearchCancel};
use super::document::load_document;
use super::highlight::{context, highlights};
use super::matcher::Matcher;
use super::parse::{Group, parse};
use super::plan::plan;
use super::rank::{Ranked, score, sort};
use super::snapshot::{DocMeta, Snapshot};
use super::vocab::Expansion;
use super::{SearchHit, SearchQuery};
use crate::error::{Result, SqliteContext};
use crate::model::EntityKind;
use crate::store::Store;

/// Most hits one search returns.
pub const MAX_LIMIT: u32 = 200;
/// Single words shorter than this are only looked for in titles, names and places: a letter or
/// two matches half the long text, and type-ahead must stay fast.
const SHORT_WORD_CHARS: usize = 3;
/// Check for cancellation every this many rows read from the index.
const CHECK_EVERY: usize = 512;

pub(crate) fn search(
    store: &Store,
    query: &SearchQuery,
    cancel: Option<&SearchCancel>,
) -> Result<Vec<SearchHit>> {
    let parsed = parse(&query.text);
    if parsed.is_empty() || query.limit == 0 {
        return Ok(Vec::new());
    }
    let favourites = if query.favourites_only {
        Some(favourites(store, &query.event_id)?)
    } else {
        None
    };
    store.read(|tx| {
        let checkpoint = match cancel {
            Some(cancel) => cancel.attach(tx.get_interrupt_handle()),
            None => Checkpoint::never(),
        };
        run(
            store,
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
    store: &Store,
    conn: &Connection,
    query: &SearchQuery,
    groups: &[Group],
    favourites: Option<&HashSet<(String, String)>>,
    checkpoint: &Checkpoint,
) -> Result<Vec<SearchHit>> {
    checkpoint.check()?;
    let trace = std::env::var_os("MARKTPLATZ_SEARCH_TRACE").is_some();
    let t0 = std::time::Instant::now();
    let snapshot = store.search_cache().get(conn)?;
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
    let plan = plan(&planned, short_only);
    let matchers: Vec<Matcher> = planned
        .iter()
        .map(|(group, expansion)| Matcher::new(group, *expansion))
        .collect();

    let t_expand = t0.elapsed();
    let limit = query.limit.min(MAX_LIMIT) as usize;
    let filter = Filter::new(query, event, favourites);
    let mut ranked: Vec<Ranked> = Vec::new();
    let mut seen: HashSet<i64> = HashSet::new();
    for (tier, expression) in [(0u8, &plan.strong), (1u8, &plan.broad)] {
        let Some(expression) = expression else {
            continue;
        };
        if ranked.len() >= limit {
            break;
        }
        let tq = std::time::Instant::now();
        let found = matching_docs(conn, expression, checkpoint)?;
        if trace {
            eprintln!("  tier {tier}: {} docs in {:?}", found.len(), tq.elapsed());
        }
        for doc_id in found {
            if !seen.insert(doc_id) {
                continue;
            }
            let Some(doc) = snapshot.docs.get(&doc_id) else {
                continue;
            };
            if filter.accepts(doc) {
                ranked.push(Ranked {
                    doc_id,
                    tier,
                    score: score(doc, &matchers, tier),
                });
            }
        }
        checkpoint.check()?;
    }
    sort(
        &mut ranked,
        |id| snapshot.docs.get(&id),
        query.now.timestamp(),
    );
    let t_rank = t0.elapsed();
    let n = ranked.len();
    ranked.truncate(limit);
    let out = hits(conn, &snapshot, &ranked, &matchers, checkpoint);
    if trace {
        eprintln!("{:?}: expand {:?} rank {:?} ({n}) total {:?}", query.text, t_expand, t_rank, t0.elapsed());
    }
    out
}

fn matching_docs(conn: &Connection, expression: &str, checkpoint: &Checkpoint) -> Result<Vec<i64>> {
    let mut stmt = conn
        .prepare_cached("SELECT rowid FROM search_fts WHERE search_fts MATCH ?1")
        .context("searching")?;
    let mut rows = stmt.query([expression]).context("searching")?;
    let mut ids = Vec::new();
    while let Some(row) = rows.next().context("searching")? {
        ids.push(row.get(0).context("searching")?);
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
        let Some(doc) = snapshot.docs.get(&r.doc_id) else {
            continue;
        };
        let event_id = snapshot.event_id(doc.event);
        let Some(document) = load_document(conn, event_id, doc.kind, &doc.id)? else {
            continue;
        };
        let (context, context_highlights) = context(&document, matchers);
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

fn favourites(store: &Store, event_id: &str) -> Result<HashSet<(String, String)>> {
    store.read_user(|tx| {
        let mut stmt = tx
            .prepare_cached("SELECT kind, entity_id FROM favourite WHERE event_id = ?1")
            .context("reading favourites")?;
        let rows = stmt
            .query_map([event_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .context("reading favourites")?;
        rows.collect::<rusqlite::Result<_>>()
            .context("reading favourites")
    })
}

struct Filter<'a> {
    query: &'a SearchQuery,
    event: u32,
    now: i64,
    favourites: Option<&'a HashSet<(String, String)>>,
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
        }
    }

    fn accepts(&self, doc: &DocMeta) -> bool {
        let q = self.query;
        doc.event == self.event
            && (q.kinds.is_empty() || q.kinds.contains(&doc.kind))
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
