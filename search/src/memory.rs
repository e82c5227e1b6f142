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
        for entity in bundle.entities() {
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
        MemoryIndex {
            snapshot: Snapshot::build(vocabulary, indexed),
            documents,
            words,
            bounds,
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

    fn all_fields(&self, doc: usize) -> &[u32] {
        let at = &self.bounds[doc];
        self.words
            .get(at[0] as usize..at[FIELDS] as usize)
            .unwrap_or(&[])
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

    fn matches(&self, index: &MemoryIndex, doc: usize) -> bool {
        match self {
            Resolved::Ids(range) => index.all_fields(doc).iter().any(|id| range.contains(id)),
            Resolved::Phrase(ranges) => (0..FIELDS).any(|field| {
                let words = index.field(doc, field);
                let n = ranges.len();
                n > 0
                    && words.len() >= n
                    && words.windows(n).any(|window| {
                        window
                            .iter()
                            .zip(ranges)
                            .all(|(id, range)| range.contains(id))
                    })
            }),
        }
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
        let mut found = Vec::new();
        for doc in 0..self.documents.len() {
            let all = groups
                .iter()
                .all(|terms| terms.iter().any(|t| t.matches(self, doc)));
            if all {
                found.push(doc as u32);
                if found.len() >= MAX_LONG_TEXT_ROWS {
                    break;
                }
            }
        }
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
