//! `bench web-search` (`cargo run --profile bench -p marktplatz-tests --bin bench -- web-search`)
//!
//! Search on the web programme of the real 36C3 (issue 20): the server's in-memory index
//! (`marktplatz_search::MemoryIndex`, built from the published bundle once per head) against the
//! device's search on the same content in the same run (`marktplatz_core::search` over its
//! SQLite FTS5 index, snapshot warm) as the baseline. The same fixed query set
//! (`search_baselines::QUERIES_36C3`), each query run `BENCH_WEB_SEARCH_RUNS` times (default
//! 30) with the typed words' expansions forgotten before each run, so the work is measured and
//! not a cache. Both must give the same hits in the same order (checked for every query).
//! Also: the index build (in memory vs the device's full FTS5 rebuild), and the whole answer
//! over HTTP on loopback (`GET /e/36c3/search?q=…`, made every time: store read, bundle, search,
//! template). Writes `bench-results/web-search.{json,md}`.

// A benchmark harness: anything unexpected should stop the run loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::ExitCode;
use std::time::Instant;

use chrono::{TimeZone, Utc};
use marktplatz_core::search::{SearchCache, SearchHit, SearchQuery, search, warm_search};
use marktplatz_core::store::Store;
use marktplatz_core::store::search_index::rebuild_all;
use marktplatz_search::MemoryIndex;
use marktplatz_tests::Harness;
use marktplatz_tests::bench::{Stats, machine, save};
use marktplatz_tests::raw_http::get;
use marktplatz_tests::search_baselines::QUERIES_36C3;

use super::server::env_or;

const EVENT: &str = "36c3";

fn ms(started: Instant) -> f64 {
    started.elapsed().as_secs_f64() * 1000.0
}

