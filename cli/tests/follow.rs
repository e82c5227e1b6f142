//! `marktplatz sync --follow --json` from the built binary against a real `marktplatz serve`:
//! a line for the sync, then a line for the change an organiser announces meanwhile, within
//! moments; Ctrl-C (SIGINT) ends it with exit status 0.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::*;

/// The follower's stdout, line by line, as it comes.
fn lines_of(stdout: std::process::ChildStdout) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

fn report(lines: &mpsc::Receiver<String>, within: Duration) -> serde_json::Value {
    let line = lines.recv_timeout(within).expect("a report line in time");
    serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"))
}

#[test]
fn follow_prints_a_json_line_per_applied_answer_and_ctrl_c_ends_it_cleanly() {
    let demo = Demo::start();
    demo.log_in();
    let watcher = demo.root.path().join("watcher");
    let mut follower = marktplatz()
        .args(["sync", "--follow", "--json", "--no-assets"])
        .args(["--server", &demo.server.url, "--event", DEMO, "--device"])
        .arg(&watcher)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let lines = lines_of(follower.stdout.take().unwrap());
    let synced = report(&lines, Duration::from_secs(30));
    assert_eq!(synced["event_id"], DEMO, "{synced}");
    // What the sync spent of its budget, and no page stepped past on a sound server.
    assert!(synced["pages"].as_u64().unwrap() >= 1, "{synced}");
    assert!(synced["bytes"].as_u64().unwrap() > 0, "{synced}");
    assert_eq!(synced["budget_spent"], false, "{synced}");
    assert_eq!(synced["skipped_pages"], serde_json::json!([]), "{synced}");
    let cursor = synced["cursor"].as_u64().unwrap();
    // The follower holds its long-poll by now; the announcement wakes it.
    std::thread::sleep(Duration::from_millis(500));
    run(marktplatz().args([
        "announce",
        "--device",
        demo.phone(),
        "Raumänderung: Forum jetzt im Seminarraum",
        "--priority",
        "urgent",
    ]))
    .ok();
    let sent = Instant::now();
    let followed = report(&lines, Duration::from_secs(5));
    assert!(
        sent.elapsed() < Duration::from_secs(2),
        "{:?}",
        sent.elapsed()
    );
    assert_eq!(followed["event_id"], DEMO, "{followed}");
    assert!(followed["cursor"].as_u64().unwrap() > cursor, "{followed}");
    assert!(followed["pages"].as_u64().unwrap() >= 1, "{followed}");
    assert_eq!(followed["budget_spent"], false, "{followed}");
    assert_eq!(
        followed["skipped_pages"],
        serde_json::json!([]),
        "{followed}"
    );
    assert_eq!(
        followed["summary"]["kinds"]["announcement"]["added"], 1,
        "{followed}"
    );
    let interrupted = std::process::Command::new("kill")
        .args(["-INT", &follower.id().to_string()])
        .status()
        .unwrap();
    assert!(interrupted.success());
    let deadline = Instant::now() + Duration::from_secs(5);
    let status = loop {
        if let Some(status) = follower.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "Ctrl-C did not end the follow");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(0));
}
