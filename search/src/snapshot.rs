//! What a search keeps in memory: the vocabulary and, per indexed entity, the short fields'
//! words and the filter columns used to rank and filter candidates without reading the long text.
//! The device builds one from its SQLite index whenever content.db changed; the server's
//! [`crate::memory::MemoryIndex`] builds one per published head.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use chrono::NaiveDate;

use crate::document::SEARCHED_KINDS;
use crate::normalize::{joined_compounds, tokenize};
use crate::vocab::{Expansion, Vocabulary};
use marktplatz_model::model::EntityKind;

/// Cached expansions per snapshot; cleared when full (typing rarely needs more than a few dozen).
const MAX_CACHED_EXPANSIONS: usize = 512;

/// One entity as the snapshot is built from it: its short fields as shown and its filter columns.
#[derive(Clone, Debug, Default)]
pub struct IndexedDoc {
    /// The long-text index's key for it (the device's FTS rowid; the server's position).
    pub rowid: i64,
    pub event_id: String,
    pub kind: Option<EntityKind>,
    pub id: String,
    pub title: String,
    pub people: String,
    pub place: String,
    /// Unix seconds (sessions only).
    pub start: Option<i64>,
    pub end: Option<i64>,
    pub day: Option<NaiveDate>,
    pub track_id: Option<String>,
    /// A session's location or an exhibitor's station.
    pub location_id: Option<String>,
}

/// One indexed entity, as far as ranking and filtering need it.
pub struct DocMeta {
    /// The FTS rowid (`search_doc.doc_id`).
    pub rowid: i64,
    pub event: u32,
    pub kind: EntityKind,
    pub id: String,
    /// Unix seconds (sessions only).
    pub start: Option<i64>,
    pub end: Option<i64>,
    pub day: Option<NaiveDate>,
    /// Shared by every document naming it (thousands of sessions name a few tracks and rooms:
    /// one allocation each rather than one per document).
    pub track_id: Option<Arc<str>>,
    /// A session's location or an exhibitor's station.
    pub location_id: Option<Arc<str>>,
    pub title_chars: u32,
    /// The words (with joined compounds) of title, people and place, as vocabulary ids, one
    /// after the other (one allocation: thousands of documents are scored per keystroke).
    pub(crate) words: Box<[u32]>,
    /// Where the people and the place words start in `words`.
    pub(crate) splits: [u16; 2],
}

impl DocMeta {
    /// The word ids of field 0 (title), 1 (people) or 2 (place).
    pub fn field(&self, field: usize) -> &[u32] {
        let bounds = [
            0,
            usize::from(self.splits[0]),
            usize::from(self.splits[1]),
            self.words.len(),
        ];
        match field {
            0..=2 => self
                .words
                .get(bounds[field]..bounds[field + 1])
                .unwrap_or(&[]),
            _ => &[],
        }
    }

    pub fn all_words(&self) -> &[u32] {
        &self.words
    }
}

/// What ranking reads for every candidate, packed densely (thousands per keystroke).
#[derive(Clone, Copy)]
pub struct Hot {
    pub event: u32,
    pub title_chars: u32,
    /// Unix seconds; `i64::MIN` when the entity has no time.
    pub start: i64,
    pub end: i64,
}

pub struct Snapshot {
    hot: Vec<Hot>,
    /// Each document's place in the order of (event, kind, id), by position: the ranking's last
    /// tie-breaker, so equal hits come in the same order wherever a document sits in the index
    /// (a device's index appends what deltas re-add; the web's is built in id order). Apart from
    /// [`Hot`]: only full ties read it.
    id_orders: Vec<u32>,
    pub vocabulary: Vocabulary,
    docs: Vec<DocMeta>,
    /// FTS rowid → position in `docs` (`u32::MAX`: none). Rowids are small and dense.
    by_rowid: Vec<u32>,
    /// Which documents hold each word in a short field: `postings[starts[id]..starts[id + 1]]`.
    /// Ids of words sharing a prefix are contiguous, so a prefix's documents are one slice.
    starts: Vec<u32>,
    postings: Vec<u32>,
    events: Vec<String>,
    expansions: Mutex<HashMap<String, Arc<Expansion>>>,
}

