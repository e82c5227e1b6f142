//! `bench memory` (`cargo run --release -p marktplatz-tests --bin bench -- memory`)
//!
//! Peak resident memory of the device process during the initial sync of the synthetic
//! 20,000-entity event and during searching it (every prefix of the search benchmark's queries,
//! as typed). Each side runs in its own fresh process (`bench memory-child device` or
//! `baseline`) against a server in the parent; the peak is the kernel's `VmHWM`, reset between the
//! two phases (`/proc/self/clear_refs`). Baseline: what the schedule apps do, downloading the
//! whole schedule file, parsing it into objects and scanning them for the typed text. Writes
//! `bench-results/memory.{json,md}`.

// A benchmark harness: anything unexpected should stop the run loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use marktplatz_core::device::Device;
use marktplatz_core::search::SearchQuery;
use marktplatz_model::bundle::Bundle;
use marktplatz_model::text::fold;
use marktplatz_tests::bench::{machine, save, synthetic_20k};
use marktplatz_tests::{Harness, raw_http};

/// The search benchmark's queries for the synthetic event (each typed one letter at a time).
const QUERIES: &[&str] = &[
    "Verwaltungsdigitalisierung",
    "Bürgerportal",
    "Buergerportal",
    "rechnung",
    "sicherheit",
    "Digitalisirung",
    "E-Rechnung Kommunen",
    "Müller Oldenburg",
    "Kataster",
    "Geoportal",
];

/// What one child reports (kB, as the kernel counts them).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct Phases {
    /// Resident after start-up, before any work.
    start_kb: u64,
    /// Peak during the initial sync (download, apply, index).
    sync_peak_kb: u64,
    /// Resident once the sync is done.
    after_sync_kb: u64,
    /// Peak while searching (peak counter reset after the sync).
    search_peak_kb: u64,
    sync_ms: f64,
    keystrokes: usize,
}

fn status_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// Sets the peak counter back to the current resident size.
fn reset_peak() {
    std::fs::write("/proc/self/clear_refs", "5").unwrap();
}

fn prefixes() -> Vec<String> {
    QUERIES
        .iter()
        .flat_map(|q| {
            let chars: Vec<char> = q.chars().collect();
            (1..=chars.len())
                .map(|end| chars[..end].iter().collect::<String>())
                .collect::<Vec<_>>()
        })
        .collect()
}

fn device_child(url: &str, event: &str, dir: &str) -> Phases {
    let mut phases = Phases {
        start_kb: status_kb("VmRSS:"),
        ..Phases::default()
    };
    reset_peak();
    let started = Instant::now();
    let device = Device::open(dir).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime
        .block_on(device.sync(Some(url.to_string()), event.to_string()))
        .unwrap();
    phases.sync_ms = started.elapsed().as_secs_f64() * 1000.0;
    phases.sync_peak_kb = status_kb("VmHWM:");
    phases.after_sync_kb = status_kb("VmRSS:");
    reset_peak();
    for typed in prefixes() {
        let hits = marktplatz_core::search::search(
            device.store(),
            device.search_cache(),
            &SearchQuery::new(event, typed),
        )
        .unwrap();
        std::hint::black_box(hits);
        phases.keystrokes += 1;
    }
    phases.search_peak_kb = status_kb("VmHWM:");
    phases
}

fn baseline_child(url: &str, event: &str) -> Phases {
    let mut phases = Phases {
        start_kb: status_kb("VmRSS:"),
        ..Phases::default()
    };
    reset_peak();
    let started = Instant::now();
    let addr = url.trim_start_matches("http://").parse().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let response = runtime.block_on(raw_http::get(
        addr,
        &format!("/v1/events/{event}/bundle"),
        &[],
    ));
    assert_eq!(response.status, 200);
    // Apps keep the file (for the next start) and the parsed objects.
    let file = response.body;
    let bundle: Bundle = serde_json::from_slice(&file).unwrap();
    phases.sync_ms = started.elapsed().as_secs_f64() * 1000.0;
    phases.sync_peak_kb = status_kb("VmHWM:");
    phases.after_sync_kb = status_kb("VmRSS:");
    reset_peak();
    for typed in prefixes() {
        let needle = fold(&typed);
        let hits = bundle
            .sessions
            .iter()
            .filter(|s| {
                [&s.title, &s.abstract_text, &s.description]
                    .iter()
                    .any(|t| fold(t).contains(&needle))
            })
            .count()
            + bundle
                .speakers
                .iter()
                .filter(|p| fold(&p.name).contains(&needle) || fold(&p.bio).contains(&needle))
                .count();
        std::hint::black_box(hits);
        phases.keystrokes += 1;
    }
    phases.search_peak_kb = status_kb("VmHWM:");
    std::hint::black_box(&file);
    phases
}

