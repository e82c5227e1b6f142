//! Followers of one event for the live-update measurements (`scripts/test-nginx-live.sh`):
//! `N` follow loops (`marktplatz_core::sync::follow`, the phones' own loop) through `--via`
//! (nginx, or the server itself), while this program posts `K` urgent announcements straight to
//! the server and waits until every follower applied each one. With `--origin-log` (a file with
//! one line per request that reached the server) it counts the change-page requests each change
//! cost the server (and with `--proxy-log`, the proxy's own log, those the proxy answered:
//! about two per follower and change, or followers spin). Prints one line: followers, changes, origin requests per change, and the
//! time from an operation's acceptance until the last follower applied it (p50, max).
//!
//! Usage: live_followers --via URL --origin URL --event ID --token T [--followers N]
//!        [--changes K] [--origin-log FILE] [--proxy-log FILE]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::Utc;
use marktplatz_core::store::Store;
use marktplatz_core::sync::{
    CancelToken, Client, ClientConfig, FollowOptions, Followed, NoHooks, PullOptions, follow, pull,
};
use marktplatz_model::model::Priority;
use marktplatz_model::ops::{Op, OpRequest};
use marktplatz_tests::organiser::post_op;

type Failure = Box<dyn std::error::Error>;

struct Args {
    via: String,
    origin: String,
    event: String,
    token: String,
    followers: usize,
    changes: usize,
    origin_log: Option<PathBuf>,
    proxy_log: Option<PathBuf>,
}

fn parse() -> Result<Args, Failure> {
    let mut args = Args {
        via: String::new(),
        origin: String::new(),
        event: String::new(),
        token: String::new(),
        followers: 500,
        changes: 3,
        origin_log: None,
        proxy_log: None,
    };
    let mut words = std::env::args().skip(1);
    while let Some(flag) = words.next() {
        let value = words.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--via" => args.via = value,
            "--origin" => args.origin = value,
            "--event" => args.event = value,
            "--token" => args.token = value,
            "--followers" => args.followers = value.parse()?,
            "--changes" => args.changes = value.parse()?,
            "--origin-log" => args.origin_log = Some(value.into()),
            "--proxy-log" => args.proxy_log = Some(value.into()),
            other => return Err(format!("unknown flag {other}").into()),
        }
    }
    if args.via.is_empty() || args.origin.is_empty() || args.event.is_empty() {
        return Err("--via, --origin, --event and --token are needed".into());
    }
    Ok(args)
}

/// Copies a closed store's files (its databases; no WAL is left once it is closed).
fn copy_dir(from: &Path, to: &Path) -> Result<(), Failure> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name()))?;
        }
    }
    Ok(())
}

/// Change-page requests the server has seen so far (lines of the origin's log).
fn origin_requests(log: Option<&Path>) -> Result<usize, Failure> {
    let Some(log) = log else { return Ok(0) };
    Ok(std::fs::read_to_string(log)?
        .lines()
        .filter(|line| line.contains("/changes/"))
        .count())
}

