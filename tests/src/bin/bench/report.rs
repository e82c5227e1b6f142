//! `bench report`: gathers the results of the benchmarks that `scripts/bench.sh` ran
//! (`bench-results/{sync,coldstart,search,memory,library,server,web-programme,web-feeds,postgres,profiles}.json`)
//! into one report,
//! `bench-results/report.{md,json}`: every headline figure next to its baseline (measured in the
//! same run), the ratio, and the target with PASS or MISS. A missing part is reported as not run.

use std::process::ExitCode;

use serde::Serialize;
use serde_json::Value;

use marktplatz_tests::bench::{machine, results_dir};

#[derive(Serialize)]
struct Row {
    area: String,
    figure: String,
    ours: String,
    baseline: String,
    /// How many times better ours is than the baseline (> 1: better), when comparable.
    ratio: Option<f64>,
    target: String,
    /// `PASS`, `MISS`, or empty where there is no target.
    verdict: String,
}

struct Report {
    rows: Vec<Row>,
    missing: Vec<String>,
}

fn load(name: &str) -> Option<Value> {
    let path = results_dir().join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).ok()?;
    serde_json::from_str(&text).ok()
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

fn verdict(pass: bool) -> String {
    if pass { "PASS" } else { "MISS" }.to_string()
}

fn bytes(b: f64) -> String {
    if b >= 1e6 {
        format!("{:.2} MB", b / 1e6)
    } else if b >= 1e4 {
        format!("{:.1} KB", b / 1e3)
    } else {
        format!("{b:.0} B")
    }
}

fn ms(v: f64) -> String {
    if v < 1.0 {
        format!("{v:.3} ms")
    } else if v < 100.0 {
        format!("{v:.1} ms")
    } else {
        format!("{v:.0} ms")
    }
}

impl Report {
    #[allow(clippy::too_many_arguments)]
    fn row(
        &mut self,
        area: &str,
        figure: String,
        ours: String,
        baseline: String,
        ratio: Option<f64>,
        target: &str,
        verdict: String,
    ) {
        self.rows.push(Row {
            area: area.to_string(),
            figure,
            ours,
            baseline,
            ratio,
            target: target.to_string(),
            verdict,
        });
    }