fn spawn(args: &[&str]) -> Phases {
    let exe = std::env::current_exe().unwrap();
    let output = Command::new(exe)
        .arg("memory-child")
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "bench memory-child {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn mb(kb: u64) -> f64 {
    kb as f64 / 1024.0
}

pub fn run(args: &[String]) -> std::process::ExitCode {
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["device", url, event, dir] => {
            let phases = device_child(url, event, dir);
            println!("{}", serde_json::to_string(&phases).unwrap());
            std::process::ExitCode::SUCCESS
        }
        ["baseline", url, event] => {
            let phases = baseline_child(url, event);
            println!("{}", serde_json::to_string(&phases).unwrap());
            std::process::ExitCode::SUCCESS
        }
        _ => panic!("usage: bench memory-child device URL EVENT DIR | baseline URL EVENT"),
    }
}

/// The parent: a server with the event, then the children one after the other.
pub fn parent() -> std::process::ExitCode {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let event = synthetic_20k();
    let h = runtime.block_on(Harness::start_with(|c| {
        c.request_timeout = Duration::from_secs(120);
    }));
    h.publish(&event.bundle);
    let url = h.server.url();
    let id = event.bundle.event.id.clone();
    let runs = 3;
    let mut ours = Vec::new();
    let mut baseline = Vec::new();
    for n in 0..runs {
        let dir = h.root.path().join(format!("device-{n}"));
        eprintln!("run {n}: device");
        ours.push(spawn(&["device", &url, &id, &dir.display().to_string()]));
        eprintln!("run {n}: baseline");
        baseline.push(spawn(&["baseline", &url, &id]));
    }
    let median = |all: &[Phases], f: fn(&Phases) -> u64| {
        let mut v: Vec<u64> = all.iter().map(f).collect();
        v.sort();
        v[v.len() / 2]
    };
    let summary = |all: &[Phases]| {
        serde_json::json!({
            "start_kb": median(all, |p| p.start_kb),
            "sync_peak_kb": median(all, |p| p.sync_peak_kb),
            "after_sync_kb": median(all, |p| p.after_sync_kb),
            "search_peak_kb": median(all, |p| p.search_peak_kb),
            "runs": all,
        })
    };
    let (o, b) = (summary(&ours), summary(&baseline));
    let kb = |v: &serde_json::Value, k: &str| v[k].as_u64().unwrap_or(0);
    let mut md = format!(
        "# Memory\n\nMachine: {}. Peak resident memory (`VmHWM`) of the device process, median of {runs} fresh processes, on the {} ({} entities, {} keystrokes of search). Ours: `Device` (store, network runtime, sync, search). Baseline: download the whole schedule file, parse it, scan it per keystroke.\n\n| phase | ours MB | baseline MB | ours / baseline |\n|---|---:|---:|---:|\n",
        machine(),
        event.name,
        event.bundle.entity_count(),
        ours.first().map_or(0, |p| p.keystrokes),
    );
    for (label, key) in [
        ("process start", "start_kb"),
        ("peak during the initial sync", "sync_peak_kb"),
        ("resident after the sync", "after_sync_kb"),
        ("peak during search", "search_peak_kb"),
    ] {
        md.push_str(&format!(
            "| {label} | {:.1} | {:.1} | {:.2} |\n",
            mb(kb(&o, key)),
            mb(kb(&b, key)),
            kb(&o, key) as f64 / kb(&b, key).max(1) as f64
        ));
    }
    println!("{md}");
    let json = serde_json::json!({
        "machine": machine(),
        "event": event.name,
        "entities": event.bundle.entity_count(),
        "ours": o,
        "baseline": b,
    });
    if let Err(e) = save("memory", &json, &md) {
        eprintln!("bench memory: {e}");
        return std::process::ExitCode::FAILURE;
    }
    std::process::ExitCode::SUCCESS
}
