//! `bench web-programme` (`cargo run --profile bench -p marktplatz-tests --bin bench -- web-programme`)
//!
//! The attendee programme page of the real 36C3 (issue 20): 1,351 sessions published to a
//! server on loopback, one conference day rendered (`GET /e/36c3/?day=2019-12-28`, no
//! `If-None-Match`, so the page is made every time: store read, parse, agenda, template).
//! Measured: the client's wall clock per request (median) and the page's bytes as sent gzip
//! compressed; and, in the process, the rendering alone (`programme::agenda_html`). Baseline
//! in the same run: the whole event as one JSON bundle (`GET /v1/events/36c3/bundle`), what a
//! page without a server-side agenda would have to load and filter in the browser.
//! Targets: under 20 ms, under 150 KB compressed. Environment: `BENCH_WEB_RUNS` (default 30).
//! Writes `bench-results/web-programme.{json,md}`.

// A benchmark harness: anything unexpected should stop the run loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::ExitCode;
use std::time::Instant;

use chrono::Utc;
use marktplatz_tests::Harness;
use marktplatz_tests::bench::{Stats, machine, save};
use marktplatz_tests::raw_http::get;

use super::server::env_or;

const EVENT: &str = "36c3";
const DAY: &str = "2019-12-28";
const TARGET_MS: f64 = 20.0;
const TARGET_KB: f64 = 150.0;

pub fn run() -> ExitCode {
    let runs: usize = env_or("BENCH_WEB_RUNS", 30);
    let bundle = marktplatz_tests::real_36c3_versions(EVENT).pop().unwrap();
    let sessions = bundle.sessions.len();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (page, page_gzip, page_html, bundle_ms, bundle_gzip) = runtime.block_on(async {
        let h = Harness::start().await;
        h.publish(&bundle);
        let addr = h.server.addr();
        let gzip = [("accept-encoding", "gzip"), ("accept-language", "de")];
        let path = format!("/e/{EVENT}/?day={DAY}");
        let mut page = Vec::new();
        let mut page_gzip = 0;
        let mut page_html = 0;
        let plain = get(addr, &path, &[("accept-language", "de")]).await;
        assert_eq!(plain.status, 200, "{}", plain.text());
        page_html = page_html.max(plain.body.len());
        for _ in 0..runs {
            let started = Instant::now();
            let answer = get(addr, &path, &gzip).await;
            page.push(started.elapsed().as_secs_f64() * 1000.0);
            assert_eq!(answer.status, 200);
            assert_eq!(answer.header("content-encoding"), Some("gzip"));
            page_gzip = answer.body.len();
        }
        let bundle_path = format!("/v1/events/{EVENT}/bundle");
        let mut bundle_ms = Vec::new();
        let mut bundle_gzip = 0;
        for _ in 0..runs {
            let started = Instant::now();
            let answer = get(addr, &bundle_path, &gzip).await;
            bundle_ms.push(started.elapsed().as_secs_f64() * 1000.0);
            assert_eq!(answer.status, 200);
            bundle_gzip = answer.body.len();
        }
        (page, page_gzip, page_html, bundle_ms, bundle_gzip)
    });
    let mut render = Vec::new();
    let mut rows = 0;
    for _ in 0..runs {
        let copy = bundle.clone();
        let started = Instant::now();
        let html = marktplatz_server::programme::agenda_html(copy, "de", DAY, Utc::now()).unwrap();
        render.push(started.elapsed().as_secs_f64() * 1000.0);
        rows = html.matches("class=\"time\"").count();
    }
    let page = Stats::of(&page);
    let render = Stats::of(&render);
    let baseline = Stats::of(&bundle_ms);
    let kb = page_gzip as f64 / 1024.0;
    let pass = page.median < TARGET_MS && kb < TARGET_KB;
    let json = serde_json::json!({
        "machine": machine(),
        "runs": runs,
        "sessions": sessions,
        "day": DAY,
        "sessions_on_the_page": rows,
        "page_ms": page,
        "render_only_ms": render,
        "page_bytes_html": page_html,
        "page_bytes_gzip": page_gzip,
        "baseline_bundle_ms": baseline,
        "baseline_bundle_bytes_gzip": bundle_gzip,
        "target_ms": TARGET_MS,
        "target_kb_gzip": TARGET_KB,
        "pass": pass,
    });
    let md = format!(
        "# The attendee programme page of 36C3 (issue 20)\n\n`bench web-programme` on {}; {runs} \
         requests each, on loopback, client wall clock (ms). 36C3 final: {sessions} sessions; \
         the page of {DAY} lists {rows} of them (agenda with day tabs, filters, now/next, \
         announcements).\n\n| what | median | p90 | max | bytes gzip |\n|---|---:|---:|---:|---:|\n\
         | `GET /e/36c3/?day={DAY}` (the page, made every time) | {:.2} | {:.2} | {:.2} | {} ({:.1} KB; {} uncompressed) |\n\
         | rendering alone (index, agenda, template; in process) | {:.2} | {:.2} | {:.2} | |\n\
         | baseline: `GET /v1/events/36c3/bundle` (the whole event) | {:.2} | {:.2} | {:.2} | {} |\n\n\
         Ratio page / baseline: time {:.2}, bytes {:.3}. Targets: < {TARGET_MS} ms, < {TARGET_KB} KB \
         gzip: **{}**.\n",
        machine(),
        page.median,
        page.p90,
        page.max,
        page_gzip,
        kb,
        page_html,
        render.median,
        render.p90,
        render.max,
        baseline.median,
        baseline.p90,
        baseline.max,
        bundle_gzip,
        page.median / baseline.median,
        page_gzip as f64 / bundle_gzip as f64,
        if pass { "PASS" } else { "MISS" },
    );
    print!("{md}");
    match save("web-programme", &json, &md) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench web-programme: {e}");
            ExitCode::FAILURE
        }
    }
}
