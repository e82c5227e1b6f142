//! `bench postgres` (`scripts/bench.sh postgres`): issue 22's figures, SQLite against
//! PostgreSQL (ADR 0021), over real release `marktplatz serve` processes:
//! - the first publish of 36C3 (the final schedule, `marktplatz publish` over HTTP), per engine;
//! - 304 polls per second per instance (wrk, 2 threads, 64 connections, on the tail page with
//!   its ETag: heads are in memory on both engines, so the same within noise);
//! - how long a second instance on the same PostgreSQL database takes to notice a change made
//!   through the first: `BENCH_PG_NOTICES` (200) operations posted to instance one while
//!   instance two holds a long-poll, timed from the operation's 200 to the poll's answer.
//!
//! Needs `marktplatz` beside this binary (release), wrk, ../shared/data and a PostgreSQL server
//! (`MARKTPLATZ_TEST_PG`; scripts/bench.sh starts one). Writes `bench-results/postgres.{json,md}`.

// A benchmark harness: anything unexpected should stop the run loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use marktplatz_server::store::scratch::ScratchDatabase;
use marktplatz_tests::bench::{Stats, machine, save};
use marktplatz_tests::raw_http::try_request;
use marktplatz_tests::server_process::{ServerProcess, marktplatz_binary};

use super::server::env_or;

const EVENT: &str = "36c3";
const TIMEOUT: Duration = Duration::from_secs(30);

struct Engine {
    name: &'static str,
    publish_s: f64,
    polls_per_s: f64,
    latency: String,
}