    fn sync(&mut self, sync: &Value) {
        for e in sync["events"].as_array().into_iter().flatten() {
            let key = e["key"].as_str().unwrap_or("?");
            let area = "Sync";
            for (label, ours, base, time, base_time) in [
                (
                    "initial sync",
                    "initial",
                    "baseline_initial",
                    "initial_ms",
                    "baseline_initial_ms",
                ),
                (
                    "no-change poll",
                    "no_change_poll",
                    "baseline_no_change_poll",
                    "no_change_poll_ms",
                    "baseline_no_change_poll_ms",
                ),
                (
                    "one-session change",
                    "one_session_change",
                    "baseline_one_session_change",
                    "one_session_change_ms",
                    "baseline_one_session_change_ms",
                ),
            ] {
                let (o, b) = (f(&e[ours]["total"]), f(&e[base]["total"]));
                let (target, pass) = match (key, label) {
                    (_, "no-change poll") => ("< 300 B", Some(o < 300.0)),
                    (_, "one-session change") => ("< 1 KB", Some(o < 1024.0)),
                    ("36c3" | "synthetic-20k", "initial sync") => {
                        ("≤ 0.6× baseline", Some(o <= 0.6 * b))
                    }
                    _ => ("", None),
                };
                self.row(
                    area,
                    format!("{key}: {label}, bytes on the wire"),
                    bytes(o),
                    bytes(b),
                    Some(b / o),
                    target,
                    pass.map(verdict).unwrap_or_default(),
                );
                let (ot, bt) = (f(&e[time]["median"]), f(&e[base_time]["median"]));
                let (target, pass) = match (key, label) {
                    ("36c3", "initial sync") => ("< 1 s (applied)", Some(ot < 1000.0)),
                    ("synthetic-20k", "initial sync") => ("< 1.5 s", Some(ot < 1500.0)),
                    _ => ("", None),
                };
                self.row(
                    area,
                    format!("{key}: {label}, time (median, loopback)"),
                    ms(ot),
                    ms(bt),
                    Some(bt / ot),
                    target,
                    pass.map(verdict).unwrap_or_default(),
                );
            }
            // Issue 23: what a device arriving after the first gets (pages recompressed).
            let (later, b) = (
                f(&e["initial_later"]["total"]),
                f(&e["baseline_initial"]["total"]),
            );
            if later > 0.0 && key != "demo" {
                self.row(
                    area,
                    format!("{key}: initial sync of a later device, bytes on the wire"),
                    bytes(later),
                    bytes(b),
                    Some(b / later),
                    "≤ 0.6× baseline",
                    verdict(later <= 0.6 * b),
                );
            }
            // The compression floor (ADR 0010 part 11): the pages in one frame at zstd's
            // best level with a long window, beside the same gzipped download.
            let best = f(&e["floors"]["pages_best_compressed_bytes"]);
            if best > 0.0 && key != "demo" {
                self.row(
                    area,
                    format!(
                        "{key}: floor: the initial sync's pages ({}) as one zstd-19 long-window frame, bytes",
                        bytes(f(&e["floors"]["pages_bytes"]))
                    ),
                    bytes(best),
                    bytes(b),
                    Some(b / best),
                    "",
                    String::new(),
                );
            }
            self.first_sync(key, e);
            let apply = f(&e["apply_one_change"]["median"]);
            self.row(
                area,
                format!("{key}: one-change delta applied (median)"),
                ms(apply),
                String::new(),
                None,
                "< 10 ms",
                verdict(apply < 10.0),
            );
        }
        for step in sync["real_36c3_publications"]
            .as_array()
            .into_iter()
            .flatten()
        {
            let (o, b) = (f(&step["ours"]["total"]), f(&step["baseline"]["total"]));
            self.row(
                "Sync",
                format!(
                    "36c3 real version step \"{}\" (+{} ~{} -{}), bytes / time",
                    step["publication"].as_str().unwrap_or("?"),
                    step["added"],
                    step["updated"],
                    step["removed"]
                ),
                format!("{} / {}", bytes(o), ms(f(&step["ours"]["ms"]))),
                format!("{} / {}", bytes(b), ms(f(&step["baseline"]["ms"]))),
                Some(b / o),
                "",
                String::new(),
            );
        }
    }

    fn coldstart(&mut self, cold: &Value) {
        for e in cold["events"].as_array().into_iter().flatten() {
            let key = e["key"].as_str().unwrap_or("?");
            for (label, ours, base) in [
                ("first agenda", "agenda", "baseline_agenda"),
                ("first search", "search", "baseline_search"),
            ] {
                let o = f(&e[ours]["ready_ms"]["median"]);
                let b = f(&e[base]["ready_ms"]["median"]);
                let (target, pass) = if label == "first agenda" {
                    ("< 50 ms", Some(o < 50.0))
                } else if key.contains("20k") {
                    // Issue 23: the first search of a fresh process at 20,000 entities.
                    ("< 30 ms", Some(o < 30.0))
                } else {
                    ("", None)
                };
                self.row(
                    "Cold start",
                    format!(
                        "{key}: {label}, data ready (median; p90 {}, spawn→ready {})",
                        ms(f(&e[ours]["ready_ms"]["p90"])),
                        ms(f(&e[ours]["spawn_to_ready_ms"]["median"]))
                    ),
                    ms(o),
                    ms(b),
                    Some(b / o),
                    target,
                    pass.map(verdict).unwrap_or_default(),
                );
            }
            self.first_search_from_snapshot(key, e);
        }
    }

