//! `cargo run --release -p marktplatz-tests --bin bench-search`
//!
//! Search latency per keystroke (every prefix of every query, as typed), index size and build
//! time, on the 36C3 schedule and on a synthetic 20,000-entity event, next to two baselines: a
//! `LIKE '%q%'` scan and plain FTS5 with a prefix query. Prints a table and writes
//! `bench-results/search.json` and `bench-results/search.md`.

// A benchmark harness: anything unexpected should stop the run loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use marktplatz_core::search::{self, SearchCache, SearchQuery};
use marktplatz_core::store::search_index::rebuild_all;
use marktplatz_core::store::{CONTENT_DB, Store};
use marktplatz_model::bundle::Bundle;
use marktplatz_tests::bench::{Stats, thread_cpu_ms};
use marktplatz_tests::search_baselines::{Baselines, QUERIES_36C3, flatten};
use marktplatz_tests::search_eval::import_schedule;
use marktplatz_tests::{shared_data_dir, synthetic};
use serde::Serialize;

const QUERIES_SYNTHETIC: &[&str] = &[
    "Verwaltungsdigitalisierung",
    "Bürgerportal",
    "Buergerportal",
    "rechnung",
    "sicherheit",
    "Digitalisirung",
    "Sicherhiet",
    "E-Rechnung Kommunen",
    "Onlinezugangsgesetz",
    "Müller Oldenburg",
    "Station 12",
    "Kataster",
    "\"digitale Zukunft\"",
    "Cloudstrategie Bremen",
    "Datenschutz",
    "Strassenbau",
    "Landkreis Ammerland",
    "Janssen",
    "Akteneingang",
    "Geoportal",
];

const REPEATS: usize = 5;

#[derive(Serialize, Default, Clone)]
struct Latency {
    /// Over keystrokes, each the median of its runs.
    p50_ms: f64,
    p99_ms: f64,
    max_ms: f64,
    mean_ms: f64,
    /// p99 over every single run (includes interference from other processes).
    raw_p99_ms: f64,
    /// The same keystrokes in thread CPU time (median of the runs).
    cpu_p50_ms: f64,
    cpu_p99_ms: f64,
    keystrokes: usize,
}

#[derive(Default)]
struct Samples {
    medians: Vec<f64>,
    all: Vec<f64>,
    cpu_medians: Vec<f64>,
    labels: Vec<String>,
}

/// Runs `f`, returning (wall ms, thread CPU ms).
fn timed<T>(f: impl FnOnce() -> T) -> (f64, f64) {
    let cpu = thread_cpu_ms();
    let started = Instant::now();
    std::hint::black_box(f());
    (ms(started), thread_cpu_ms() - cpu)
}

impl Samples {
    fn keystroke(&mut self, mut run: impl FnMut() -> (f64, f64)) {
        let (mut wall, mut cpu): (Vec<f64>, Vec<f64>) = (0..REPEATS).map(|_| run()).unzip();
        self.all.extend(&wall);
        wall.sort_by(|a, b| a.partial_cmp(b).unwrap());
        cpu.sort_by(|a, b| a.partial_cmp(b).unwrap());
        self.medians.push(wall[REPEATS / 2]);
        self.cpu_medians.push(cpu[REPEATS / 2]);
    }

    /// The slowest keystrokes (median CPU ms, typed text), for finding what to improve.
    fn slowest(&self, n: usize) -> Vec<(f64, String)> {
        let mut all: Vec<(f64, String)> = self
            .cpu_medians
            .iter()
            .copied()
            .zip(self.labels.iter().cloned())
            .collect();
        all.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap());
        all.truncate(n);
        all
    }

    fn latency(&self) -> Latency {
        let mut l = latency(self.medians.clone());
        l.raw_p99_ms = latency(self.all.clone()).p99_ms;
        let cpu = latency(self.cpu_medians.clone());
        l.cpu_p50_ms = cpu.p50_ms;
        l.cpu_p99_ms = cpu.p99_ms;
        l
    }
}

