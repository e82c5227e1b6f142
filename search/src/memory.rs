//! The search index of one published event, held in memory: what the server searches. It is
//! built from the event's entities exactly as the device indexes them (the same documents, the
//! same words, the same vocabulary with the same document counts) and answers through the same
//! engine ([`crate::engine`]), so a query finds on the web what it finds on the phone, in the
//! same order.
//!
//! The long text is kept as vocabulary ids per field, in the order the device's FTS5 index holds
//! its words, and a tier of the plan is evaluated on them directly: no query language, nothing
//! typed is ever syntax.

use std::collections::HashMap;
use std::convert::Infallible;

use marktplatz_model::bundle::Bundle;
use marktplatz_model::model::{Entity, EntityKind};
use marktplatz_model::time::EventClock;

use crate::document::{Document, document_of};
use crate::engine::{LongText, MAX_LONG_TEXT_ROWS, search};
use crate::normalize::index_text;
use crate::plan::{Term, Tier};
use crate::query::{SearchHit, SearchQuery};
use crate::snapshot::{IndexedDoc, Snapshot};
use crate::vocab::Vocabulary;

/// Fields of a document in the long-text index: title, people, place, body.
const FIELDS: usize = 4;

/// One event's search index in memory.
pub struct MemoryIndex {
    snapshot: Snapshot,
    /// The short fields as shown and the long text, by position (for context lines).
    documents: Vec<Document>,
    /// Every document's indexed words as vocabulary ids, field after field.
    words: Vec<u32>,
    /// Where each document's fields start in `words`: `bounds[doc][f]..bounds[doc][f + 1]`.
    bounds: Vec<[u32; FIELDS + 1]>,
    /// Which documents hold each word in any field: `holders[starts[id]..starts[id + 1]]`,
    /// ascending. Ids of words sharing a prefix are contiguous, so a prefix's is one slice.
    starts: Vec<u32>,
    holders: Vec<u32>,
}

impl MemoryIndex {
    /// Indexes the searched entities of `bundle` in the order the device's store indexes them
    /// when it applies the bundle (`Bundle::entities`).
    pub fn build(bundle: &Bundle) -> MemoryIndex {
        let event_id = bundle.event.id.as_str();
        let clock = EventClock::new(&bundle.event.timezone, bundle.event.day_change_hour).ok();
        let mut names: HashMap<(EntityKind, &str), &str> = HashMap::new();
        for s in &bundle.speakers {
            names.insert((EntityKind::Speaker, &s.id), &s.name);
        }
        for t in &bundle.tracks {
            names.insert((EntityKind::Track, &t.id), &t.name);
        }
        for l in &bundle.locations {
            names.insert((EntityKind::Location, &l.id), &l.name);
        }
        let mut indexed = Vec::new();
        let mut documents = Vec::new();
        for entity in in_index_order(bundle.entities()) {
            let found = document_of(&entity, |kind, id| {
                Ok::<_, Infallible>(names.get(&(kind, id)).map(|n| n.to_string()))
            });
            let Ok(Some(document)) = found else {
                continue; // a kind that is not searched
            };
            let mut doc = IndexedDoc {
                rowid: indexed.len() as i64,
                event_id: event_id.to_string(),
                kind: Some(entity.kind()),
                id: entity.id().to_string(),
                title: document.title.clone(),
                people: document.people.clone(),
                place: document.place.clone(),
                ..IndexedDoc::default()
            };
            match &entity {
                Entity::Session(s) => {
                    doc.start = Some(s.start.timestamp());
                    doc.end = Some(s.end.timestamp());
                    doc.day = clock.as_ref().map(|c| c.conference_day(s.start));
                    doc.track_id = s.track_id.clone();
                    doc.location_id = s.location_id.clone();
                }
                Entity::Exhibitor(x) => doc.location_id = x.station_id.clone(),
                _ => {}
            }
            indexed.push(doc);
            documents.push(document);
        }
        let fields: Vec<[String; FIELDS]> = documents
            .iter()
            .map(|d| {
                [
                    index_text(&d.title),
                    index_text(&d.people),
                    index_text(&d.place),
                    index_text(&d.body),
                ]
            })
            .collect();
        let vocabulary = vocabulary_of(&fields);
        let ids: HashMap<&str, u32> = vocabulary.terms().map(|(id, t)| (t, id)).collect();
        let mut words = Vec::new();
        let mut bounds = Vec::with_capacity(fields.len());
        for doc in &fields {
            let mut at = [0u32; FIELDS + 1];
            at[0] = words.len() as u32;
            for (f, text) in doc.iter().enumerate() {
                words.extend(text.split_whitespace().filter_map(|w| ids.get(w).copied()));
                at[f + 1] = words.len() as u32;
            }
            bounds.push(at);
        }
        drop(ids);
        let (starts, holders) = holders_of(&words, &bounds, vocabulary.len());
        MemoryIndex {
            snapshot: Snapshot::build(vocabulary, indexed),
            documents,
            words,
            bounds,
            starts,
            holders,
        }
    }