    /// Issue 23: the first search against the first agenda of the same run (at most 2× on
    /// 36C3), what it costs without the persisted snapshot, and that snapshot's size.
    fn first_search_from_snapshot(&mut self, key: &str, e: &Value) {
        let search = f(&e["search"]["ready_ms"]["median"]);
        let agenda = f(&e["agenda"]["ready_ms"]["median"]);
        let (target, pass) = if key == "36c3" {
            ("≤ 2× first agenda", Some(search <= 2.0 * agenda))
        } else {
            ("", None)
        };
        self.row(
            "Cold start",
            format!(
                "{key}: first search vs first agenda (same run, medians; main-thread CPU {} vs {})",
                ms(f(&e["search"]["ready_cpu_ms"]["median"])),
                ms(f(&e["agenda"]["ready_cpu_ms"]["median"]))
            ),
            ms(search),
            ms(agenda),
            Some(agenda / search),
            target,
            pass.map(verdict).unwrap_or_default(),
        );
        let rebuilt = f(&e["search_rebuilt"]["ready_ms"]["median"]);
        if rebuilt.is_finite() {
            self.row(
                "Cold start",
                format!(
                    "{key}: first search from the persisted snapshot vs rebuilding it (medians)"
                ),
                ms(search),
                ms(rebuilt),
                Some(rebuilt / search),
                "",
                String::new(),
            );
        }
        let snapshot = f(&e["snapshot_bytes"]);
        if snapshot.is_finite() {
            let store = f(&e["store_bytes"]);
            self.row(
                "Cold start",
                format!(
                    "{key}: persisted search snapshot on disk vs the store's files (built and written in {})",
                    ms(f(&e["snapshot_write_ms"]))
                ),
                bytes(snapshot),
                bytes(store),
                Some(store / snapshot),
                "",
                String::new(),
            );
        }
    }

    fn search(&mut self, search: &Value) {
        for d in search["datasets"].as_array().into_iter().flatten() {
            let name = d["dataset"].as_str().unwrap_or("?");
            let engines = d["engines"].as_array().cloned().unwrap_or_default();
            let Some(ours) = engines.first() else {
                continue;
            };
            // The faster baseline at p99 is the one to beat.
            let best = engines
                .iter()
                .skip(1)
                .min_by(|a, b| f(&a["latency"]["p99_ms"]).total_cmp(&f(&b["latency"]["p99_ms"])));
            let Some(best) = best else { continue };
            let base_name = best["engine"].as_str().unwrap_or("?");
            for (label, key) in [("p50", "p50_ms"), ("p99", "p99_ms")] {
                let (o, b) = (f(&ours["latency"][key]), f(&best["latency"][key]));
                let (target, pass) = if key == "p99_ms" {
                    ("< 5 ms", Some(o < 5.0))
                } else {
                    ("", None)
                };
                self.row(
                    "Search",
                    format!("{name}: per keystroke {label} (baseline: {base_name})"),
                    ms(o),
                    ms(b),
                    Some(b / o),
                    target,
                    pass.map(verdict).unwrap_or_default(),
                );
            }
            let (o, b) = (f(&ours["index_bytes"]), f(&best["index_bytes"]));
            self.row(
                "Search",
                format!("{name}: index size (baseline: {base_name})"),
                bytes(o),
                bytes(b),
                Some(b / o),
                "",
                String::new(),
            );
        }
    }

