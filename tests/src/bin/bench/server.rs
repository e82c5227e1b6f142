//! `bench server` (`cargo run --release -p marktplatz-tests --bin bench -- server`; needs `nginx`
//! and `wrk`)
//!
//! Load on the publishing server at 9:00 on the opening day: every phone polls, many download
//! the first page. For 1,000 and 10,000 concurrent simulated devices (wrk connections, keep-alive,
//! on loopback) and for each request kind, requests per second and latency percentiles of our
//! server next to nginx serving the same bodies as static files (with ETags and `gzip_static`),
//! measured in the same run, plus the servers' peak memory.
//!
//! Request kinds:
//! - **no-change poll (304)**: what every device sends (`changes/{epoch}/{cursor}` with
//!   `If-None-Match`; see ADR 0002: devices poll the tail, not `head`);
//! - **head poll (304)**: `head` with `If-None-Match` (monitoring, CDNs);
//! - **first page (200, gzip)**: the first page of the initial sync.
//!
//! Our server runs in its own process (`bench-server`, the production router and allocator with
//! `max_connections` raised to 20,000); nginx runs from a generated config in a temporary folder.
//! Environment: `BENCH_SERVER_SECONDS` (per run, default 6), `BENCH_SERVER_REPEATS` (default 3),
//! `BENCH_SERVER_CONNECTIONS` (default `1000,10000`). Writes `bench-results/server.{json,md}`.

// A benchmark harness: anything unexpected should stop the run loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use marktplatz_server::Admin;
use marktplatz_tests::bench::{BenchEvent, Stats, event_36c3, machine, save};
use marktplatz_tests::raw_http;

pub(super) fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Lets this process and its children (server, nginx, wrk) open as many files as allowed.
#[allow(unsafe_code)]
pub(super) fn raise_open_files() -> u64 {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit/setrlimit read and write one rlimit struct we own.
    unsafe {
        libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit);
        limit.rlim_cur = limit.rlim_max;
        libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
        libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit);
    }
    limit.rlim_cur
}

/// One wrk run's figures (latencies in µs).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(super) struct WrkRun {
    requests: u64,
    duration_us: u64,
    bytes: u64,
    connect_errors: u64,
    read_errors: u64,
    write_errors: u64,
    status_errors: u64,
    timeouts: u64,
    pub(super) p50_us: f64,
    pub(super) p90_us: f64,
    pub(super) p99_us: f64,
    pub(super) max_us: f64,
    /// CPU time the server process used during the run.
    #[serde(default)]
    server_cpu_ms: f64,
}

impl WrkRun {
    pub(super) fn rps(&self) -> f64 {
        self.requests as f64 / (self.duration_us.max(1) as f64 / 1e6)
    }
    pub(super) fn errors(&self) -> u64 {
        self.connect_errors
            + self.read_errors
            + self.write_errors
            + self.status_errors
            + self.timeouts
    }
}

const DONE_LUA: &str = r#"
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"bytes":%d,"connect_errors":%d,"read_errors":%d,' ..
    '"write_errors":%d,"status_errors":%d,"timeouts":%d,"p50_us":%.1f,"p90_us":%.1f,' ..
    '"p99_us":%.1f,"max_us":%.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max))
end
"#;

/// A wrk script sending `headers` with every request and printing JSON when done.
pub(super) fn wrk_script(dir: &Path, name: &str, headers: &[(&str, &str)]) -> PathBuf {
    let mut lua = String::new();
    for (k, v) in headers {
        lua.push_str(&format!("wrk.headers[\"{k}\"] = [[{v}]]\n"));
    }
    lua.push_str(DONE_LUA);
    let path = dir.join(format!("{name}.lua"));
    std::fs::write(&path, lua).unwrap();
    path
}

/// utime + stime of a process, in ms.
pub(super) fn cpu_ms(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = [11, 12]
        .iter()
        .filter_map(|&i| fields.get(i).and_then(|v| v.parse::<f64>().ok()))
        .sum();
    #[allow(unsafe_code)]
    // SAFETY: sysconf only reads a configuration value.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as f64;
    ticks * 1000.0 / hz
}