fn token(bin: &Path, data: &Path, database: Option<&str>) -> String {
    let mut command = Command::new(bin);
    command.args(["token", "--event", EVENT, "--role", "organiser", "--data"]);
    command.arg(data);
    if let Some(database) = database {
        command.args(["--database", database]);
    }
    let out = command.output().unwrap();
    assert!(out.status.success(), "token: {out:?}");
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn get(addr: SocketAddr, path: &str) -> serde_json::Value {
    let response = try_request(addr, "GET", path, &[], &[], TIMEOUT).unwrap();
    assert_eq!(response.status, 200, "{path}: {}", response.text());
    response.json()
}

/// The tail page's path and its ETag.
fn tail(addr: SocketAddr) -> (String, String) {
    let head = get(addr, &format!("/v1/events/{EVENT}/head"));
    let path = format!(
        "/v1/events/{EVENT}/changes/{}/{}",
        head["epoch"].as_str().unwrap(),
        head["seq"]
    );
    let response = try_request(addr, "GET", &path, &[], &[], TIMEOUT).unwrap();
    let etag = response.header("etag").expect("the tail page has an ETag");
    (path, etag.to_string())
}

/// Publishes 36C3 through `marktplatz publish`, then measures 304 polls with wrk.
fn measure(name: &'static str, bin: &Path, root: &Path, database: Option<&str>) -> Engine {
    let data = root.join(name);
    let server = ServerProcess::start(bin, &data, database).unwrap();
    let token = token(bin, &data, database);
    let file = marktplatz_tests::shared_data_dir().join("c3voc-json/36c3-everything.schedule.json");
    let started = Instant::now();
    let out = Command::new(bin)
        .args([
            "publish", "--event", EVENT, "--source", "schedule", "--token", &token,
        ])
        .args(["--server", &format!("http://{}", server.addr)])
        .arg(&file)
        .output()
        .unwrap();
    let publish_s = started.elapsed().as_secs_f64();
    assert!(out.status.success(), "publish: {out:?}");
    let (path, etag) = tail(server.addr);
    let wrk = Command::new("wrk")
        .args(["-t", "2", "-c", "64", "-d", "10s", "-H"])
        .arg(format!("If-None-Match: {etag}"))
        .arg(format!("http://{}{path}", server.addr))
        .output()
        .expect("wrk (apt-get install wrk)");
    let text = String::from_utf8_lossy(&wrk.stdout).to_string();
    let polls_per_s = text
        .lines()
        .find_map(|l| l.strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no Requests/sec in wrk's output: {text}"));
    let latency = text
        .lines()
        .find(|l| l.trim_start().starts_with("Latency"))
        .map(|l| {
            let cells: Vec<&str> = l.split_whitespace().collect();
            format!(
                "{} / {}",
                cells.get(1).unwrap_or(&"?"),
                cells.get(3).unwrap_or(&"?")
            )
        })
        .unwrap_or_default();
    eprintln!(
        "{name}: publish of 36C3 {publish_s:.2} s, {polls_per_s:.0} polls/s (304), latency avg / max {latency}"
    );
    server.kill();
    Engine {
        name,
        publish_s,
        polls_per_s,
        latency,
    }
}

/// Milliseconds from each operation's 200 on `one` to the answer of the poll held on `two`.
fn notices(one: SocketAddr, two: SocketAddr, token: &str, count: usize) -> Vec<f64> {
    let auth = format!("Bearer {token}");
    let mut delays = Vec::with_capacity(count);
    for n in 0..count {
        let (path, _) = tail(two);
        let poll = std::thread::spawn(move || {
            let response =
                try_request(two, "GET", &format!("{path}?wait=20"), &[], &[], TIMEOUT).unwrap();
            (response, Instant::now())
        });
        // Held by instance two before the write (a poll sent after it would not wait).
        std::thread::sleep(Duration::from_millis(30));
        assert!(
            !poll.is_finished(),
            "the poll is held while nothing changes"
        );
        let body = serde_json::to_vec(&serde_json::json!({
            "event": EVENT,
            "base": 0,
            "op": {"op": "announcement.create", "id": format!("bench-{n}"),
                   "title": format!("Hinweis {n}"), "published_at": "2019-12-27T08:00:00Z"}
        }))
        .unwrap();
        let key = format!("bench-notice-{n}");
        let posted = try_request(
            one,
            "POST",
            &format!("/v1/events/{EVENT}/ops"),
            &[
                ("authorization", auth.as_str()),
                ("idempotency-key", key.as_str()),
                ("content-type", "application/json"),
            ],
            &body,
            TIMEOUT,
        )
        .unwrap();
        assert_eq!(posted.status, 200, "{}", posted.text());
        let accepted = Instant::now();
        let (response, answered) = poll.join().unwrap();
        assert_eq!(response.status, 200, "{}", response.text());
        delays.push(answered.saturating_duration_since(accepted).as_secs_f64() * 1000.0);
    }
    delays
}

pub fn run() -> ExitCode {
    let bin: PathBuf = marktplatz_binary(&std::env::current_exe().unwrap()).unwrap();
    let Some(database) = ScratchDatabase::from_env() else {
        eprintln!("bench postgres: needs MARKTPLATZ_TEST_PG (scripts/start-postgres.sh)");
        return ExitCode::FAILURE;
    };
    let database = database.unwrap();
    let url = database.url().to_string();
    let root = tempfile::tempdir().unwrap();
    let sqlite = measure("SQLite", &bin, root.path(), None);
    let postgres = measure("PostgreSQL", &bin, root.path(), Some(&url));

    // Two instances on the database PostgreSQL's figures were measured on (36C3 published).
    let count: usize = env_or("BENCH_PG_NOTICES", 200);
    let one = ServerProcess::start(&bin, &root.path().join("one"), Some(&url)).unwrap();
    let two = ServerProcess::start(&bin, &root.path().join("two"), Some(&url)).unwrap();
    let token = token(&bin, &root.path().join("one"), Some(&url));
    let delays = notices(one.addr, two.addr, &token, count);
    let notice = Stats::of(&delays);
    eprintln!(
        "another instance's change noticed after: median {:.2} ms, p99 {:.2} ms, max {:.2} ms ({} samples)",
        notice.median, notice.p99, notice.max, notice.n
    );
    one.kill();
    two.kill();

    let engines = [&sqlite, &postgres];
    let json = serde_json::json!({
        "machine": machine(),
        "engines": engines.iter().map(|e| serde_json::json!({
            "engine": e.name,
            "publish_36c3_s": e.publish_s,
            "polls_304_per_s": e.polls_per_s,
            "poll_latency_avg_max": e.latency,
        })).collect::<Vec<_>>(),
        "notice_ms": notice,
        "notice_samples": delays,
        "target_notice_ms": 1000.0,
    });
    let mut md = format!(
        "# SQLite against PostgreSQL (issue 22, ADR 0021)\n\nMachine: {}. Generated by `scripts/bench.sh postgres` (release `marktplatz serve` processes; PostgreSQL on the same machine over TCP loopback).\n\n| engine | first publish of 36C3 (`marktplatz publish` over HTTP) | 304 polls per second (wrk 2 threads, 64 connections, 10 s) | poll latency avg / max |\n|---|---|---|---|\n",
        machine()
    );
    for e in engines {
        md.push_str(&format!(
            "| {} | {:.2} s | {:.0} | {} |\n",
            e.name, e.publish_s, e.polls_per_s, e.latency
        ));
    }
    md.push_str(&format!(
        "\n304 polls PostgreSQL / SQLite: {:.2} (heads in memory on both). Publish PostgreSQL / SQLite: {:.2}.\n\nAnother instance's change noticed: {} operations posted to instance one while instance two (same database) holds a long-poll, from the operation's 200 to the held poll's answer: median {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms (target: within a second).\n",
        postgres.polls_per_s / sqlite.polls_per_s,
        postgres.publish_s / sqlite.publish_s,
        notice.n,
        notice.median,
        notice.p90,
        notice.p99,
        notice.max
    ));
    match save("postgres", &json, &md) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench postgres: {e}");
            ExitCode::FAILURE
        }
    }
}
