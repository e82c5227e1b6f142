#![allow(clippy::unwrap_used, clippy::expect_used)]
//! A crash between the server's success and the device's bookkeeping: the operation is sent
//! again with the same key and applied once.
//!
//! A helper process pushes the outbox with `MARKTPLATZ_FAILPOINT=after_push_response:pause`:
//! right after the server's first 2xx, before the device records it, it says so on stderr and
//! waits; the test kills it with SIGKILL. Three times over; then a clean push finishes the
//! queue. The server must hold exactly one result per key.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use chrono::{TimeZone, Utc};
use marktplatz_core::store::Store;
use marktplatz_core::sync::OpState;
use marktplatz_model::model::Priority;
use marktplatz_model::ops::Op;
use marktplatz_tests::Harness;
use marktplatz_tests::fixtures::small_bundle;
use marktplatz_tests::organiser::{organiser_device, states};

const EVENT: &str = "mp-nordwest";

fn push_process(dir: &std::path::Path, failpoint: Option<&str>) -> std::process::Child {
    let mut command = Command::new(env!("CARGO_BIN_EXE_organiser_push"));
    command
        .args([dir.to_str().unwrap(), EVENT])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    match failpoint {
        Some(name) => command.env(marktplatz_core::failpoint::ENV, name),
        None => command.env_remove(marktplatz_core::failpoint::ENV),
    };
    command.spawn().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_after_the_servers_answer_resends_and_is_deduplicated() {
    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    let token = h.admin.create_token(EVENT, "organiser").unwrap();
    let dir = {
        let device = organiser_device(&h, "organiser", EVENT, &token).await;
        for n in 0..4 {
            device
                .store
                .queue_op(
                    EVENT,
                    Op::AnnouncementCreate {
                        id: format!("note-{n}"),
                        title: format!("Hinweis {n}"),
                        body: String::new(),
                        priority: Priority::Normal,
                        published_at: Utc.with_ymd_and_hms(2027, 3, 4, 8, 0, 0).unwrap(),
                        expires_at: None,
                    },
                )
                .unwrap();
        }
        device
            .store
            .queue_op(
                EVENT,
                Op::SessionMove {
                    id: "ozg".into(),
                    location_id: "station-3".into(),
                },
            )
            .unwrap();
        device.dir.clone()
    };
    for round in 0..3 {
        let child_dir = dir.clone();
        let status = tokio::task::spawn_blocking(move || {
            let mut child = push_process(&child_dir, Some("after_push_response:pause"));
            let mut line = String::new();
            BufReader::new(child.stderr.take().unwrap())
                .read_line(&mut line)
                .unwrap();
            assert_eq!(
                line.trim(),
                "failpoint after_push_response",
                "round {round}"
            );
            child.kill().unwrap(); // SIGKILL
            child.wait().unwrap()
        })
        .await
        .unwrap();
        assert!(!status.success(), "killed, not finished: {status}");
        // The server applied the first operation once; the device never learnt of it.
        assert_eq!(h.admin.applied_ops(EVENT).unwrap(), 1, "round {round}");
        let store = Store::open(&dir).unwrap();
        let entries = store.outbox(EVENT, true).unwrap();
        assert_eq!(
            entries[0].state,
            OpState::InFlight,
            "{:?}",
            states(&entries)
        );
        assert_eq!(entries[0].attempts, round + 1);
        assert!(entries[1..].iter().all(|e| e.state == OpState::Pending));
    }
    let output = tokio::task::spawn_blocking({
        let dir = dir.clone();
        move || push_process(&dir, None).wait_with_output().unwrap()
    })
    .await
    .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["accepted"], 5, "{report}");
    assert_eq!(
        report["replayed"], 1,
        "the first one was answered from the stored result"
    );
    let store = Store::open(&dir).unwrap();
    let entries = store.outbox(EVENT, true).unwrap();
    let keys: std::collections::BTreeSet<&str> = entries.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(h.admin.applied_ops(EVENT).unwrap(), keys.len() as u64);
    assert_eq!(
        h.admin.head(EVENT).unwrap().seq,
        17 + 5,
        "five log entries, not more"
    );
    assert!(entries.iter().all(|e| e.state == OpState::Accepted));
}