fn children_of(pid: u32) -> Vec<u32> {
    std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children"))
        .unwrap_or_default()
        .split_whitespace()
        .filter_map(|p| p.parse().ok())
        .collect()
}

pub(super) fn status_kb(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// A server under test: its address and the processes whose CPU and memory count.
pub(super) struct Target {
    pub(super) name: &'static str,
    pub(super) addr: SocketAddr,
    pub(super) child: Child,
}

impl Target {
    fn pids(&self) -> Vec<u32> {
        let mut pids = vec![self.child.id()];
        pids.extend(children_of(self.child.id()));
        pids
    }
    fn cpu_ms(&self) -> f64 {
        self.pids().into_iter().map(cpu_ms).sum()
    }
    /// Peak resident memory, summed over the processes (nginx: master and workers).
    fn peak_kb(&self) -> u64 {
        self.pids()
            .into_iter()
            .map(|p| status_kb(p, "VmHWM:"))
            .sum()
    }
}

pub(super) fn wrk(
    target: &Target,
    path: &str,
    script: &Path,
    connections: usize,
    seconds: u64,
) -> WrkRun {
    let threads = 2;
    let cpu_before = target.cpu_ms();
    let output = Command::new("wrk")
        .args([
            "-t",
            &threads.to_string(),
            "-c",
            &connections.to_string(),
            "-d",
            &format!("{seconds}s"),
            "--timeout",
            "10s",
            "-s",
            &script.display().to_string(),
            &format!("http://{}{path}", target.addr),
        ])
        .output()
        .unwrap_or_else(|e| panic!("cannot run wrk (apt-get install wrk): {e}"));
    let server_cpu_ms = target.cpu_ms() - cpu_before;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout
        .lines()
        .find(|l| l.starts_with('{'))
        .unwrap_or_else(|| {
            panic!(
                "wrk printed no result: {stdout}\n{}",
                String::from_utf8_lossy(&output.stderr)
            )
        });
    let mut run: WrkRun = serde_json::from_str(line).unwrap();
    run.server_cpu_ms = server_cpu_ms;
    run
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A temporary folder with a server data directory in it (`<root>/server`) holding the 36C3
/// event, published.
pub(super) fn published_36c3() -> (tempfile::TempDir, PathBuf, BenchEvent) {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("server");
    let event = event_36c3();
    Admin::open(&data)
        .unwrap()
        .publish(event.bundle.clone())
        .unwrap();
    (root, data, event)
}

fn start_ours(data: &Path) -> Target {
    start_server(data, None, &[])
}

/// `bench-server DATA` (or the binary `exe`), with `env` set: its address and process.
pub(super) fn start_server(data: &Path, exe: Option<&Path>, env: &[(&str, &str)]) -> Target {
    // A binary of its own, with the server's allocator (this one measures the phone library
    // too, which keeps the system allocator).
    let exe = exe.map(Path::to_path_buf).unwrap_or_else(|| {
        std::env::current_exe()
            .unwrap()
            .with_file_name("bench-server")
    });
    let mut child = Command::new(exe)
        .arg(data)
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .strip_prefix("listening ")
        .unwrap_or_else(|| panic!("the server said {line:?}"))
        .parse()
        .unwrap();
    Target {
        name: "marktplatz-server",
        addr,
        child,
    }
}

fn start_nginx(dir: &Path, www: &Path, workers: usize) -> Target {
    let port = free_port();
    let tmp = dir.join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let conf = format!(
        "worker_processes {workers};
user root;
worker_rlimit_nofile 20000;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 20000; }}
http {{
    access_log off;
    default_type application/json;
    sendfile on;
    tcp_nodelay on;
    keepalive_timeout 75s;
    keepalive_requests 1000000;
    etag on;
    gzip_static on;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    server {{
        listen 127.0.0.1:{port} backlog=4096;
        root {www};
        add_header Cache-Control \"max-age=5\";
    }}
}}
",
        dir = dir.display(),
        tmp = tmp.display(),
        www = www.display(),
    );
    let path = dir.join("nginx.conf");
    std::fs::write(&path, conf).unwrap();
    let child = Command::new("nginx")
        .args([
            "-c",
            &path.display().to_string(),
            "-p",
            &dir.display().to_string(),
            "-g",
            "daemon off;",
        ])
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run nginx (apt-get install nginx-light): {e}"));
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    for _ in 0..100 {
        if std::net::TcpStream::connect(addr).is_ok() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Target {
        name: "nginx (static files)",
        addr,
        child,
    }
}

/// What one request kind sends to one server.
struct Request {
    path: String,
    headers: Vec<(String, String)>,
    status: u16,
}

#[derive(Serialize)]
struct Cell {
    server: String,
    kind: String,
    connections: usize,
    rps: Stats,
    p50_ms: f64,
    p90_ms: f64,
    p99_ms: f64,
    max_ms: f64,
    errors: u64,
    /// Requests per second of CPU the server process used (how much headroom is left when the
    /// load generator shares the machine).
    requests_per_cpu_second: f64,
    runs: Vec<WrkRun>,
}

fn check(runtime: &tokio::runtime::Runtime, target: &Target, request: &Request) -> usize {
    let headers: Vec<(&str, &str)> = request
        .headers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let answer = runtime.block_on(raw_http::get(target.addr, &request.path, &headers));
    assert_eq!(
        answer.status,
        request.status,
        "{} answered {} to {} ({})",
        target.name,
        answer.status,
        request.path,
        answer.text()
    );
    answer.body.len()
}

pub fn run() -> std::process::ExitCode {
    let open_files = raise_open_files();
    let seconds: u64 = env_or("BENCH_SERVER_SECONDS", 6);
    let repeats: usize = env_or("BENCH_SERVER_REPEATS", 3);
    let connections: Vec<usize> = std::env::var("BENCH_SERVER_CONNECTIONS")
        .unwrap_or_else(|_| "1000,10000".into())
        .split(',')
        .filter_map(|c| c.trim().parse().ok())
        .collect();
    // Each side (wrk, the server) holds one descriptor per connection, plus a few.
    if let Some(&most) = connections.iter().max()
        && most as u64 + 200 > open_files
    {
        eprintln!(
            "bench server: {most} connections need about {} open files, the limit is {open_files} (ulimit -n)",
            most + 200
        );
        return std::process::ExitCode::FAILURE;
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (root, data, event) = published_36c3();
    let id = event.bundle.event.id.clone();
    let mut ours = start_ours(&data);

    // The bodies nginx serves: exactly what our server sends.
    let head = runtime.block_on(raw_http::get(
        ours.addr,
        &format!("/v1/events/{id}/head"),
        &[],
    ));
    let head_json = head.json();
    let epoch = head_json["epoch"].as_str().unwrap().to_string();
    let seq = head_json["seq"].as_u64().unwrap();
    let head_etag = head.header("etag").unwrap().to_string();
    let poll_path = format!("/v1/events/{id}/changes/{epoch}/{seq}");
    let poll = runtime.block_on(raw_http::get(ours.addr, &poll_path, &[]));
    let poll_etag = poll.header("etag").unwrap().to_string();
    let page_path = format!("/v1/events/{id}/changes");
    let page = runtime.block_on(raw_http::get(ours.addr, &page_path, &[]));
    let page_gz = runtime.block_on(raw_http::get(
        ours.addr,
        &page_path,
        &[("accept-encoding", "gzip")],
    ));
    assert_eq!(page_gz.header("content-encoding"), Some("gzip"));
    let www = root.path().join("www");
    std::fs::create_dir_all(&www).unwrap();
    std::fs::write(www.join("head.json"), &head.body).unwrap();
    std::fs::write(www.join("poll.json"), &poll.body).unwrap();
    std::fs::write(www.join("page.json"), &page.body).unwrap();
    std::fs::write(www.join("page.json.gz"), &page_gz.body).unwrap();
    let mut nginx = start_nginx(root.path(), &www, 2);
    let nginx_etag = |file: &str| -> String {
        let answer = runtime.block_on(raw_http::get(nginx.addr, &format!("/{file}"), &[]));
        assert_eq!(answer.status, 200, "nginx /{file}: {}", answer.text());
        answer.header("etag").unwrap().to_string()
    };
    let (nginx_poll_etag, nginx_head_etag) = (nginx_etag("poll.json"), nginx_etag("head.json"));

    let kinds: Vec<(&str, Request, Request)> = vec![
        (
            "no-change poll (304)",
            Request {
                path: poll_path.clone(),
                headers: vec![("If-None-Match".into(), poll_etag.clone())],
                status: 304,
            },
            Request {
                path: "/poll.json".into(),
                headers: vec![("If-None-Match".into(), nginx_poll_etag)],
                status: 304,
            },
        ),
        (
            "head poll (304)",
            Request {
                path: format!("/v1/events/{id}/head"),
                headers: vec![("If-None-Match".into(), head_etag.clone())],
                status: 304,
            },
            Request {
                path: "/head.json".into(),
                headers: vec![("If-None-Match".into(), nginx_head_etag)],
                status: 304,
            },
        ),
        (
            "first page (200, gzip)",
            Request {
                path: page_path.clone(),
                headers: vec![("Accept-Encoding".into(), "gzip".into())],
                status: 200,
            },
            Request {
                path: "/page.json".into(),
                headers: vec![("Accept-Encoding".into(), "gzip".into())],
                status: 200,
            },
        ),
    ];

    let scripts = root.path().join("scripts");
    std::fs::create_dir_all(&scripts).unwrap();
    let mut cells = Vec::new();
    let mut page_bytes = 0;
    for (k, (kind, ours_request, nginx_request)) in kinds.iter().enumerate() {
        for (target, request) in [(&ours, ours_request), (&nginx, nginx_request)] {
            let size = check(&runtime, target, request);
            if ours_request.status == 200 {
                page_bytes = size;
            }
        }
        for &conns in &connections {
            let mut runs: [Vec<WrkRun>; 2] = [Vec::new(), Vec::new()];
            for repeat in 0..repeats {
                // Alternate which server goes first, so drift on the shared machine evens out.
                let order: [usize; 2] = if repeat % 2 == 0 { [0, 1] } else { [1, 0] };
                for side in order {
                    let (target, request) = if side == 0 {
                        (&ours, ours_request)
                    } else {
                        (&nginx, nginx_request)
                    };
                    let headers: Vec<(&str, &str)> = request
                        .headers
                        .iter()
                        .map(|(a, b)| (a.as_str(), b.as_str()))
                        .collect();
                    let script = wrk_script(&scripts, &format!("k{k}-s{side}"), &headers);
                    let run = wrk(target, &request.path, &script, conns, seconds);
                    eprintln!(
                        "{kind:<24} {conns:>6} conns  {:<22} {:>9.0} req/s  p50 {:>7.2} ms  p99 {:>7.2} ms  errors {}",
                        target.name,
                        run.rps(),
                        run.p50_us / 1000.0,
                        run.p99_us / 1000.0,
                        run.errors()
                    );
                    runs[side].push(run);
                }
            }
            for (side, runs) in runs.into_iter().enumerate() {
                let target = if side == 0 { &ours } else { &nginx };
                let rps: Vec<f64> = runs.iter().map(WrkRun::rps).collect();
                let stats = Stats::of(&rps);
                // Latency figures of the run with the median throughput.
                let median_run = runs
                    .iter()
                    .min_by(|a, b| {
                        (a.rps() - stats.median)
                            .abs()
                            .total_cmp(&(b.rps() - stats.median).abs())
                    })
                    .cloned()
                    .unwrap_or_default();
                let cpu_s: f64 = runs.iter().map(|r| r.server_cpu_ms).sum::<f64>() / 1000.0;
                let requests: u64 = runs.iter().map(|r| r.requests).sum();
                cells.push(Cell {
                    server: target.name.to_string(),
                    kind: kind.to_string(),
                    connections: conns,
                    rps: stats,
                    p50_ms: median_run.p50_us / 1000.0,
                    p90_ms: median_run.p90_us / 1000.0,
                    p99_ms: median_run.p99_us / 1000.0,
                    max_ms: median_run.max_us / 1000.0,
                    errors: runs.iter().map(WrkRun::errors).sum(),
                    requests_per_cpu_second: requests as f64 / cpu_s.max(1e-9),
                    runs,
                });
            }
        }
    }
    let ours_peak_kb = ours.peak_kb();
    let nginx_peak_kb = nginx.peak_kb();
    drop(ours.child.stdin.take());
    let _ = ours.child.wait();
    // SIGQUIT: nginx's graceful stop (workers finish, master exits).
    #[allow(unsafe_code)]
    // SAFETY: kill sends a signal to the nginx master this process started.
    unsafe {
        libc::kill(nginx.child.id() as libc::pid_t, libc::SIGQUIT);
    }
    let _ = nginx.child.wait();

    let md = markdown(
        &cells,
        seconds,
        repeats,
        ours_peak_kb,
        nginx_peak_kb,
        page_bytes,
        event.name,
    );
    println!("{md}");
    let json = serde_json::json!({
        "machine": machine(),
        "event": event.name,
        "seconds_per_run": seconds,
        "repeats": repeats,
        "load_generator": "wrk -t2 --timeout 10s (keep-alive connections)",
        "ours_peak_rss_kb": ours_peak_kb,
        "nginx_peak_rss_kb": nginx_peak_kb,
        "first_page_gzip_bytes": page_bytes,
        "cells": cells,
    });
    if let Err(e) = save("server", &json, &md) {
        eprintln!("bench server: {e}");
        return std::process::ExitCode::FAILURE;
    }
    std::process::ExitCode::SUCCESS
}

fn markdown(
    cells: &[Cell],
    seconds: u64,
    repeats: usize,
    ours_kb: u64,
    nginx_kb: u64,
    page_bytes: usize,
    event: &str,
) -> String {
    let mut md = format!(
        "# Server load\n\nMachine: {}; the load generator (wrk, 2 threads, keep-alive) shares it with the server. Event: {event}. Each cell: median of {repeats} runs of {seconds} s (servers alternating); latencies from the run with the median throughput. nginx: 2 workers serving the same bodies as static files (ETag, `gzip_static` with our gzip body, {page_bytes} bytes). Our server: the production router, `max_connections` raised to 20,000 for the test.\n\n| request | devices | ours req/s | nginx req/s | ours / nginx | ours p50 / p99 ms | nginx p50 / p99 ms | ours req per CPU s | nginx req per CPU s | errors (ours / nginx) |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
        machine()
    );
    for pair in cells.chunks(2) {
        let [o, n] = pair else { continue };
        md.push_str(&format!(
            "| {} | {} | {:.0} | {:.0} | {:.2} | {:.2} / {:.2} | {:.2} / {:.2} | {:.0} | {:.0} | {} / {} |\n",
            o.kind,
            o.connections,
            o.rps.median,
            n.rps.median,
            o.rps.median / n.rps.median.max(1e-9),
            o.p50_ms,
            o.p99_ms,
            n.p50_ms,
            n.p99_ms,
            o.requests_per_cpu_second,
            n.requests_per_cpu_second,
            o.errors,
            n.errors
        ));
    }
    md.push_str(&format!(
        "\nPeak resident memory: our server {:.1} MB, nginx {:.1} MB (master and workers).\n",
        ours_kb as f64 / 1024.0,
        nginx_kb as f64 / 1024.0
    ));
    md
}
