//! `bench publish` (`cargo run --release -p marktplatz-tests --bin bench -- publish`)
//!
//! Publishing the real 36C3 versions (issue 17): for each run, a fresh server on loopback gets
//! the day-before version, then the day-2 and the final version, each first previewed
//! (`POST .../bundle/preview`) and then published (`PUT .../bundle`), as an organiser does with
//! `marktplatz publish --dry-run` and then `marktplatz publish`. The baseline, in the same run:
//! the final version published again unchanged (preview and apply), where the plan finds
//! nothing to do. Times are the client's wall clock per request (JSON encoding, HTTP on
//! loopback, the server's plan and transaction). Target: preview + apply under 2 s.
//! Environment: `BENCH_PUBLISH_RUNS` (default 5). Writes `bench-results/publish.{json,md}`.

// A benchmark harness: anything unexpected should stop the run loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::ExitCode;
use std::time::Instant;

use marktplatz_core::sync::CancelToken;
use marktplatz_core::sync::ClientConfig;
use marktplatz_core::sync::client::Client;
use marktplatz_model::bundle::Bundle;
use marktplatz_publish::{AssetBytes, Target, preview_source, publish_source};
use marktplatz_tests::Harness;
use marktplatz_tests::bench::{Stats, machine, save};

use super::server::env_or;

const EVENT: &str = "36c3";
const TARGET_SECONDS: f64 = 2.0;

/// Milliseconds of one preview and one publish of `bundle`.
async fn preview_and_apply(client: &Client, to: &Target<'_>, bundle: &Bundle) -> (f64, f64) {
    let cancel = CancelToken::new();
    let started = Instant::now();
    preview_source(client, to, bundle, &cancel).await.unwrap();
    let preview = started.elapsed().as_secs_f64() * 1000.0;
    let started = Instant::now();
    publish_source(client, to, bundle, &AssetBytes::new(), &cancel)
        .await
        .unwrap();
    (preview, started.elapsed().as_secs_f64() * 1000.0)
}

#[derive(Default)]
struct Samples {
    first: Vec<f64>,
    preview: Vec<f64>,
    apply: Vec<f64>,
    total: Vec<f64>,
    unchanged_preview: Vec<f64>,
    unchanged_apply: Vec<f64>,
    unchanged_total: Vec<f64>,
}

pub fn run() -> ExitCode {
    let runs: usize = env_or("BENCH_PUBLISH_RUNS", 5);
    let versions = marktplatz_tests::real_36c3_versions(EVENT);
    let sessions: Vec<usize> = versions.iter().map(|b| b.sessions.len()).collect();
    let entities = versions.last().map_or(0, Bundle::entity_count);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let mut s = Samples::default();
    for _ in 0..runs {
        runtime.block_on(async {
            let h = Harness::start().await;
            let token = h.admin.create_token(EVENT, "organiser").unwrap();
            let url = format!("http://{}", h.server.addr());
            let client = Client::new(ClientConfig::default()).unwrap();
            let to = Target {
                server_url: &url,
                token: &token,
                event_id: EVENT,
                source: "schedule",
                note: "",
                confirmed: false,
            };
            let (_, first) = preview_and_apply(&client, &to, &versions[0]).await;
            s.first.push(first);
            for version in &versions[1..] {
                let (preview, apply) = preview_and_apply(&client, &to, version).await;
                s.preview.push(preview);
                s.apply.push(apply);
                s.total.push(preview + apply);
            }
            let last = versions.last().unwrap();
            let (preview, apply) = preview_and_apply(&client, &to, last).await;
            s.unchanged_preview.push(preview);
            s.unchanged_apply.push(apply);
            s.unchanged_total.push(preview + apply);
        });
    }
    let stats = |v: &[f64]| Stats::of(v);
    let total = stats(&s.total);
    let pass = total.max < TARGET_SECONDS * 1000.0;
    let json = serde_json::json!({
        "machine": machine(),
        "runs": runs,
        "sessions_per_version": sessions,
        "entities_final": entities,
        "first_publish_ms": stats(&s.first),
        "changed_version": {
            "preview_ms": stats(&s.preview),
            "apply_ms": stats(&s.apply),
            "preview_plus_apply_ms": total,
        },
        "baseline_unchanged_republish": {
            "preview_ms": stats(&s.unchanged_preview),
            "apply_ms": stats(&s.unchanged_apply),
            "preview_plus_apply_ms": stats(&s.unchanged_total),
        },
        "target_ms": TARGET_SECONDS * 1000.0,
        "pass": pass,
    });
    let row = |name: &str, v: &[f64]| {
        let st = Stats::of(v);
        format!(
            "| {name} | {} | {:.0} | {:.0} | {:.0} |\n",
            st.n, st.median, st.p90, st.max
        )
    };
    let mut md = format!(
        "# Publishing 36C3 (preview + apply)\n\n`bench publish` on {}; {runs} runs, each on a fresh \
         server on loopback (client wall clock per request, ms). The real 36C3 versions \
         ({sessions:?} sessions; {entities} entities in the final one), published in order as \
         one source; \"changed\" is the day-2 and the final version, each previewed and then \
         published; the baseline is the final version published again unchanged, in the same \
         run.\n\n| step | n | median | p90 | max |\n|---|---:|---:|---:|---:|\n",
        machine()
    );
    md.push_str(&row("first publish (empty server)", &s.first));
    md.push_str(&row("changed version: preview", &s.preview));
    md.push_str(&row("changed version: apply", &s.apply));
    md.push_str(&row("changed version: preview + apply", &s.total));
    md.push_str(&row("baseline, unchanged: preview", &s.unchanged_preview));
    md.push_str(&row("baseline, unchanged: apply", &s.unchanged_apply));
    md.push_str(&row(
        "baseline, unchanged: preview + apply",
        &s.unchanged_total,
    ));
    md.push_str(&format!(
        "\nTarget: preview + apply of a changed version under {TARGET_SECONDS} s, every sample: \
         **{}** (max {:.0} ms).\n",
        if pass { "PASS" } else { "MISS" },
        total.max
    ));
    print!("{md}");
    // A miss is a figure to read (PASS/MISS above), not a failed run.
    match save("publish", &json, &md) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