#[derive(Serialize)]
struct EngineResult {
    engine: &'static str,
    latency: Latency,
    index_bytes: u64,
    build_ms: f64,
}

#[derive(Serialize)]
struct DatasetResult {
    dataset: String,
    entities: usize,
    vocabulary_terms: usize,
    content_load_with_index_ms: f64,
    /// First query after a content change: loads the vocabulary and ranking fields.
    cold_snapshot_ms: f64,
    /// The snapshot persisted as a device does after a sync (`search.snapshot`), medians.
    persisted: Persisted,
    engines: Vec<EngineResult>,
}

#[derive(Serialize)]
struct Persisted {
    /// Rebuilding the snapshot from content.db (what every new process did before).
    rebuild_ms: Stats,
    /// Rebuilding it and writing the file (the warm-up after a sync).
    rebuild_and_write_ms: Stats,
    /// Reading it back (a new process's first search), wall and this thread's CPU time.
    read_ms: Stats,
    read_cpu_ms: Stats,
    bytes: u64,
}

/// Rounds of each persisted-snapshot figure.
const PERSIST_ROUNDS: usize = 11;

/// Times the persisted snapshot's write and read against a rebuild, over `store`'s content.
fn persisted(store: &Store) -> Persisted {
    let file = store.dir().join(search::SNAPSHOT_FILE);
    let (mut rebuild, mut write, mut read, mut read_cpu) = (vec![], vec![], vec![], vec![]);
    for _ in 0..PERSIST_ROUNDS {
        rebuild.push(timed(|| search::warm_search(store, &SearchCache::default()).unwrap()).0);
        if file.exists() {
            std::fs::remove_file(&file).unwrap();
        }
        let writer = SearchCache::persisted_in(store.dir());
        write.push(timed(|| search::warm_search(store, &writer).unwrap()).0);
        assert_eq!(writer.persist_problem(), None);
        let reader = SearchCache::persisted_in(store.dir());
        let (wall, cpu) = timed(|| search::warm_search(store, &reader).unwrap());
        assert!(reader.stats().unwrap().loaded_from_file);
        read.push(wall);
        read_cpu.push(cpu);
    }
    Persisted {
        rebuild_ms: Stats::of(&rebuild),
        rebuild_and_write_ms: Stats::of(&write),
        read_ms: Stats::of(&read),
        read_cpu_ms: Stats::of(&read_cpu),
        bytes: std::fs::metadata(&file).unwrap().len(),
    }
}

fn main() {
    let data = shared_data_dir();
    let datasets: Vec<(String, Bundle, &[&str])> = vec![
        (
            "36C3 (c3voc JSON, all 1351 events)".to_string(),
            import_schedule(
                &data.join("c3voc-json/36c3-everything.schedule.json"),
                "36c3",
            ),
            QUERIES_36C3,
        ),
        (
            "synthetic 20,000 entities".to_string(),
            synthetic::event("synthetic", 20_000),
            QUERIES_SYNTHETIC,
        ),
    ];
    let mut results = Vec::new();
    let only = std::env::var("BENCH_ONLY").ok();
    for (name, bundle, queries) in datasets {
        if only.as_ref().is_some_and(|o| !name.contains(o.as_str())) {
            continue;
        }
        eprintln!("== {name}");
        results.push(run(&name, &bundle, queries));
    }
    let out = marktplatz_tests::bench::results_dir();
    std::fs::create_dir_all(&out).unwrap();
    let json = serde_json::json!({
        "machine": machine(),
        "profile": if cfg!(debug_assertions) { "debug" } else { "release" },
        "datasets": results,
    });
    std::fs::write(
        out.join("search.json"),
        serde_json::to_string_pretty(&json).unwrap(),
    )
    .unwrap();
    let markdown = markdown(&results);
    std::fs::write(out.join("search.md"), &markdown).unwrap();
    println!("{markdown}");
    println!("written: {}", out.join("search.{json,md}").display());
}