    /// Issue 23's rows of an event's initial sync: its time beside parsing the file alone, and
    /// the device's folder beside the source file.
    fn first_sync(&mut self, key: &str, e: &Value) {
        let (ours, parse) = (
            f(&e["initial_ms"]["median"]),
            f(&e["baseline_parse_ms"]["median"]),
        );
        if key == "36c3" {
            let baseline = f(&e["baseline_initial_ms"]["median"]);
            self.row(
                "Sync",
                format!("{key}: initial sync vs downloading and parsing the file (median)"),
                ms(ours),
                ms(baseline),
                Some(baseline / ours),
                "≤ 1× baseline",
                verdict(ours <= baseline),
            );
        }
        if parse > 0.0 {
            let (target, pass) = match key {
                "36c3" => ("≤ 3× parse", Some(ours <= 3.0 * parse)),
                _ => ("", None),
            };
            self.row(
                "Sync",
                format!("{key}: initial sync vs parsing the file alone (median)"),
                ms(ours),
                ms(parse),
                Some(parse / ours),
                target,
                pass.map(verdict).unwrap_or_default(),
            );
        }
        // The floor of storing the same content searchable (ADR 0010 part 11): how far a time
        // target is from what SQLite's inserts and FTS5 take at all.
        let (searchable, bare) = (
            f(&e["floors"]["store_searchable_ms"]["median"]),
            f(&e["floors"]["store_bare_ms"]["median"]),
        );
        if searchable > 0.0 {
            let baseline = f(&e["baseline_initial_ms"]["median"]);
            self.row(
                "Sync",
                format!(
                    "{key}: floor: the same entities stored with their words in FTS5, one transaction, no other index (median; one bare table alone {}, parsing the file alone {}) vs downloading and parsing the file",
                    ms(bare),
                    ms(parse)
                ),
                ms(searchable),
                ms(baseline),
                Some(baseline / searchable),
                "",
                String::new(),
            );
        }
        let warm = f(&e["warm_search_ms"]);
        if warm > 0.0 {
            // What the app waits for after a first sync: `Device::sync` warms (builds and
            // persists) the search snapshot before it reports the sync finished.
            let baseline = f(&e["baseline_initial_ms"]["median"]);
            self.row(
                "Sync",
                format!(
                    "{key}: initial sync + search warm-up (first device; warm-up {}) vs downloading and parsing the file",
                    ms(warm)
                ),
                ms(ours + warm),
                ms(baseline),
                Some(baseline / (ours + warm)),
                "",
                String::new(),
            );
        }
        let (folder, source) = (f(&e["folder_bytes"]), f(&e["source_bytes"]));
        if folder > 0.0 {
            let (target, pass) = match key {
                "36c3" => ("≤ 1.5× the file", Some(folder <= 1.5 * source)),
                _ => ("", None),
            };
            self.row(
                "Sync",
                format!(
                    "{key}: device folder after the initial sync and search warm-up (baseline: the source file)"
                ),
                bytes(folder),
                bytes(source),
                Some(source / folder),
                target,
                pass.map(verdict).unwrap_or_default(),
            );
        }
    }

    fn memory(&mut self, memory: &Value) {
        for (label, key) in [
            ("peak RSS during the initial sync", "sync_peak_kb"),
            ("peak RSS during search", "search_peak_kb"),
        ] {
            let (o, b) = (
                f(&memory["ours"][key]) * 1024.0,
                f(&memory["baseline"][key]) * 1024.0,
            );
            let (target, pass) = match key {
                "sync_peak_kb" => ("< 50 MB", Some(o < 50e6)),
                _ => ("", None),
            };
            self.row(
                "Memory",
                format!("synthetic-20k: {label}"),
                bytes(o),
                bytes(b),
                Some(b / o),
                target,
                pass.map(verdict).unwrap_or_default(),
            );
        }
    }

    fn library(&mut self, library: &Value) {
        let size = f(&library["stripped_bytes"]);
        self.row(
            "Library",
            "libmarktplatz_ffi.so, stripped (x86_64)".into(),
            bytes(size),
            String::new(),
            None,
            "< 8 MB",
            verdict(size < 8e6),
        );
        for g in library["groups"].as_array().into_iter().flatten().take(6) {
            self.row(
                "Library",
                format!("  of which {}", g["name"].as_str().unwrap_or("?")),
                bytes(f(&g["bytes"])),
                String::new(),
                None,
                "",
                String::new(),
            );
        }
    }

