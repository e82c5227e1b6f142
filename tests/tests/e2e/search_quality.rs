#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The German query set (`tests/data/search/queries.de.json`) over the fixture fair and the German
//! sessions of 36C3, 39C3 and FrOSCon 2018: recall@5 and MRR of the real search next to the two
//! baselines (`LIKE '%q%'` and plain FTS5 with a prefix query). Run with `--nocapture` to see the
//! table.

use std::collections::BTreeMap;

use marktplatz_tests::search_eval::{Loaded, QueryCase, Ranked, Scores, load_event, score};
use marktplatz_tests::{own_data, shared_data_dir};

const LIMIT: usize = 10;

#[test]
fn german_query_set_beats_both_baselines() {
    let own = own_data();
    let shared = shared_data_dir();
    let text = std::fs::read_to_string(own.join("search/queries.de.json")).unwrap();
    let cases: Vec<QueryCase> = serde_json::from_str(&text).unwrap();
    assert!(
        cases.len() >= 40,
        "the query set must hold at least 40 queries"
    );

    let mut events: BTreeMap<String, Loaded> = BTreeMap::new();
    for case in &cases {
        if !events.contains_key(&case.event) {
            let bundle = load_event(&case.event, &own, &shared);
            events.insert(case.event.clone(), Loaded::new(&bundle));
        }
    }

    let mut ours: Vec<(&QueryCase, Ranked)> = Vec::new();
    let mut like: Vec<(&QueryCase, Ranked)> = Vec::new();
    let mut fts: Vec<(&QueryCase, Ranked)> = Vec::new();
    for case in &cases {
        let loaded = &events[&case.event];
        ours.push((case, loaded.ours(&case.query, LIMIT as u32)));
        like.push((case, loaded.like(&case.query, LIMIT)));
        fts.push((case, loaded.fts(&case.query, LIMIT)));
    }

    println!(
        "\n{:<14} {:>7} | {:>22} | {:>22} | {:>22}",
        "event", "queries", "marktplatz R@5 / MRR", "LIKE R@5 / MRR", "plain FTS5 R@5 / MRR"
    );
    let names: Vec<String> = events.keys().cloned().chain(["all".to_string()]).collect();
    let mut overall = (Scores::default(), Scores::default(), Scores::default());
    for name in &names {
        let (o, l, f) = (
            score(&pick(&ours, name)),
            score(&pick(&like, name)),
            score(&pick(&fts, name)),
        );
        println!(
            "{:<14} {:>7} | {:>10.3} / {:>9.3} | {:>10.3} / {:>9.3} | {:>10.3} / {:>9.3}",
            name, o.queries, o.recall_at_5, o.mrr, l.recall_at_5, l.mrr, f.recall_at_5, f.mrr
        );
        overall = (o, l, f);
    }
    println!("\nqueries where marktplatz misses an expected hit in its top 5:");
    for (case, ranked) in &ours {
        let missing: Vec<&str> = case
            .expect
            .iter()
            .filter(|e| {
                !ranked
                    .iter()
                    .take(5)
                    .any(|h| h.0 == e.kind && h.1 == e.title)
            })
            .map(|e| e.title.as_str())
            .collect();
        if !missing.is_empty() {
            println!(
                "  [{}] {:?} ({}): missing {:?}; got {:?}",
                case.event,
                case.query,
                case.rule,
                missing,
                ranked
                    .iter()
                    .take(5)
                    .map(|h| h.1.as_str())
                    .collect::<Vec<_>>()
            );
        }
    }

    let (o, l, f) = overall;
    assert!(
        o.recall_at_5 > l.recall_at_5 && o.recall_at_5 > f.recall_at_5,
        "recall@5 must beat both baselines: ours {:.3}, LIKE {:.3}, FTS5 {:.3}",
        o.recall_at_5,
        l.recall_at_5,
        f.recall_at_5
    );
    assert!(
        o.mrr > l.mrr && o.mrr > f.mrr,
        "MRR must beat both baselines: ours {:.3}, LIKE {:.3}, FTS5 {:.3}",
        o.mrr,
        l.mrr,
        f.mrr
    );
    assert!(
        o.recall_at_5 >= 0.9,
        "recall@5 fell to {:.3}",
        o.recall_at_5
    );
    assert!(o.mrr >= 0.85, "MRR fell to {:.3}", o.mrr);
}

/// The runs of one event (or of all, for "all").
fn pick<'a>(runs: &[(&'a QueryCase, Ranked)], name: &str) -> Vec<(&'a QueryCase, Ranked)> {
    runs.iter()
        .filter(|(c, _)| name == "all" || c.event == name)
        .map(|(c, r)| (*c, r.clone()))
        .collect()
}