async fn run(args: Args) -> Result<String, Failure> {
    let work = tempfile::tempdir()?;
    // Holds of 20 s need a read timeout above them.
    let client = Arc::new(Client::new(ClientConfig {
        read_timeout: Duration::from_secs(30),
        request_timeout: Duration::from_secs(40),
        ..ClientConfig::default()
    })?);
    // Each follower is a phone with its own store: one is synced (through the proxy too: a
    // store follows the server it was synced from), closed, and copied for the others.
    let first = work.path().join("phone-0");
    {
        let store = Store::open(&first)?;
        pull(
            &client,
            &store,
            &args.via,
            &args.event,
            &PullOptions::default(),
            &NoHooks,
        )
        .await?;
    }
    let mut stores = Vec::new();
    for index in 0..args.followers {
        let dir = work.path().join(format!("phone-{index}"));
        if index > 0 {
            copy_dir(&first, &dir)?;
        }
        stores.push(Arc::new(Store::open(&dir)?));
    }
    let cancel = CancelToken::new();
    let heads: Arc<Vec<AtomicU64>> =
        Arc::new((0..args.followers).map(|_| AtomicU64::new(0)).collect());
    let mut loops = Vec::new();
    for follower in 0..args.followers {
        let (client, store, heads) = (client.clone(), stores[follower].clone(), heads.clone());
        let (via, event) = (args.via.clone(), args.event.clone());
        let options = FollowOptions {
            cancel: cancel.clone(),
            ..FollowOptions::default()
        };
        loops.push(tokio::spawn(async move {
            let told = |followed: Followed<'_>| {
                if let Followed::Applied(report) = followed {
                    heads[follower].fetch_max(report.cursor, Ordering::Relaxed);
                }
            };
            follow(&client, &store, &via, &event, &options, &NoHooks, &told).await
        }));
    }
    // Every follower is holding its long-poll by now.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let origin: SocketAddr = args
        .origin
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .parse()?;
    let mut per_change = Vec::new();
    let mut proxied = Vec::new();
    let mut latencies = Vec::new();
    for change in 0..args.changes {
        let before = origin_requests(args.origin_log.as_deref())?;
        let proxied_before = origin_requests(args.proxy_log.as_deref())?;
        let request = OpRequest {
            event: args.event.clone(),
            base: 0,
            op: Op::AnnouncementCreate {
                id: format!("live-{}-{change}", std::process::id()),
                title: format!("Raumänderung {change}"),
                body: "Forum jetzt im Seminarraum.".into(),
                priority: Priority::Urgent,
                published_at: Utc::now(),
                expires_at: None,
            },
        };
        let key = format!("live-followers-{}-{change}", std::process::id());
        let answer = post_op(origin, &args.token, &key, &request).await;
        let accepted = Instant::now();
        if answer.status != 200 {
            return Err(format!(
                "the operation was refused: {} {}",
                answer.status,
                answer.text()
            )
            .into());
        }
        let seq = answer.json()["seq"]
            .as_u64()
            .ok_or("the operation's answer has no seq")?;
        while heads.iter().any(|head| head.load(Ordering::Relaxed) < seq) {
            if accepted.elapsed() > Duration::from_secs(60) {
                let behind = heads
                    .iter()
                    .filter(|h| h.load(Ordering::Relaxed) < seq)
                    .count();
                return Err(format!(
                    "{behind} followers did not apply change {change} within 60 s"
                )
                .into());
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        latencies.push(accepted.elapsed());
        // Let the followers' next requests (the next held round) reach the origin too.
        tokio::time::sleep(Duration::from_secs(2)).await;
        per_change.push(origin_requests(args.origin_log.as_deref())? - before);
        proxied.push(origin_requests(args.proxy_log.as_deref())? - proxied_before);
    }
    cancel.cancel();
    for task in loops {
        task.await??;
    }
    latencies.sort();
    let p50 = latencies
        .get(latencies.len() / 2)
        .copied()
        .unwrap_or_default();
    let max = latencies.last().copied().unwrap_or_default();
    let worst = per_change.iter().max().copied().unwrap_or(0);
    let mean = per_change.iter().sum::<usize>() as f64 / per_change.len().max(1) as f64;
    let mut counted = String::new();
    if args.origin_log.is_some() {
        counted +=
            &format!("origin requests per change = {mean:.1} (at most {worst}; {per_change:?}), ");
    }
    if args.proxy_log.is_some() {
        counted += &format!("requests the proxy answered per change: {proxied:?}, ");
    }
    Ok(format!(
        "{} followers, {} changes: {counted}all followers applied a change within p50 {} ms, max {} ms",
        args.followers,
        args.changes,
        p50.as_millis(),
        max.as_millis()
    ))
}

fn main() -> ExitCode {
    let result = parse().and_then(|args| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()?;
        runtime.block_on(run(args))
    });
    match result {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("live_followers: {error}");
            ExitCode::FAILURE
        }
    }
}
