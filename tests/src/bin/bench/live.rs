//! Live updates at scale (issue 19, ADR 0014): N followers of one event hold the tail page's
//! long-poll on one server over loopback while urgent announcements are posted.
//!
//! The server is `bench-server` (its own process, production router and allocator, waiter and
//! connection limits raised for one address). The followers are a second process
//! (`bench live-child`): N tokio tasks, each a keep-alive HTTP/1.1 connection sending the
//! request the core's follow loop sends (`wire::changes_path` + `long_poll_query(20 s)`,
//! `If-None-Match: page_etag`), decoding each page (`Page::decode`, as `apply_page` does) and
//! applying it to an in-memory map: "applied" here means parsed, checked and applied in memory,
//! not written to SQLite (10,000 stores would need more files than the machine allows). The
//! phone-side figure (real follow loops with stores) is `live_followers` with 200 followers.
//!
//! Measured, for each N (`BENCH_LIVE_FOLLOWERS`, default `100,10000`; the first is the
//! baseline): the server's RSS while all N wait, its CPU over `BENCH_LIVE_IDLE_SECONDS` (20)
//! with nothing changing, and for each of `BENCH_LIVE_CHANGES` (10) announcements the time from
//! the organiser's POST returning until the last follower applied it (p50/p99 over the
//! changes), plus each single delivery (p50/p99 over N × changes).

// A benchmark harness: anything unexpected should stop the run loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::process::{Command, ExitCode, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chrono::Utc;
use marktplatz_core::sync::pull::long_poll_query;
use marktplatz_model::model::Priority;
use marktplatz_model::ops::{Op, OpRequest};
use marktplatz_model::wire::{self, DecodedChange, Page};
use marktplatz_server::Admin;
use marktplatz_tests::bench::{Stats, machine, results_dir};
use marktplatz_tests::fixtures::small_bundle;
use marktplatz_tests::organiser::post_op;
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::server::{Target, cpu_ms, start_server, status_kb};

const EVENT: &str = "live";
/// This benchmark's section of `bench-results/live-updates.md`.
const SECTION_TITLE: &str = "## 10,000 followers on one server (`scripts/bench.sh live`)";
/// The hold the phones ask for (`FollowOptions::default().wait`).
const HOLD: Duration = Duration::from_secs(20);

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// What the follower process reports after the changes.
#[derive(Debug, Default, Serialize, Deserialize)]
struct ChildReport {
    followers: usize,
    changes: usize,
    /// Per change: from the POST's answer until the last follower applied it (ms).
    all_applied_ms: Vec<f64>,
    /// Per follower and change: from the POST's answer until that follower applied it (ms).
    delivery: Stats,
    /// Requests the followers sent while the server was idle (the re-polls after a hold).
    idle_requests: u64,
    /// Answers 429 or errors seen (should be 0).
    refused: u64,
}

/// One measured run of N followers.
#[derive(Debug, Serialize)]
struct Run {
    followers: usize,
    rss_before_kb: u64,
    /// With N connections open that sent nothing yet.
    rss_connected_kb: u64,
    rss_waiting_kb: u64,
    rss_after_changes_kb: u64,
    idle_seconds: f64,
    idle_cpu_ms: f64,
    all_applied: Stats,
    report: ChildReport,
}

pub fn run() -> ExitCode {
    raise_fd_limit();
    let counts: Vec<usize> = std::env::var("BENCH_LIVE_FOLLOWERS")
        .unwrap_or_else(|_| "100,10000".into())
        .split(',')
        .filter_map(|n| n.trim().parse().ok())
        .collect();
    let changes: usize = env_or("BENCH_LIVE_CHANGES", 10);
    let idle = Duration::from_secs(env_or("BENCH_LIVE_IDLE_SECONDS", 20));
    let mut runs = Vec::new();
    for &followers in &counts {
        eprintln!("live: {followers} followers");
        runs.push(measure(followers, changes, idle));
    }
    let phone = phone_side(changes);
    let (json, markdown) = render(&runs, phone.as_deref(), changes, idle);
    println!("{markdown}");
    match save_section(&json, &markdown) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("cannot save the results: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Writes `live-updates.json` and replaces this benchmark's section of `live-updates.md` (the
/// file's nginx section, measured by `scripts/test-nginx-live.sh`, stays).
fn save_section(json: &serde_json::Value, section: &str) -> std::io::Result<()> {
    let dir = results_dir();
    std::fs::create_dir_all(&dir)?;
    std::fs::write(
        dir.join("live-updates.json"),
        serde_json::to_string_pretty(json)?,
    )?;
    let path = dir.join("live-updates.md");
    let existing = std::fs::read_to_string(&path).unwrap_or_else(|_| "# Live updates\n".into());
    let kept = [SECTION_TITLE, "## Not measured yet"]
        .iter()
        .filter_map(|title| existing.find(title))
        .min()
        .map_or(existing.as_str(), |at| &existing[..at]);
    std::fs::write(&path, format!("{}\n\n{section}", kept.trim_end()))?;
    eprintln!("saved {}/live-updates.{{json,md}}", dir.display());
    Ok(())
}

fn raise_fd_limit() {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    #[allow(unsafe_code)]
    // SAFETY: get/setrlimit read and write the struct passed; no other memory is touched.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 {
            limit.rlim_cur = limit.rlim_max;
            libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
        }
    }
}