impl Snapshot {
    /// Builds the snapshot of `docs` (in the long-text index's order) over `vocabulary`, which
    /// holds every word of every field of them.
    pub fn build(vocabulary: Vocabulary, docs: impl IntoIterator<Item = IndexedDoc>) -> Snapshot {
        let ids: HashMap<&str, u32> = vocabulary.terms().map(|(id, t)| (t, id)).collect();
        let words = |text: &str| -> Vec<u32> {
            let tokens = tokenize(text);
            let joined = joined_compounds(&tokens);
            tokens
                .iter()
                .map(|t| t.text.as_str())
                .chain(joined.iter().map(String::as_str))
                .filter_map(|w| ids.get(w).copied())
                .collect()
        };
        let mut events: Vec<String> = Vec::new();
        let mut metas = Vec::new();
        let mut shared = SharedIds::default();
        for doc in docs {
            let Some(kind) = doc.kind else {
                continue;
            };
            let event = match events.iter().position(|e| *e == doc.event_id) {
                Some(index) => index,
                None => {
                    events.push(doc.event_id);
                    events.len() - 1
                }
            } as u32;
            let mut all: Vec<u32> = words(&doc.title);
            let people_start = all.len();
            all.extend(words(&doc.people));
            let place_start = all.len();
            all.extend(words(&doc.place));
            // Fields longer than 65535 words (never seen) lose their tail in ranking only.
            let cap = |n: usize| u16::try_from(n).unwrap_or(u16::MAX);
            let splits = [cap(people_start), cap(place_start).max(cap(people_start))];
            metas.push(DocMeta {
                rowid: doc.rowid,
                event,
                kind,
                id: doc.id,
                title_chars: doc.title.chars().count() as u32,
                start: doc.start,
                end: doc.end,
                day: doc.day,
                track_id: doc.track_id.map(|t| shared.get(&t)),
                location_id: doc.location_id.map(|l| shared.get(&l)),
                words: all.into_boxed_slice(),
                splits,
            });
        }
        drop(ids);
        Snapshot::assemble(vocabulary, metas, events)
    }

    /// The snapshot of documents whose words are already vocabulary ids (built, or read back
    /// from a persisted snapshot by [`crate::stored`]): derives the lookups from them.
    pub(crate) fn assemble(
        vocabulary: Vocabulary,
        metas: Vec<DocMeta>,
        events: Vec<String>,
    ) -> Snapshot {
        // One pass over the documents for what is read per document (a 20,000-entity snapshot's
        // documents are megabytes: each pass over them was a pass through memory).
        let mut by_rowid: Vec<u32> = Vec::with_capacity(metas.len());
        let mut hot = Vec::with_capacity(metas.len());
        for (position, doc) in metas.iter().enumerate() {
            if let Ok(slot) = usize::try_from(doc.rowid) {
                if by_rowid.len() <= slot {
                    by_rowid.resize(slot + 1, u32::MAX);
                }
                by_rowid[slot] = position as u32;
            }
            hot.push(Hot {
                event: doc.event,
                title_chars: doc.title_chars,
                start: doc.start.unwrap_or(i64::MIN),
                end: doc.end.or(doc.start).unwrap_or(i64::MIN),
            });
        }
        let (starts, postings) = invert(&metas, vocabulary.len());
        Snapshot {
            hot,
            id_orders: id_orders(&metas),
            vocabulary,
            docs: metas,
            by_rowid,
            starts,
            postings,
            events,
            expansions: Mutex::new(HashMap::new()),
        }
    }

    pub fn doc_count(&self) -> usize {
        self.docs.len()
    }

    /// Every document, in position order (for persisting the snapshot).
    pub(crate) fn docs(&self) -> &[DocMeta] {
        &self.docs
    }

    /// The event ids documents refer to by index.
    pub(crate) fn events(&self) -> &[String] {
        &self.events
    }

    pub fn hot(&self, position: u32) -> Hot {
        self.hot[position as usize]
    }

    /// The document's place in the order of (event, kind, id).
    pub fn id_order(&self, position: u32) -> u32 {
        self.id_orders
            .get(position as usize)
            .copied()
            .unwrap_or(u32::MAX)
    }

    pub fn doc(&self, position: u32) -> &DocMeta {
        &self.docs[position as usize]
    }

    /// The position of the document with this FTS rowid.
    pub fn position_of(&self, rowid: i64) -> Option<u32> {
        usize::try_from(rowid)
            .ok()
            .and_then(|slot| self.by_rowid.get(slot))
            .copied()
            .filter(|&p| p != u32::MAX)
    }

    /// The short-field occurrences ([`Posting`]s) of the words with an id in `ids`.
    pub fn postings(&self, ids: std::ops::Range<u32>) -> &[u32] {
        let start = self.starts.get(ids.start as usize).copied().unwrap_or(0) as usize;
        let end = self.starts.get(ids.end as usize).copied().unwrap_or(0) as usize;
        self.postings.get(start..end).unwrap_or(&[])
    }

    pub fn event_index(&self, event_id: &str) -> Option<u32> {
        self.events
            .iter()
            .position(|e| e == event_id)
            .map(|i| i as u32)
    }

