//! The German query set: data format, loading the events it refers to, and recall@5 / MRR for the
//! real search and both baselines.

// Test harness code: anything unexpected should stop the run loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::path::Path;

use marktplatz_core::search::{self, SearchCache, SearchQuery};
use marktplatz_core::store::Store;
use marktplatz_model::bundle::Bundle;
use marktplatz_model::model::EntityKind;
use serde::Deserialize;

use crate::search_baselines::{Baselines, flatten};

#[derive(Deserialize)]
pub struct QueryCase {
    /// Which event: `fair` (the German fixture fair), `36c3`, `39c3`, `froscon2018`.
    pub event: String,
    pub query: String,
    /// What the query exercises (umlaut, prefix, infix, typo, words, phrase, person, place).
    #[serde(default)]
    pub rule: String,
    /// Relevant hits, by kind and exact title.
    pub expect: Vec<Expected>,
}

#[derive(Deserialize, Clone)]
pub struct Expected {
    pub kind: EntityKind,
    pub title: String,
}

#[derive(Default, Clone, Copy, Debug)]
pub struct Scores {
    pub recall_at_5: f64,
    pub mrr: f64,
    pub queries: usize,
}

/// One engine's ranked titles for a query.
pub type Ranked = Vec<(EntityKind, String)>;

pub fn score(cases: &[(&QueryCase, Ranked)]) -> Scores {
    let mut s = Scores::default();
    for (case, ranked) in cases {
        let relevant = |hit: &(EntityKind, String)| {
            case.expect
                .iter()
                .any(|e| e.kind == hit.0 && e.title == hit.1)
        };
        let found = case
            .expect
            .iter()
            .filter(|e| {
                ranked
                    .iter()
                    .take(5)
                    .any(|h| h.0 == e.kind && h.1 == e.title)
            })
            .count();
        s.recall_at_5 += found as f64 / case.expect.len().clamp(1, 5) as f64;
        if let Some(rank) = ranked.iter().position(relevant) {
            s.mrr += 1.0 / (rank + 1) as f64;
        }
        s.queries += 1;
    }
    if s.queries > 0 {
        s.recall_at_5 /= s.queries as f64;
        s.mrr /= s.queries as f64;
    }
    s
}

/// A loaded event with the real store and the baselines side by side.
pub struct Loaded {
    pub event_id: String,
    pub store: Store,
    pub search: SearchCache,
    pub baselines: Baselines,
    /// (kind, id) → title, to turn baseline hits into titles.
    pub titles: HashMap<(EntityKind, String), String>,
    _dir: tempfile::TempDir,
}

impl Loaded {
    pub fn new(bundle: &Bundle) -> Loaded {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path().join("device")).unwrap();
        store
            .write_content(|tx| tx.replace_with_bundle(bundle))
            .unwrap();
        let docs = flatten(bundle);
        let baselines = Baselines::build(&dir.path().join("baseline.db"), &docs);
        baselines.build_fts();
        let titles = docs
            .into_iter()
            .map(|d| ((d.kind, d.id), d.title))
            .collect();
        Loaded {
            event_id: bundle.event.id.clone(),
            store,
            search: SearchCache::default(),
            baselines,
            titles,
            _dir: dir,
        }
    }

    pub fn ours(&self, text: &str, limit: u32) -> Ranked {
        let mut q = SearchQuery::new(self.event_id.clone(), text);
        q.limit = limit;
        search::search(&self.store, &self.search, &q)
            .unwrap()
            .into_iter()
            .map(|h| (h.kind, h.title))
            .collect()
    }

    pub fn like(&self, text: &str, limit: usize) -> Ranked {
        self.named(self.baselines.like(text, limit))
    }

    pub fn fts(&self, text: &str, limit: usize) -> Ranked {
        self.named(self.baselines.fts(text, limit))
    }

    fn named(&self, hits: Vec<(EntityKind, String)>) -> Ranked {
        hits.into_iter()
            .map(|(kind, id)| {
                let title = self.titles.get(&(kind, id)).cloned().unwrap_or_default();
                (kind, title)
            })
            .collect()
    }
}

/// The events the query set refers to, by name: `demo` (the embedded demo event), `fair` (this
/// crate's fixture), or a real schedule in `shared/data/c3voc-json` (German sessions only).
pub fn load_event(name: &str, own_data: &Path, shared_data: &Path) -> Bundle {
    let file = match name {
        "demo" => {
            return marktplatz_media::demo::demo_content().unwrap().bundle;
        }
        "fair" => {
            let text = std::fs::read_to_string(own_data.join("search/fair.bundle.json")).unwrap();
            return Bundle::from_json(&text).unwrap();
        }
        "36c3" => "36c3-everything.schedule.json",
        "39c3" => "39c3-everything.schedule.json",
        "froscon2018" => "froscon2018.schedule.json",
        other => panic!("the query set names an unknown event '{other}'"),
    };
    german_sessions_only(import_schedule(
        &shared_data.join("c3voc-json").join(file),
        name,
    ))
}

/// A real schedule file through the real importer.
pub fn import_schedule(path: &Path, event_id: &str) -> Bundle {
    use marktplatz_import::{ImportOptions, import};
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let options = ImportOptions {
        event_id: Some(event_id.to_string()),
        timezone: Some("Europe/Berlin".to_string()),
        ..ImportOptions::default()
    };
    import(&bytes, &options)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .bundle
}

/// Only the sessions whose first language is German (plus every speaker, room and track).
pub fn german_sessions_only(mut bundle: Bundle) -> Bundle {
    bundle
        .sessions
        .retain(|s| s.languages.first().is_some_and(|l| l.starts_with("de")));
    bundle
}