/// A fresh server with the small event published, and an organiser token for it.
fn server_with_event() -> (tempfile::TempDir, Target, String) {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("server");
    let admin = Admin::open(&data).unwrap();
    admin.publish(small_bundle(EVENT)).unwrap();
    let token = admin.create_token(EVENT, "organiser").unwrap();
    drop(admin);
    let server = start_server(&data, None, &[]);
    (root, server, token)
}

fn measure(followers: usize, changes: usize, idle: Duration) -> Run {
    let (_root, server, token) = server_with_event();
    let pid = server.child.id();
    let rss_before_kb = status_kb(pid, "VmRSS:");
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "live-child",
            &server.addr.to_string(),
            &token,
            &followers.to_string(),
            &changes.to_string(),
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut stdin = child.stdin.take().unwrap();
    // First N bare connections (no request sent): what an open connection costs the server.
    let connected = lines.next().unwrap().unwrap();
    assert!(
        connected.starts_with("connected"),
        "the followers said {connected:?}"
    );
    let rss_connected_kb = status_kb(pid, "VmRSS:");
    writeln!(stdin, "next").unwrap();
    let holding = lines.next().unwrap().unwrap();
    assert!(
        holding.starts_with("holding"),
        "the followers said {holding:?}"
    );
    let rss_waiting_kb = status_kb(pid, "VmRSS:");
    let cpu_before = cpu_ms(pid);
    let idle_started = Instant::now();
    std::thread::sleep(idle);
    let idle_cpu_ms = cpu_ms(pid) - cpu_before;
    let idle_seconds = idle_started.elapsed().as_secs_f64();
    let rss_waiting_kb = rss_waiting_kb.max(status_kb(pid, "VmRSS:"));
    writeln!(stdin, "go").unwrap();
    let report: ChildReport = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    let rss_after_changes_kb = status_kb(pid, "VmRSS:");
    drop(stdin);
    assert!(
        child.wait().unwrap().success(),
        "the follower process failed"
    );
    let mut server = server;
    drop(server.child.stdin.take());
    let _ = server.child.wait();
    Run {
        followers,
        rss_before_kb,
        rss_connected_kb,
        rss_waiting_kb,
        rss_after_changes_kb,
        idle_seconds,
        idle_cpu_ms,
        all_applied: Stats::of(&report.all_applied_ms),
        report,
    }
}