    pub fn event_id(&self, index: u32) -> &str {
        self.events.get(index as usize).map_or("", String::as_str)
    }

    /// The expansion of a word, computed once per snapshot (`check`: see [`Vocabulary::expand`]).
    pub fn expand<E>(
        &self,
        word: &str,
        check: impl Fn() -> Result<(), E>,
    ) -> Result<Arc<Expansion>, E> {
        if let Some(found) = self.cached_expansions().get(word) {
            return Ok(found.clone());
        }
        let expansion = Arc::new(self.vocabulary.expand(word, check)?);
        let mut cache = self.cached_expansions();
        if cache.len() >= MAX_CACHED_EXPANSIONS {
            cache.clear();
        }
        cache.insert(word.to_string(), expansion.clone());
        Ok(expansion)
    }

    /// Forgets the expansions computed for typed words (the benchmark repeats keystrokes and
    /// must not measure the cache instead of the work).
    pub fn forget_expansions(&self) {
        self.cached_expansions().clear();
    }

    fn cached_expansions(&self) -> MutexGuard<'_, HashMap<String, Arc<Expansion>>> {
        self.expansions
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// One `Arc<str>` per distinct track or location id.
#[derive(Default)]
pub(crate) struct SharedIds(HashMap<Box<str>, Arc<str>>);

impl SharedIds {
    pub(crate) fn get(&mut self, id: &str) -> Arc<str> {
        if let Some(shared) = self.0.get(id) {
            return shared.clone();
        }
        let shared: Arc<str> = Arc::from(id);
        self.0.insert(id.into(), shared.clone());
        shared
    }
}

/// Each document's place in the order of (event, kind, id), by position; kinds in the order a
/// device indexes them ([`SEARCHED_KINDS`]). A device's first sync builds its index in that
/// order, so this is usually one pass; after deltas the stable sort meets a few sorted runs.
fn id_orders(metas: &[DocMeta]) -> Vec<u32> {
    fn key(d: &DocMeta) -> (u32, usize, &str) {
        let kind_order = SEARCHED_KINDS
            .iter()
            .position(|k| *k == d.kind)
            .unwrap_or(SEARCHED_KINDS.len());
        (d.event, kind_order, d.id.as_str())
    }
    // Usually in order already: then no keys are collected and sorted.
    if metas.windows(2).all(|w| key(&w[0]) <= key(&w[1])) {
        return (0..metas.len() as u32).collect();
    }
    let keys: Vec<(u32, usize, &str)> = metas.iter().map(key).collect();
    let mut positions: Vec<usize> = (0..keys.len()).collect();
    positions.sort_by_key(|&p| keys.get(p));
    let mut orders = vec![0u32; keys.len()];
    for (order, position) in positions.into_iter().enumerate() {
        if let Some(slot) = orders.get_mut(position) {
            *slot = order as u32;
        }
    }
    orders
}

/// Builds the short-field postings of every word (counting sort by term id).
fn entries(doc: &DocMeta) -> impl Iterator<Item = (u32, u32, bool)> + '_ {
    (0..3usize).flat_map(move |field| {
        doc.field(field)
            .iter()
            .enumerate()
            .map(move |(i, &id)| (id, field as u32, field == 0 && i == 0))
    })
}

fn invert(docs: &[DocMeta], terms: usize) -> (Vec<u32>, Vec<u32>) {
    let mut starts = vec![0u32; terms + 1];
    for doc in docs {
        for id in doc.all_words() {
            if let Some(count) = starts.get_mut(*id as usize + 1) {
                *count += 1;
            }
        }
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let mut next = starts.clone();
    let mut postings = vec![0u32; starts.last().copied().unwrap_or(0) as usize];
    for (position, doc) in docs.iter().enumerate() {
        for (id, field, first) in entries(doc) {
            if let Some(slot) = next.get_mut(id as usize) {
                postings[*slot as usize] = Posting::encode(position as u32, field, first);
                *slot += 1;
            }
        }
    }
    (starts, postings)
}

/// One short-field occurrence: document position, field (0 title, 1 people, 2 place) and whether
/// it is the first word of the title, packed in a u32.
pub struct Posting;

impl Posting {
    fn encode(doc: u32, field: u32, first: bool) -> u32 {
        (doc << 3) | (field << 1) | u32::from(first)
    }

    pub fn doc(entry: u32) -> u32 {
        entry >> 3
    }

    pub fn field(entry: u32) -> usize {
        ((entry >> 1) & 3) as usize
    }

    pub fn is_title_start(entry: u32) -> bool {
        entry & 1 == 1
    }
}