    /// Searches the event (`query.event_id` must be the bundle's). Never fails; favourites are
    /// the device's and have no meaning here (`favourites_only` finds nothing).
    pub fn search(&self, query: &SearchQuery) -> Vec<SearchHit> {
        let none = std::collections::HashSet::new();
        let favourites = query.favourites_only.then_some(&none);
        match search(&self.snapshot, self, query, favourites) {
            Ok(hits) => hits,
            Err(never) => match never {},
        }
    }

    /// Forgets the expansions computed for typed words (the benchmark repeats queries and must
    /// not measure the cache instead of the work).
    #[doc(hidden)]
    pub fn forget_expansions(&self) {
        self.snapshot.forget_expansions();
    }

    /// Indexed entities.
    pub fn len(&self) -> usize {
        self.documents.len()
    }

    pub fn is_empty(&self) -> bool {
        self.documents.is_empty()
    }

    /// Heap bytes held, roughly (the server bounds its cache of indexes by it).
    pub fn heap_bytes(&self) -> usize {
        let texts: usize = self
            .documents
            .iter()
            .map(|d| d.title.len() + d.people.len() + d.place.len() + d.body.len() + 96)
            .sum();
        texts
            + self.words.len() * 4
            + self.bounds.len() * 4 * (FIELDS + 1)
            + self.snapshot.vocabulary.heap_bytes()
            + self.snapshot.doc_count() * 160
    }

    fn field(&self, doc: usize, field: usize) -> &[u32] {
        let at = &self.bounds[doc];
        self.words
            .get(at[field] as usize..at[field + 1] as usize)
            .unwrap_or(&[])
    }

    /// The documents holding any word with an id in `ids` (with repeats when several do).
    fn holding(&self, ids: &std::ops::Range<u32>) -> &[u32] {
        let start = self.starts.get(ids.start as usize).copied().unwrap_or(0) as usize;
        let end = self.starts.get(ids.end as usize).copied().unwrap_or(0) as usize;
        self.holders.get(start..end).unwrap_or(&[])
    }
}

/// `entities` (grouped by kind, as `Bundle::entities` gives them) with each kind's entities in
/// the order of their ids: the order the device's index is built in, whatever order the bundle
/// lists them in. Ties in the ranking fall back to that order, so both rank alike.
fn in_index_order(entities: Vec<Entity>) -> Vec<Entity> {
    let mut group = 0usize;
    let mut previous = None;
    let mut keyed: Vec<(usize, Entity)> = entities
        .into_iter()
        .map(|entity| {
            if previous.is_some_and(|kind| kind != entity.kind()) {
                group += 1;
            }
            previous = Some(entity.kind());
            (group, entity)
        })
        .collect();
    keyed.sort_by(|(ga, a), (gb, b)| ga.cmp(gb).then_with(|| a.id().cmp(b.id())));
    keyed.into_iter().map(|(_, entity)| entity).collect()
}

/// The documents of every word, by counting sort on the word id (each document once per word).
fn holders_of(words: &[u32], bounds: &[[u32; FIELDS + 1]], terms: usize) -> (Vec<u32>, Vec<u32>) {
    let mut distinct: Vec<Vec<u32>> = Vec::with_capacity(bounds.len());
    let mut starts = vec![0u32; terms + 1];
    for at in bounds {
        let mut ids = words
            .get(at[0] as usize..at[FIELDS] as usize)
            .unwrap_or(&[])
            .to_vec();
        ids.sort_unstable();
        ids.dedup();
        for &id in &ids {
            if let Some(count) = starts.get_mut(id as usize + 1) {
                *count += 1;
            }
        }
        distinct.push(ids);
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let mut next = starts.clone();
    let mut holders = vec![0u32; starts.last().copied().unwrap_or(0) as usize];
    for (doc, ids) in distinct.iter().enumerate() {
        for &id in ids {
            if let Some(slot) = next.get_mut(id as usize) {
                holders[*slot as usize] = doc as u32;
                *slot += 1;
            }
        }
    }
    (starts, holders)
}

/// A set of document positions as a bitmap.
struct DocSet {
    bits: Vec<u64>,
}

impl DocSet {
    fn empty(docs: usize) -> DocSet {
        DocSet {
            bits: vec![0; docs.div_ceil(64)],
        }
    }

    fn insert(&mut self, doc: u32) {
        if let Some(word) = self.bits.get_mut(doc as usize / 64) {
            *word |= 1 << (doc % 64);
        }
    }

    fn contains(&self, doc: u32) -> bool {
        self.bits
            .get(doc as usize / 64)
            .is_some_and(|word| word & (1 << (doc % 64)) != 0)
    }

    fn intersect(&mut self, other: &DocSet) {
        for (mine, theirs) in self.bits.iter_mut().zip(&other.bits) {
            *mine &= theirs;
        }
    }

    fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        self.bits.iter().enumerate().flat_map(|(i, &word)| {
            (0..64u32)
                .filter(move |bit| word & (1 << bit) != 0)
                .map(move |bit| i as u32 * 64 + bit)
        })
    }
}