fn run(name: &str, bundle: &Bundle, queries: &[&str]) -> DatasetResult {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("device")).unwrap();
    let cache = SearchCache::default();
    let started = Instant::now();
    store
        .write_content(|tx| tx.replace_with_bundle(bundle))
        .unwrap();
    let load_ms = ms(started);
    // A full rebuild of the index alone.
    let started = Instant::now();
    store.write_content(|tx| rebuild_all(tx.sql())).unwrap();
    let build_ms = ms(started);
    cache.clear();
    let content = rusqlite::Connection::open(dir.path().join("device").join(CONTENT_DB)).unwrap();
    content
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .unwrap();
    let index_bytes: i64 = content
        .query_row(
            "SELECT coalesce(sum(pgsize), 0) FROM dbstat
             WHERE name LIKE 'search%' OR name LIKE 'sqlite_autoindex_search%'",
            [],
            |r| r.get(0),
        )
        .unwrap();

    let started = Instant::now();
    search::search(
        &store,
        &cache,
        &SearchQuery::new(bundle.event.id.clone(), "a"),
    )
    .unwrap();
    let cold_ms = ms(started);
    let stats = cache.stats().unwrap();

    let docs = flatten(bundle);
    let started = Instant::now();
    let baselines = Baselines::build(&dir.path().join("baseline.db"), &docs);
    let like_build_ms = ms(started);
    let started = Instant::now();
    baselines.build_fts();
    let fts_build_ms = ms(started);
    baselines
        .conn
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .unwrap();

    if let Ok(probe) = std::env::var("BENCH_PROBE") {
        let rounds: usize = std::env::var("BENCH_PROBE_ROUNDS")
            .ok()
            .and_then(|r| r.parse().ok())
            .unwrap_or(5);
        for text in probe.split('|') {
            for _ in 0..rounds {
                let q = SearchQuery::new(bundle.event.id.clone(), text.to_string());
                if std::env::var_os("BENCH_PROBE_FORGET").is_some() {
                    cache.forget_expansions();
                }
                let started = Instant::now();
                search::search(&store, &cache, &q).unwrap();
                eprintln!("  [{text}] {:.3} ms", ms(started));
            }
        }
        if std::env::var_os("BENCH_PROBE_ONLY").is_some() {
            std::process::exit(0);
        }
    }
    // Each keystroke runs REPEATS times (the typed word's expansion forgotten each time, so
    // every run does the full work); its median counts, which keeps other processes on this
    // shared machine from deciding the figures. All runs are kept for the "raw" p99 too.
    let mut ours = Samples::default();
    let mut like = Samples::default();
    let mut fts = Samples::default();
    for query in queries {
        let chars: Vec<char> = query.chars().collect();
        for end in 1..=chars.len() {
            let typed: String = chars[..end].iter().collect();
            let mut q = SearchQuery::new(bundle.event.id.clone(), typed.clone());
            q.limit = 20;
            ours.labels.push(typed.clone());
            ours.keystroke(|| {
                cache.forget_expansions();
                timed(|| search::search(&store, &cache, &q).unwrap())
            });
            like.keystroke(|| timed(|| baselines.like(&typed, 20)));
            fts.keystroke(|| timed(|| baselines.fts(&typed, 20)));
        }
    }
    for (ms, typed) in ours.slowest(10) {
        eprintln!("  slow: {ms:.3} ms CPU {typed:?}");
    }
    let result = DatasetResult {
        dataset: name.to_string(),
        entities: docs.len(),
        vocabulary_terms: stats.terms,
        content_load_with_index_ms: load_ms,
        cold_snapshot_ms: cold_ms,
        persisted: persisted(&store),
        engines: vec![
            EngineResult {
                engine: "marktplatz search",
                latency: ours.latency(),
                index_bytes: index_bytes as u64,
                build_ms,
            },
            EngineResult {
                engine: "LIKE '%q%' scan",
                latency: like.latency(),
                index_bytes: baselines.size_of("like_doc"),
                build_ms: like_build_ms,
            },
            EngineResult {
                engine: "plain FTS5 prefix",
                latency: fts.latency(),
                index_bytes: baselines.size_of("plain_fts%"),
                build_ms: fts_build_ms,
            },
        ],
    };
    for e in &result.engines {
        eprintln!(
            "  {:<18} p50 {:.3} ms  p99 {:.3} ms  max {:.3} ms  cpu p50 {:.3} p99 {:.3}",
            e.engine,
            e.latency.p50_ms,
            e.latency.p99_ms,
            e.latency.max_ms,
            e.latency.cpu_p50_ms,
            e.latency.cpu_p99_ms
        );
    }
    result
}

