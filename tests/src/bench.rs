//! What the benchmarks share: the events they measure, order statistics, where results go, and
//! stores synced the way a phone gets them.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use marktplatz_core::sync::SyncOptions;
use marktplatz_model::bundle::Bundle;
use marktplatz_model::model::AssetRef;
use marktplatz_model::time::EventClock;

use crate::{Harness, raw_http};

/// The events every benchmark uses, in report order: the demo, real 36C3, synthetic 20,000.
pub struct BenchEvent {
    /// Short key used in file names and JSON (`demo`, `36c3`, `synthetic-20k`).
    pub key: &'static str,
    pub name: &'static str,
    pub bundle: Bundle,
    /// A first search a user might type.
    pub query: &'static str,
    /// The files the bundle refers to (the demo's pictures; the others have none).
    pub assets: Vec<(AssetRef, Vec<u8>)>,
}

pub fn demo_event() -> BenchEvent {
    let demo =
        marktplatz_media::demo::demo_content().unwrap_or_else(|e| panic!("the demo event: {e}"));
    BenchEvent {
        key: "demo",
        name: "demo event (E-Government Marktplatz Nordwest)",
        bundle: demo.bundle,
        query: "Digitalisierung",
        assets: demo
            .assets
            .into_iter()
            .map(|a| (a.asset, a.bytes))
            .collect(),
    }
}

/// 36C3's final schedule (real, imported).
pub fn event_36c3() -> BenchEvent {
    let bundle = crate::real_36c3_versions("36c3")
        .pop()
        .unwrap_or_else(|| unreachable!("three versions"));
    BenchEvent {
        key: "36c3",
        name: "36C3 final schedule (real, imported)",
        bundle,
        query: "Sicherheit",
        assets: Vec::new(),
    }
}

/// The synthetic event of 20,000 searchable entities (the search benchmark's).
pub fn synthetic_20k() -> BenchEvent {
    BenchEvent {
        key: "synthetic-20k",
        name: "synthetic 20,000 entities",
        bundle: crate::synthetic::event("synthetic", 20_000),
        query: "Bürgerportal",
        assets: Vec::new(),
    }
}

pub fn all_events() -> Vec<BenchEvent> {
    vec![demo_event(), event_36c3(), synthetic_20k()]
}

/// 11:00 local time on the event's first day: the moment the cold-start screens are built for
/// (sessions run, others come next).
pub fn first_morning(bundle: &Bundle) -> chrono::DateTime<chrono::Utc> {
    let event = &bundle.event;
    let clock = EventClock::new(&event.timezone, event.day_change_hour)
        .unwrap_or_else(|e| panic!("{}: {e}", event.id));
    let day = event.days.first().copied().unwrap_or_default();
    clock.instant_of_local(day.and_hms_opt(11, 0, 0).unwrap_or_default())
}

/// Order statistics of a set of samples.
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize)]
pub struct Stats {
    pub n: usize,
    pub median: f64,
    pub p90: f64,
    pub p99: f64,
    pub min: f64,
    pub max: f64,
}

impl Stats {
    pub fn of(samples: &[f64]) -> Stats {
        let mut sorted = samples.to_vec();
        sorted.sort_by(f64::total_cmp);
        let at = |p: f64| -> f64 {
            if sorted.is_empty() {
                return 0.0;
            }
            let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
            sorted[index.min(sorted.len() - 1)]
        };
        Stats {
            n: sorted.len(),
            median: at(0.5),
            p90: at(0.9),
            p99: at(0.99),
            min: at(0.0),
            max: at(1.0),
        }
    }
}

/// `bench-results/` at the workspace root (or `BENCH_RESULTS`).
pub fn results_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("BENCH_RESULTS") {
        return PathBuf::from(dir);
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(|root| root.join("bench-results"))
        .unwrap_or_else(|| PathBuf::from("bench-results"))
}

/// Writes `NAME.json` and `NAME.md` into the results folder.
pub fn save(name: &str, json: &serde_json::Value, markdown: &str) -> Result<(), String> {
    let dir = results_dir();
    let text = serde_json::to_string_pretty(json).map_err(|e| e.to_string())?;
    std::fs::create_dir_all(&dir)
        .and_then(|_| std::fs::write(dir.join(format!("{name}.json")), text))
        .and_then(|_| std::fs::write(dir.join(format!("{name}.md")), markdown))
        .map_err(|e| format!("cannot save results in {}: {e}", dir.display()))?;
    eprintln!("saved {}/{name}.{{json,md}}", dir.display());
    Ok(())
}

/// CPU model and core count.
pub fn machine() -> String {
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

/// A device store synced from a real server over loopback (content only), and the schedule
/// file the baseline apps would have cached (the server's whole-bundle export, as sent).
pub struct PreparedDevice {
    pub store_dir: PathBuf,
    pub schedule_file: PathBuf,
}

/// Publishes the event to a fresh server in this process and syncs a device folder under `root`.
pub async fn prepare_device(root: &Path, event: &BenchEvent) -> PreparedDevice {
    let bundle = &event.bundle;
    let h = Harness::start_with(|c| {
        c.request_timeout = Duration::from_secs(120);
    })
    .await;
    h.admin
        .publish_with_assets(
            bundle.clone(),
            event.assets.iter().map(|(a, b)| (a, b.as_slice())),
        )
        .unwrap_or_else(|e| panic!("publish: {}", e.message));
    let event = &bundle.event.id;
    let store_dir = root.join("device");
    {
        let device = crate::Device::open(store_dir.clone());
        let options = SyncOptions {
            skip_assets: true,
            ..SyncOptions::default()
        };
        let client =
            marktplatz_core::sync::Client::new(marktplatz_core::sync::ClientConfig::default())
                .unwrap_or_else(|e| panic!("client: {e}"));
        marktplatz_core::device::sync_event(
            &client,
            &device.store,
            None,
            &device.alerts,
            &h.server.url(),
            event,
            &options,
        )
        .await
        .unwrap_or_else(|e| panic!("syncing {event}: {e}"));
    }
    let file = raw_http::get(h.server.addr(), &format!("/v1/events/{event}/bundle"), &[]).await;
    assert_eq!(file.status, 200, "the bundle export of {event}");
    let schedule_file = root.join("schedule.json");
    std::fs::write(&schedule_file, &file.body)
        .unwrap_or_else(|e| panic!("{}: {e}", schedule_file.display()));
    PreparedDevice {
        store_dir,
        schedule_file,
    }
}

/// CPU time this thread has used, in ms: unlike wall time it does not grow while other processes
/// on this shared 2-core machine hold the CPU.
#[allow(unsafe_code)]
pub fn thread_cpu_ms() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec we own; CLOCK_THREAD_CPUTIME_ID always exists on
    // Linux.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 * 1000.0 + ts.tv_nsec as f64 / 1_000_000.0
}
