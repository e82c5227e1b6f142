//! `bench-feeds`: how long the server takes to answer the calendar feed of 36C3 (the final
//! schedule, 1,351 sessions) over loopback, against the bundle of the same event (the whole
//! programme as JSON, the server's other whole-event answer) measured in the same run. Writes
//! bench-results/web-feeds.{md,json} (the report's "Web feeds" row). Run by `scripts/bench.sh
//! web-feeds` (release; needs ../shared/data).

// A benchmark harness: anything unexpected should stop the run loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::time::Instant;

use marktplatz_tests::{Harness, raw_http};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const EVENT: &str = "36c3";
const WARMUP: usize = 5;
const RUNS: usize = 41;
/// Issue 20: the whole feed of 36C3 in under 50 ms.
const TARGET_MS: f64 = 50.0;

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

async fn time_get(h: &Harness, path: &str) -> (f64, usize) {
    let addr = h.server.addr();
    for _ in 0..WARMUP {
        assert_eq!(raw_http::get(addr, path, &[]).await.status, 200, "{path}");
    }
    let mut samples = Vec::with_capacity(RUNS);
    let mut bytes = 0;
    for _ in 0..RUNS {
        let started = Instant::now();
        let response = raw_http::get(addr, path, &[]).await;
        samples.push(started.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(response.status, 200, "{path}");
        bytes = response.body.len();
    }
    (median(samples), bytes)
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let h = Harness::start().await;
        let final_schedule = marktplatz_tests::real_36c3_versions(EVENT).pop().unwrap();
        let sessions = final_schedule.sessions.len();
        h.publish(&final_schedule);
        let feed_path = format!("/e/{EVENT}/calendar.ics");
        let (feed_ms, feed_bytes) = time_get(&h, &feed_path).await;
        let (bundle_ms, bundle_bytes) = time_get(&h, &format!("/v1/events/{EVENT}/bundle")).await;
        let track = format!("{feed_path}?track=Security");
        let (track_ms, track_bytes) = time_get(&h, &track).await;

        let mut report = String::new();
        writeln!(report, "# Calendar feeds: 36C3 ({sessions} sessions)\n").unwrap();
        writeln!(
            report,
            "`scripts/bench.sh web-feeds` (release; loopback GET, \
             no If-None-Match, median of {RUNS} after {WARMUP} warm-up requests; 2 shared cores)\n"
        )
        .unwrap();
        writeln!(
            report,
            "| answer | median ms | bytes | ratio to the bundle |"
        )
        .unwrap();
        writeln!(report, "|---|---|---|---|").unwrap();
        for (name, ms, bytes) in [
            (
                "`/e/36c3/calendar.ics` (whole programme)",
                feed_ms,
                feed_bytes,
            ),
            (
                "`/e/36c3/calendar.ics?track=Security`",
                track_ms,
                track_bytes,
            ),
            (
                "`/v1/events/36c3/bundle` (baseline, JSON)",
                bundle_ms,
                bundle_bytes,
            ),
        ] {
            writeln!(
                report,
                "| {name} | {ms:.2} | {bytes} | {:.2} |",
                ms / bundle_ms
            )
            .unwrap();
        }
        let verdict = if feed_ms < TARGET_MS { "PASS" } else { "MISS" };
        writeln!(
            report,
            "\nTarget: the whole feed in under 50 ms: {verdict} ({feed_ms:.2} ms)."
        )
        .unwrap();
        print!("{report}");
        let json = serde_json::json!({
            "machine": marktplatz_tests::bench::machine(),
            "sessions": sessions,
            "runs": RUNS,
            "feed_ms": feed_ms,
            "feed_bytes": feed_bytes,
            "track_feed_ms": track_ms,
            "track_feed_bytes": track_bytes,
            "baseline_bundle_ms": bundle_ms,
            "baseline_bundle_bytes": bundle_bytes,
            "target_ms": TARGET_MS,
            "pass": feed_ms < TARGET_MS,
        });
        marktplatz_tests::bench::save("web-feeds", &json, &report).unwrap();
    });
}