pub fn run() -> ExitCode {
    let runs: usize = env_or("BENCH_WEB_SEARCH_RUNS", 30);
    let bundle = marktplatz_tests::real_36c3_versions(EVENT).pop().unwrap();
    let now = Utc.with_ymd_and_hms(2019, 12, 28, 12, 0, 0).unwrap();
    let query = |text: &str| {
        let mut q = SearchQuery::new(EVENT, text);
        q.now = now;
        q.limit = 60;
        q
    };

    // The device: its store, its FTS5 index, its warm snapshot.
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    store
        .write_content(|tx| tx.replace_with_bundle(&bundle))
        .unwrap();
    let cache = SearchCache::default();
    warm_search(&store, &cache).unwrap();
    let mut device_build = Vec::new();
    for _ in 0..runs.clamp(3, 10) {
        let started = Instant::now();
        store.write_content(|tx| rebuild_all(tx.sql())).unwrap();
        device_build.push(ms(started));
    }
    // A rebuild renumbers the index's rows by kind; applying the bundle again writes them in the
    // order a sync does (`Bundle::entities`), the order the server's index has and the last
    // tie-breaker of the ranking. Neither bumps the snapshot's key: it must go.
    store
        .write_content(|tx| tx.replace_with_bundle(&bundle))
        .unwrap();
    cache.clear();
    warm_search(&store, &cache).unwrap();

    // The server's index, built as the server builds it.
    let mut memory_build = Vec::new();
    let mut index = MemoryIndex::build(&bundle);
    for _ in 0..runs.clamp(3, 10) {
        let started = Instant::now();
        index = MemoryIndex::build(&bundle);
        memory_build.push(ms(started));
    }

    let mut web_all = Vec::new();
    let mut device_all = Vec::new();
    let mut rows = Vec::new();
    let mut total_hits = 0;
    for text in QUERIES_36C3 {
        let q = query(text);
        let on_device = search(&store, &cache, &q).unwrap();
        let on_web = index.search(&q);
        // The device adds its sessions' day, time and place; the engine's part must agree.
        let on_device: Vec<_> = on_device
            .into_iter()
            .map(|hit| SearchHit {
                when_and_where: None,
                ..hit
            })
            .collect();
        assert_eq!(
            on_web, on_device,
            "the web and the device differ for {text:?}"
        );
        total_hits += on_web.len();
        let (mut web, mut device) = (Vec::new(), Vec::new());
        for _ in 0..runs {
            index.forget_expansions();
            let started = Instant::now();
            std::hint::black_box(index.search(&q));
            web.push(ms(started));
            cache.forget_expansions();
            let started = Instant::now();
            std::hint::black_box(search(&store, &cache, &q).unwrap());
            device.push(ms(started));
        }
        web_all.extend_from_slice(&web);
        device_all.extend_from_slice(&device);
        rows.push((
            *text,
            on_web.len(),
            Stats::of(&web).median,
            Stats::of(&device).median,
        ));
    }

    // The whole answer over HTTP (the page as the browser gets it, made every time).
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let http = runtime.block_on(async {
        let h = Harness::start().await;
        h.publish(&bundle);
        let addr = h.server.addr();
        let mut http = Vec::new();
        for text in QUERIES_36C3 {
            let path = format!(
                "/e/{EVENT}/search?fragment=1&q={}",
                text.bytes()
                    .map(|b| format!("%{b:02X}"))
                    .collect::<String>()
            );
            let first = get(addr, &path, &[]).await;
            assert_eq!(first.status, 200, "{}", first.text());
            for _ in 0..runs.min(10) {
                let started = Instant::now();
                let answer = get(addr, &path, &[]).await;
                http.push(ms(started));
                assert_eq!(answer.status, 200);
            }
        }
        http
    });

    let web = Stats::of(&web_all);
    let device = Stats::of(&device_all);
    let http = Stats::of(&http);
    let memory_build = Stats::of(&memory_build);
    let device_build = Stats::of(&device_build);
    let json = serde_json::json!({
        "machine": machine(),
        "runs": runs,
        "sessions": bundle.sessions.len(),
        "documents": index.len(),
        "index_bytes": index.heap_bytes(),
        "queries": QUERIES_36C3,
        "hits": total_hits,
        "same_hits_as_device": true,
        "web_query_ms": web,
        "device_query_ms": device,
        "http_fragment_ms": http,
        "web_build_ms": memory_build,
        "device_rebuild_ms": device_build,
        "per_query": rows.iter().map(|(q, n, w, d)| serde_json::json!({
            "query": q, "hits": n, "web_median_ms": w, "device_median_ms": d,
        })).collect::<Vec<_>>(),
    });
    let mut md = format!(
        "# Search on the web programme of 36C3 (issue 20)\n\n`bench web-search` on {}; 36C3 \
         final: {} sessions, {} indexed entities; {} queries × {runs} runs each, expansions \
         forgotten before every run. Both indexes gave the same {total_hits} hits in the same \
         order for every query.\n\n\
         | what | median ms | p90 | max |\n|---|---:|---:|---:|\n\
         | server: in-memory index, one query | {:.3} | {:.3} | {:.3} |\n\
         | baseline: the device's search (FTS5, warm snapshot), one query | {:.3} | {:.3} | {:.3} |\n\
         | server over HTTP: `GET /e/36c3/search?q=…&fragment=1` (made every time) | {:.2} | {:.2} | {:.2} |\n\
         | server: index build from the bundle | {:.1} | {:.1} | {:.1} |\n\
         | baseline: the device's full FTS5 index rebuild | {:.1} | {:.1} | {:.1} |\n\n\
         Ratios server / device: query {:.2}, build {:.2}. The in-memory index holds about \
         {:.1} MB.\n\n| query | hits | server ms | device ms |\n|---|---:|---:|---:|\n",
        machine(),
        bundle.sessions.len(),
        index.len(),
        QUERIES_36C3.len(),
        web.median,
        web.p90,
        web.max,
        device.median,
        device.p90,
        device.max,
        http.median,
        http.p90,
        http.max,
        memory_build.median,
        memory_build.p90,
        memory_build.max,
        device_build.median,
        device_build.p90,
        device_build.max,
        web.median / device.median,
        memory_build.median / device_build.median,
        index.heap_bytes() as f64 / 1_048_576.0,
    );
    for (q, n, w, d) in &rows {
        md.push_str(&format!("| `{q}` | {n} | {w:.3} | {d:.3} |\n"));
    }
    print!("{md}");
    match save("web-search", &json, &md) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench web-search: {e}");
            ExitCode::FAILURE
        }
    }
}