    fn server(&mut self, server: &Value) {
        let cells = server["cells"].as_array().cloned().unwrap_or_default();
        for pair in cells.chunks(2) {
            let [o, n] = pair else { continue };
            let kind = o["kind"].as_str().unwrap_or("?");
            let (or, nr) = (f(&o["rps"]["median"]), f(&n["rps"]["median"]));
            let is_304 = kind.contains("304");
            // Issue 23 raised issue 11's target (0.5×) to 1× for the 304s.
            let (target, pass) = if is_304 {
                ("≥ 1× nginx", Some(or >= nr))
            } else {
                ("", None)
            };
            self.row(
                "Server",
                format!(
                    "{kind}, {} devices: req/s (p50 / p99 ours {} / {}, nginx {} / {})",
                    o["connections"],
                    ms(f(&o["p50_ms"])),
                    ms(f(&o["p99_ms"])),
                    ms(f(&n["p50_ms"])),
                    ms(f(&n["p99_ms"]))
                ),
                format!("{or:.0}"),
                format!("{nr:.0} (nginx)"),
                Some(or / nr),
                target,
                pass.map(verdict).unwrap_or_default(),
            );
            if is_304 {
                // Issue 23: the tail no worse than nginx's, in the run with the median rate.
                let (op, np) = (f(&o["p99_ms"]), f(&n["p99_ms"]));
                self.row(
                    "Server",
                    format!("{kind}, {} devices: p99 latency", o["connections"]),
                    ms(op),
                    format!("{} (nginx)", ms(np)),
                    Some(np / op),
                    "≤ nginx",
                    verdict(op <= np),
                );
            }
        }
        let (o, n) = (
            f(&server["ours_peak_rss_kb"]) * 1024.0,
            f(&server["nginx_peak_rss_kb"]) * 1024.0,
        );
        self.row(
            "Server",
            "peak RSS under load".into(),
            bytes(o),
            format!("{} (nginx)", bytes(n)),
            Some(n / o),
            "≤ 2× nginx",
            verdict(o <= 2.0 * n),
        );
    }
}

impl Report {
    /// Issue 20: the attendee page of one 36C3 day, time and weight, against the bundle.
    fn web_programme(&mut self, web: &Value) {
        let (page, bundle) = (
            f(&web["page_ms"]["median"]),
            f(&web["baseline_bundle_ms"]["median"]),
        );
        let target_ms = f(&web["target_ms"]);
        self.row(
            "Web programme",
            format!(
                "36C3 page of {} ({} of {} sessions): made and sent, median",
                web["day"].as_str().unwrap_or("?"),
                web["sessions_on_the_page"],
                web["sessions"]
            ),
            ms(page),
            format!("{} (whole bundle)", ms(bundle)),
            Some(bundle / page),
            &format!("< {target_ms:.0} ms"),
            verdict(page < target_ms),
        );
        let (gz, bundle_gz) = (
            f(&web["page_bytes_gzip"]),
            f(&web["baseline_bundle_bytes_gzip"]),
        );
        let target_kb = f(&web["target_kb_gzip"]);
        self.row(
            "Web programme",
            "36C3 page of one day, gzip".into(),
            bytes(gz),
            format!("{} (whole bundle)", bytes(bundle_gz)),
            Some(bundle_gz / gz),
            &format!("< {target_kb:.0} KB gzip"),
            verdict(gz < target_kb * 1024.0),
        );
    }

    /// Issue 20: the calendar feed of all of 36C3, against the bundle in the same run.
    fn web_feeds(&mut self, feeds: &Value) {
        let (feed, bundle) = (f(&feeds["feed_ms"]), f(&feeds["baseline_bundle_ms"]));
        let target_ms = f(&feeds["target_ms"]);
        self.row(
            "Web feeds",
            format!(
                "36C3 calendar.ics ({} sessions, {}): median",
                feeds["sessions"],
                bytes(f(&feeds["feed_bytes"]))
            ),
            ms(feed),
            format!("{} (bundle JSON)", ms(bundle)),
            Some(bundle / feed),
            &format!("< {target_ms:.0} ms"),
            verdict(feed < target_ms),
        );
    }
}