/// Every word with the number of documents holding it (what the device's `fts5vocab` gives).
fn vocabulary_of(fields: &[[String; FIELDS]]) -> Vocabulary {
    let mut counts: HashMap<&str, u32> = HashMap::new();
    let mut seen: Vec<&str> = Vec::new();
    for doc in fields {
        seen.clear();
        seen.extend(doc.iter().flat_map(|f| f.split_whitespace()));
        seen.sort_unstable();
        seen.dedup();
        for word in &seen {
            *counts.entry(word).or_default() += 1;
        }
    }
    Vocabulary::from_terms(
        counts
            .into_iter()
            .map(|(w, n)| (w.to_string(), n))
            .collect(),
    )
}

/// A term of the plan resolved to vocabulary ids once per tier.
enum Resolved {
    /// Any id in the range (a prefix, or one exact word as a range of one).
    Ids(std::ops::Range<u32>),
    /// These ids in a row in one field; the last one may be a range.
    Phrase(Vec<std::ops::Range<u32>>),
}

impl Resolved {
    fn of(term: &Term, vocabulary: &Vocabulary) -> Resolved {
        let exact = |w: &str| vocabulary.id(w).map_or(0..0, |id| id..id + 1);
        match term {
            Term::Prefix(word) => Resolved::Ids(vocabulary.prefix_range(word)),
            Term::Exact(word) => Resolved::Ids(exact(word)),
            Term::Phrase { words, open } => {
                let last = words.len().saturating_sub(1);
                Resolved::Phrase(
                    words
                        .iter()
                        .enumerate()
                        .map(|(i, w)| {
                            if *open && i == last {
                                vocabulary.prefix_range(w)
                            } else {
                                exact(w)
                            }
                        })
                        .collect(),
                )
            }
        }
    }

    /// Adds the documents this term matches to `set`.
    fn add_matches(&self, index: &MemoryIndex, set: &mut DocSet) {
        match self {
            Resolved::Ids(range) => {
                for &doc in index.holding(range) {
                    set.insert(doc);
                }
            }
            Resolved::Phrase(ranges) => {
                // Candidates hold the phrase's rarest word; the order is checked per field.
                let Some(rarest) = ranges.iter().min_by_key(|r| index.holding(r).len()) else {
                    return;
                };
                for &doc in index.holding(rarest) {
                    if !set.contains(doc) && self.phrase_in(index, doc as usize, ranges) {
                        set.insert(doc);
                    }
                }
            }
        }
    }

    /// The phrase's words one after the other in one field of `doc`.
    fn phrase_in(&self, index: &MemoryIndex, doc: usize, ranges: &[std::ops::Range<u32>]) -> bool {
        let n = ranges.len();
        (0..FIELDS).any(|field| {
            let words = index.field(doc, field);
            n > 0
                && words.len() >= n
                && words.windows(n).any(|window| {
                    window
                        .iter()
                        .zip(ranges)
                        .all(|(id, range)| range.contains(id))
                })
        })
    }
}

impl LongText for MemoryIndex {
    type Error = Infallible;

    fn check(&self) -> Result<(), Infallible> {
        Ok(())
    }

    fn matching(&self, tier: &Tier) -> Result<Vec<u32>, Infallible> {
        let groups: Vec<Vec<Resolved>> = tier
            .groups
            .iter()
            .map(|terms| {
                terms
                    .iter()
                    .map(|t| Resolved::of(t, &self.snapshot.vocabulary))
                    .collect()
            })
            .collect();
        let mut all: Option<DocSet> = None;
        for terms in &groups {
            let mut set = DocSet::empty(self.documents.len());
            for term in terms {
                term.add_matches(self, &mut set);
            }
            match &mut all {
                Some(all) => all.intersect(&set),
                None => all = Some(set),
            }
        }
        let found = all
            .map(|set| set.iter().take(MAX_LONG_TEXT_ROWS).collect())
            .unwrap_or_default();
        Ok(found)
    }

    fn short_fields(&self, position: u32) -> Result<Option<Document>, Infallible> {
        Ok(self.documents.get(position as usize).map(|d| Document {
            title: d.title.clone(),
            people: d.people.clone(),
            place: d.place.clone(),
            body: String::new(),
        }))
    }

    fn body(&self, position: u32) -> Result<String, Infallible> {
        Ok(self
            .documents
            .get(position as usize)
            .map(|d| d.body.clone())
            .unwrap_or_default())
    }
}