fn ms(started: Instant) -> f64 {
    started.elapsed().as_secs_f64() * 1000.0
}

fn latency(mut samples: Vec<f64>) -> Latency {
    samples.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let at = |p: f64| {
        let index = ((samples.len() as f64 - 1.0) * p).round() as usize;
        samples[index.min(samples.len() - 1)]
    };
    Latency {
        p50_ms: at(0.50),
        p99_ms: at(0.99),
        max_ms: *samples.last().unwrap(),
        raw_p99_ms: 0.0,
        cpu_p50_ms: 0.0,
        cpu_p99_ms: 0.0,
        mean_ms: samples.iter().sum::<f64>() / samples.len() as f64,
        keystrokes: samples.len(),
    }
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|s| s.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!("{cpu}, {cores} cores")
}

fn markdown(results: &[DatasetResult]) -> String {
    let mut md = String::from("# Search benchmark\n\n");
    md.push_str(&format!(
        "Machine: {}. Profile: {}. Every prefix of every query, as typed, limit 20; each keystroke run {REPEATS} times, its median counted (raw p99: over every run).\n\n",
        machine(),
        if cfg!(debug_assertions) { "debug" } else { "release" }
    ));
    for r in results {
        md.push_str(&format!(
            "## {}\n\n{} entities, {} indexed words; content load incl. index {:.0} ms; first query after a change (snapshot load) {:.1} ms.\n\n",
            r.dataset, r.entities, r.vocabulary_terms, r.content_load_with_index_ms, r.cold_snapshot_ms
        ));
        let p = &r.persisted;
        md.push_str(&format!(
            "The snapshot persisted as after a sync (`search.snapshot`, {:.2} MB), medians of {PERSIST_ROUNDS}: rebuilt from content.db {:.1} ms; rebuilt and written {:.1} ms; read back by a new process's first search {:.2} ms (CPU {:.2} ms), {:.0}× faster than the rebuild.\n\n",
            p.bytes as f64 / 1e6,
            p.rebuild_ms.median,
            p.rebuild_and_write_ms.median,
            p.read_ms.median,
            p.read_cpu_ms.median,
            p.rebuild_ms.median / p.read_ms.median.max(1e-9)
        ));
        md.push_str("| engine | keystrokes | p50 ms | p99 ms | max ms | mean ms | raw p99 ms | CPU p50 ms | CPU p99 ms | index size | build ms |\n");
        md.push_str("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for e in &r.engines {
            md.push_str(&format!(
                "| {} | {} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.2} MB | {:.0} |\n",
                e.engine,
                e.latency.keystrokes,
                e.latency.p50_ms,
                e.latency.p99_ms,
                e.latency.max_ms,
                e.latency.mean_ms,
                e.latency.raw_p99_ms,
                e.latency.cpu_p50_ms,
                e.latency.cpu_p99_ms,
                e.index_bytes as f64 / 1_048_576.0,
                e.build_ms
            ));
        }
        md.push('\n');
    }
    md
}