impl Report {
    /// Issue 22: 304 polls and the first publish of 36C3 per engine (PostgreSQL against SQLite
    /// in the same run), and how soon a second instance on the database notices a change.
    fn postgres(&mut self, pg: &Value) {
        let engines = pg["engines"].as_array().cloned().unwrap_or_default();
        let by = |name: &str| engines.iter().find(|e| e["engine"] == name).cloned();
        let (Some(sqlite), Some(postgres)) = (by("SQLite"), by("PostgreSQL")) else {
            return;
        };
        let (p, s) = (
            f(&postgres["polls_304_per_s"]),
            f(&sqlite["polls_304_per_s"]),
        );
        self.row(
            "PostgreSQL",
            "304 polls per second per instance (wrk, 64 connections)".into(),
            format!("{p:.0}"),
            format!("{s:.0} (SQLite)"),
            Some(p / s),
            "the same within noise (≥ 0.8×)",
            verdict(p >= 0.8 * s),
        );
        let (p, s) = (f(&postgres["publish_36c3_s"]), f(&sqlite["publish_36c3_s"]));
        self.row(
            "PostgreSQL",
            "first publish of 36C3 (`marktplatz publish` over HTTP)".into(),
            ms(p * 1000.0),
            format!("{} (SQLite)", ms(s * 1000.0)),
            Some(s / p),
            "",
            String::new(),
        );
        let notice = &pg["notice_ms"];
        let (p99, target) = (f(&notice["p99"]), f(&pg["target_notice_ms"]));
        self.row(
            "PostgreSQL",
            format!(
                "another instance's change noticed by a held long-poll, p99 of {} (median {})",
                notice["n"],
                ms(f(&notice["median"]))
            ),
            ms(p99),
            String::new(),
            None,
            &format!("< {target:.0} ms"),
            verdict(p99 < target),
        );
    }
}

fn markdown(report: &Report) -> String {
    let mut md = format!(
        "# Performance report\n\nMachine: {}. Generated by `scripts/bench.sh` (release builds); every baseline measured in the same run. Ratio: how many times better ours is than the baseline (> 1× is better: fewer bytes, less time, less memory, more requests). Details of each part: `bench-results/{{sync,coldstart,search,memory,library,server}}.md`; choices and fixes: `docs/adr/0010-performance.md`.\n\n",
        machine()
    );
    let misses = report.rows.iter().filter(|r| r.verdict == "MISS").count();
    let passes = report.rows.iter().filter(|r| r.verdict == "PASS").count();
    md.push_str(&format!("Targets: {passes} PASS, {misses} MISS.\n"));
    if !report.missing.is_empty() {
        md.push_str(&format!("Not run: {}.\n", report.missing.join(", ")));
    }
    let mut area = "";
    for row in &report.rows {
        if row.area != area {
            area = &row.area;
            md.push_str(&format!(
                "\n## {area}\n\n| figure | ours | baseline | ratio | target | |\n|---|---:|---:|---:|---|---|\n"
            ));
        }
        let ratio = row
            .ratio
            .filter(|r| r.is_finite())
            .map(|r| {
                if r >= 10.0 {
                    format!("{r:.0}×")
                } else {
                    format!("{r:.2}×")
                }
            })
            .unwrap_or_default();
        md.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            row.figure, row.ours, row.baseline, ratio, row.target, row.verdict
        ));
    }
    md
}