/// The phone-side figure: `live_followers` (real `follow` loops, one SQLite store each) with
/// `BENCH_LIVE_STORES` (200) followers, if that binary was built next to this one.
fn phone_side(changes: usize) -> Option<String> {
    let stores: usize = env_or("BENCH_LIVE_STORES", 200);
    let exe = std::env::current_exe()
        .unwrap()
        .with_file_name("live_followers");
    if stores == 0 || !exe.exists() {
        eprintln!("live: no phone-side run ({} missing)", exe.display());
        return None;
    }
    eprintln!("live: {stores} store-backed followers (live_followers)");
    let (_root, server, token) = server_with_event();
    let url = format!("http://{}", server.addr);
    let output = Command::new(exe)
        .args(["--via", &url, "--origin", &url, "--event", EVENT, "--token"])
        .arg(&token)
        .args(["--followers", &stores.to_string()])
        .args(["--changes", &changes.to_string()])
        .output()
        .unwrap();
    let mut server = server;
    drop(server.child.stdin.take());
    let _ = server.child.wait();
    let line = String::from_utf8_lossy(&output.stdout).trim().to_string();
    if output.status.success() {
        Some(line)
    } else {
        Some(format!(
            "failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ))
    }
}

fn render(
    runs: &[Run],
    phone: Option<&str>,
    changes: usize,
    idle: Duration,
) -> (serde_json::Value, String) {
    let mb = |kb: u64| kb as f64 / 1024.0;
    let mut md = format!(
        "{SECTION_TITLE}\n\n\
         Machine: {}. `bench live` (profile `bench`: release with thin LTO, opt-level 3): \
         `bench-server` as its own process on 127.0.0.1, one event, followers in a second \
         process: tokio tasks, each one keep-alive HTTP/1.1 connection sending the follow \
         loop's request (`changes/E/S?wait=20&cursor=B`, `If-None-Match`) and **applying each \
         page in memory** (parsed, checked with `Page::decode`, applied to a map; no SQLite). \
         {changes} urgent announcements posted one after another (1 s apart once all had \
         applied the previous one); idle: {} s with nothing changing, all followers waiting.\n\n\
         | followers | all applied, p50 | all applied, p99 | one delivery, p50 / p99 | server RSS: idle → N connected → N waiting → after changes | server CPU idle | idle re-polls | refused |\n\
         |---|---|---|---|---|---|---|---|\n",
        machine(),
        idle.as_secs()
    );
    for run in runs {
        md += &format!(
            "| {} | {:.0} ms | {:.0} ms | {:.0} / {:.0} ms | {:.1} → {:.1} → {:.1} → {:.1} MB | {:.0} ms in {:.1} s ({:.2} % of a core) | {} | {} |\n",
            run.followers,
            run.all_applied.median,
            run.all_applied.p99,
            run.report.delivery.median,
            run.report.delivery.p99,
            mb(run.rss_before_kb),
            mb(run.rss_connected_kb),
            mb(run.rss_waiting_kb),
            mb(run.rss_after_changes_kb),
            run.idle_cpu_ms,
            run.idle_seconds,
            run.idle_cpu_ms / (run.idle_seconds * 10.0),
            run.report.idle_requests,
            run.report.refused,
        );
    }
    if let (Some(base), Some(big)) = (runs.first(), runs.last())
        && runs.len() > 1
    {
        let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
        md += &format!(
            "\nRatios {} vs {} followers: all-applied p99 ×{:.1}, RSS waiting ×{:.1} \
             ({:.1} KB more per waiting follower, of which {:.1} KB per open connection), idle \
             CPU ×{:.1}.\n",
            big.followers,
            base.followers,
            ratio(big.all_applied.p99, base.all_applied.p99),
            ratio(big.rss_waiting_kb as f64, base.rss_waiting_kb as f64),
            ratio(
                big.rss_waiting_kb as f64 - base.rss_waiting_kb as f64,
                (big.followers - base.followers).max(1) as f64
            ),
            ratio(
                big.rss_connected_kb as f64 - base.rss_connected_kb as f64,
                (big.followers - base.followers).max(1) as f64
            ),
            ratio(big.idle_cpu_ms, base.idle_cpu_ms),
        );
        let pass = |ok: bool| if ok { "PASS" } else { "MISS" };
        md += &format!(
            "\nTargets at {} followers: all-applied p99 < 1 s: {}; server RSS while waiting < 150 MB: {}.\n",
            big.followers,
            pass(big.all_applied.p99 < 1000.0),
            pass(mb(big.rss_waiting_kb) < 150.0),
        );
    }
    if let Some(line) = phone {
        md += &format!(
            "\nPhone side (`live_followers`: real `follow` loops, one SQLite store each, the same \
             server build): `{line}`\n"
        );
    }
    let json = serde_json::json!({
        "machine": machine(),
        "changes": changes,
        "idle_seconds": idle.as_secs(),
        "applied_means": "parsed, checked (Page::decode) and applied to an in-memory map",
        "runs": runs,
        "phone_side": phone,
    });
    (json, md)
}

/// `bench live-child ADDR TOKEN N K`: the follower process.
pub fn child(args: &[String]) -> ExitCode {
    raise_fd_limit();
    let [addr, token, followers, changes] = args else {
        eprintln!("usage: bench live-child ADDR TOKEN FOLLOWERS CHANGES");
        return ExitCode::FAILURE;
    };
    let addr: SocketAddr = addr.parse().unwrap();
    let followers: usize = followers.parse().unwrap();
    let changes: usize = changes.parse().unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let report = runtime.block_on(follow_all(addr, token, followers, changes));
    println!("{}", serde_json::to_string(&report).unwrap());
    ExitCode::SUCCESS
}

/// What every follower shares with the process measuring them.
struct Shared {
    /// Each follower's cursor after its last applied page.
    heads: Vec<AtomicU64>,
    /// When each follower last applied a page (ns since `base`).
    applied_at: Vec<AtomicU64>,
    base: Instant,
    started: AtomicUsize,
    requests: AtomicU64,
    refused: AtomicU64,
}

async fn follow_all(
    addr: SocketAddr,
    token: &str,
    followers: usize,
    changes: usize,
) -> ChildReport {
    let (epoch, cursor) = first_sync(addr).await;
    // Bare connections first, measured within the server's header deadline (10 s).
    let mut bare = Vec::with_capacity(followers);
    for _ in 0..followers {
        bare.push(TcpStream::connect(addr).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    tell_parent(&format!("connected {followers}")).await;
    drop(bare);
    tokio::time::sleep(Duration::from_secs(1)).await;
    let shared = Arc::new(Shared {
        heads: (0..followers).map(|_| AtomicU64::new(cursor)).collect(),
        applied_at: (0..followers).map(|_| AtomicU64::new(0)).collect(),
        base: Instant::now(),
        started: AtomicUsize::new(0),
        requests: AtomicU64::new(0),
        refused: AtomicU64::new(0),
    });
    // Connect in waves, as phones arriving would, not 10,000 SYNs at once into the backlog.
    let connecting = Arc::new(tokio::sync::Semaphore::new(256));
    for index in 0..followers {
        let (shared, epoch, connecting) = (shared.clone(), epoch.clone(), connecting.clone());
        tokio::spawn(async move {
            follower(addr, index, epoch, cursor, &shared, &connecting).await;
        });
    }
    while shared.started.load(Ordering::Relaxed) < followers {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // The last requests are parked on the server by now.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let requests_before = shared.requests.load(Ordering::Relaxed);
    tell_parent(&format!("holding {followers}")).await;
    let idle_requests = shared.requests.load(Ordering::Relaxed) - requests_before;
    let mut all_applied_ms = Vec::new();
    let mut delivery = Vec::new();
    for change in 0..changes {
        let request = OpRequest {
            event: EVENT.into(),
            base: 0,
            op: Op::AnnouncementCreate {
                id: format!("live-{change}"),
                title: format!("Raumänderung {change}"),
                body: "Forum jetzt im Seminarraum.".into(),
                priority: Priority::Urgent,
                published_at: Utc::now(),
                expires_at: None,
            },
        };
        let answer = post_op(addr, token, &format!("live-bench-{change}"), &request).await;
        let accepted = shared.base.elapsed();
        assert_eq!(answer.status, 200, "the operation: {}", answer.text());
        let seq = answer.json()["seq"].as_u64().unwrap();
        while shared
            .heads
            .iter()
            .any(|head| head.load(Ordering::Relaxed) < seq)
        {
            assert!(
                shared.base.elapsed() - accepted < Duration::from_secs(60),
                "not every follower applied change {change} within 60 s"
            );
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        all_applied_ms.push((shared.base.elapsed() - accepted).as_secs_f64() * 1000.0);
        let accepted_ns = accepted.as_nanos() as u64;
        delivery.extend(
            shared
                .applied_at
                .iter()
                .map(|at| at.load(Ordering::Relaxed).saturating_sub(accepted_ns) as f64 / 1e6),
        );
        // Every follower is holding its next long-poll again.
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    ChildReport {
        followers,
        changes,
        all_applied_ms,
        delivery: Stats::of(&delivery),
        idle_requests,
        refused: shared.refused.load(Ordering::Relaxed),
    }
}

/// Says `line` to the measuring process and waits for its answer (a line on stdin).
async fn tell_parent(line: &str) {
    println!("{line}");
    std::io::stdout().flush().unwrap();
    tokio::task::spawn_blocking(|| std::io::stdin().read_line(&mut String::new()))
        .await
        .unwrap()
        .unwrap();
}

/// The event's pages from the start, as a first sync reads them: its epoch and head cursor.
async fn first_sync(addr: SocketAddr) -> (String, u64) {
    let mut connection = Connection::open(addr).await.unwrap();
    let mut epoch: Option<String> = None;
    let mut since = 0;
    loop {
        let path = wire::changes_path(EVENT, epoch.as_deref(), since);
        let (status, body) = connection.get(&path, None).await.unwrap();
        assert_eq!(status, 200, "{path}: {}", String::from_utf8_lossy(&body));
        let page: Page = serde_json::from_slice(&body).unwrap();
        page.decode(epoch.as_deref(), since).unwrap();
        since = page.next;
        epoch = Some(page.epoch.clone());
        if !page.more {
            return (page.epoch, since);
        }
    }
}

/// One follower: holds the tail long-poll, applies each page to its in-memory state, repeats.
async fn follower(
    addr: SocketAddr,
    index: usize,
    epoch: String,
    mut cursor: u64,
    shared: &Shared,
    connecting: &tokio::sync::Semaphore,
) {
    // id → the seq of its current version (the entity's state, in memory).
    let mut state: HashMap<String, u64> = HashMap::new();
    let mut connection = None;
    let mut first = true;
    loop {
        let open = match connection.take() {
            Some(open) => open,
            None => {
                let _permit = connecting.acquire().await.unwrap();
                match Connection::open(addr).await {
                    Ok(open) => open,
                    Err(_) => {
                        shared.refused.fetch_add(1, Ordering::Relaxed);
                        tokio::time::sleep(Duration::from_secs(1)).await;
                        continue;
                    }
                }
            }
        };
        let mut open = open;
        let path = format!(
            "{}{}",
            wire::changes_path(EVENT, Some(&epoch), cursor),
            long_poll_query(HOLD)
        );
        let etag = wire::page_etag(&epoch, cursor);
        if first {
            first = false;
            shared.started.fetch_add(1, Ordering::Relaxed);
        }
        shared.requests.fetch_add(1, Ordering::Relaxed);
        match open.get(&path, Some(&etag)).await {
            Ok((304, _)) => connection = Some(open),
            Ok((200, body)) => {
                let page: Page = serde_json::from_slice(&body).unwrap();
                for change in page.decode(Some(&epoch), cursor).unwrap() {
                    match change {
                        DecodedChange::Upsert { seq, entity, .. } => {
                            state.insert(entity.id().to_string(), seq);
                        }
                        DecodedChange::Patch { seq, id, .. } => {
                            state.insert(id, seq);
                        }
                        DecodedChange::Delete { id, .. } => {
                            state.remove(&id);
                        }
                    }
                }
                cursor = page.next;
                shared.applied_at[index]
                    .store(shared.base.elapsed().as_nanos() as u64, Ordering::Relaxed);
                shared.heads[index].store(cursor, Ordering::Relaxed);
                connection = Some(open);
            }
            Ok(_) | Err(_) => {
                shared.refused.fetch_add(1, Ordering::Relaxed);
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

/// A keep-alive HTTP/1.1 connection (what the phones' HTTP client keeps per server).
struct Connection {
    stream: tokio::io::BufReader<TcpStream>,
    host: String,
}

impl Connection {
    async fn open(addr: SocketAddr) -> std::io::Result<Connection> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        Ok(Connection {
            stream: tokio::io::BufReader::new(stream),
            host: addr.to_string(),
        })
    }

    /// GET `path` (with `If-None-Match`): the status and the body (content-length or chunked).
    async fn get(&mut self, path: &str, etag: Option<&str>) -> std::io::Result<(u16, Vec<u8>)> {
        let mut head = format!("GET {path} HTTP/1.1\r\nhost: {}\r\n", self.host);
        if let Some(etag) = etag {
            head.push_str(&format!("if-none-match: {etag}\r\n"));
        }
        head.push_str("\r\n");
        self.stream.get_mut().write_all(head.as_bytes()).await?;
        let mut line = String::new();
        self.stream.read_line(&mut line).await?;
        let status: u16 = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| std::io::Error::other(format!("status line {line:?}")))?;
        let mut length = 0usize;
        let mut chunked = false;
        loop {
            line.clear();
            if self.stream.read_line(&mut line).await? == 0 {
                return Err(std::io::Error::other("closed in the head"));
            }
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                let value = value.trim();
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.parse().unwrap_or(0);
                } else if name.eq_ignore_ascii_case("transfer-encoding") {
                    chunked = value.contains("chunked");
                }
            }
        }
        let mut body = Vec::new();
        if chunked {
            loop {
                line.clear();
                self.stream.read_line(&mut line).await?;
                let size = usize::from_str_radix(line.trim().split(';').next().unwrap_or(""), 16)
                    .map_err(std::io::Error::other)?;
                let mut chunk = vec![0; size + 2];
                self.stream.read_exact(&mut chunk).await?;
                if size == 0 {
                    break;
                }
                body.extend_from_slice(&chunk[..size]);
            }
        } else if status != 304 {
            body.resize(length, 0);
            self.stream.read_exact(&mut body).await?;
        }
        Ok((status, body))
    }
}