/// `bench report profiles LEVEL=DIR...`: the opt-level comparison of `scripts/bench-profiles.sh`
/// (each DIR holds that build's `library-bytes`, `sync.json`, `search.json`, `coldstart.json`).
fn profiles(args: &[String]) -> ExitCode {
    let mut md = format!(
        "# Release profile: opt-level compared

Machine: {}. Fat LTO, one codegen unit, stripped, for every row; only `opt-level` differs. Generated by `scripts/bench-profiles.sh`.

| opt-level | libmarktplatz_ffi.so | 36C3 initial sync, applied (median) | 36C3 one-change apply (median) | 36C3 search p50 / p99 per keystroke | 20k search p99 | 36C3 cold start to first agenda (median) |\n|---|---:|---:|---:|---:|---:|---:|\n",
        machine()
    );
    let mut rows = Vec::new();
    for arg in args {
        let Some((level, dir)) = arg.split_once('=') else {
            eprintln!("bench report profiles: expected LEVEL=DIR, got {arg}");
            return ExitCode::FAILURE;
        };
        let dir = std::path::Path::new(dir);
        let read = |name: &str| -> Value {
            std::fs::read_to_string(dir.join(name))
                .ok()
                .and_then(|t| serde_json::from_str(&t).ok())
                .unwrap_or(Value::Null)
        };
        // `library-bytes` (bench-profiles.sh), else a full run's `library.json`.
        let lib: f64 = std::fs::read_to_string(dir.join("library-bytes"))
            .ok()
            .and_then(|t| t.trim().parse().ok())
            .unwrap_or_else(|| f(&read("library.json")["stripped_bytes"]));
        let sync = read("sync.json");
        let event = sync["events"]
            .as_array()
            .and_then(|a| a.iter().find(|e| e["key"] == "36c3"))
            .cloned()
            .unwrap_or(Value::Null);
        let search = read("search.json");
        let dataset = |needle: &str| -> Value {
            search["datasets"]
                .as_array()
                .and_then(|a| {
                    a.iter()
                        .find(|d| d["dataset"].as_str().is_some_and(|n| n.contains(needle)))
                })
                .map(|d| d["engines"][0]["latency"].clone())
                .unwrap_or(Value::Null)
        };
        let (c3, synth) = (dataset("36C3"), dataset("20,000"));
        let cold = read("coldstart.json");
        let agenda = cold["events"]
            .as_array()
            .and_then(|a| a.iter().find(|e| e["key"] == "36c3"))
            .map(|e| e["agenda"]["ready_ms"]["median"].clone())
            .unwrap_or(Value::Null);
        md.push_str(&format!(
            "| {level} | {} | {} | {} | {} / {} | {} | {} |\n",
            bytes(lib),
            ms(f(&event["initial_ms"]["median"])),
            ms(f(&event["apply_one_change"]["median"])),
            ms(f(&c3["p50_ms"])),
            ms(f(&c3["p99_ms"])),
            ms(f(&synth["p99_ms"])),
            ms(f(&agenda)),
        ));
        rows.push(serde_json::json!({
            "opt_level": level,
            "library_bytes": lib,
            "initial_sync_36c3_ms": event["initial_ms"]["median"],
            "apply_one_change_36c3_ms": event["apply_one_change"]["median"],
            "search_36c3": c3,
            "search_20k": synth,
            "coldstart_agenda_36c3_ms": agenda,
        }));
    }
    let json = serde_json::json!({ "machine": machine(), "profiles": rows });
    match marktplatz_tests::bench::save("profiles", &json, &md) {
        Ok(()) => {
            println!("{md}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("bench report: {e}");
            ExitCode::FAILURE
        }
    }
}

pub fn run(args: &[String]) -> ExitCode {
    if args.first().is_some_and(|a| a == "profiles") {
        return profiles(&args[1..]);
    }
    let mut report = Report {
        rows: Vec::new(),
        missing: Vec::new(),
    };
    for part in [
        "sync",
        "coldstart",
        "search",
        "memory",
        "library",
        "server",
        "web-programme",
        "web-feeds",
        "postgres",
    ] {
        let Some(value) = load(part) else {
            report.missing.push(part.to_string());
            continue;
        };
        match part {
            "sync" => report.sync(&value),
            "coldstart" => report.coldstart(&value),
            "search" => report.search(&value),
            "memory" => report.memory(&value),
            "library" => report.library(&value),
            "web-programme" => report.web_programme(&value),
            "web-feeds" => report.web_feeds(&value),
            "postgres" => report.postgres(&value),
            _ => report.server(&value),
        }
    }
    let md = markdown(&report);
    let json = serde_json::json!({
        "machine": machine(),
        "not_run": report.missing,
        "rows": report.rows,
    });
    let dir = results_dir();
    let written = serde_json::to_string_pretty(&json)
        .map_err(std::io::Error::other)
        .and_then(|text| std::fs::write(dir.join("report.json"), text))
        .and_then(|_| std::fs::write(dir.join("report.md"), &md));
    if let Err(e) = written {
        eprintln!("bench report: cannot write {}: {e}", dir.display());
        return ExitCode::FAILURE;
    }
    println!("{md}");
    ExitCode::SUCCESS
}
