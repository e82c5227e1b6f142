#![allow(clippy::unwrap_used, clippy::expect_used)]
//! A device following an event (`core::sync::follow`) over loopback: it gets an operation
//! within a second of its acceptance, and gets past a dropped connection, a 429 with
//! `Retry-After` (without a tight loop) and a server restart.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use marktplatz_core::sync::{
    CancelToken, Client, ClientConfig, FollowOptions, Followed, NoHooks, follow,
};
use marktplatz_model::model::Priority;
use marktplatz_model::ops::{Op, OpRequest};
use marktplatz_tests::fault_proxy::Fault;
use marktplatz_tests::fixtures::small_bundle;
use marktplatz_tests::raw_http;
use marktplatz_tests::{Device, Harness, fast_client_config, test_config};
use tokio::sync::mpsc;

const EVENT: &str = "mp-nordwest";

/// What the follower reports: an applied answer's head, or a pause.
#[derive(Debug)]
enum Heard {
    Applied(u64),
    Pause(Duration),
}

/// Starts following with a client whose read timeout allows a hold of a few seconds.
fn start_following(
    dir: PathBuf,
    url: String,
) -> (
    CancelToken,
    mpsc::UnboundedReceiver<Heard>,
    tokio::task::JoinHandle<()>,
) {
    let cancel = CancelToken::new();
    let (tx, rx) = mpsc::unbounded_channel();
    let options = FollowOptions {
        cancel: cancel.clone(),
        first_backoff: Duration::from_millis(100),
        max_backoff: Duration::from_secs(10),
        ..FollowOptions::default()
    };
    let task = tokio::spawn(async move {
        let device = Device::open(dir);
        let client = Client::new(ClientConfig {
            read_timeout: Duration::from_secs(4),
            request_timeout: Duration::from_secs(10),
            ..fast_client_config()
        })
        .unwrap();
        let told = move |followed: Followed<'_>| {
            let _ = tx.send(match followed {
                Followed::Applied(report) => Heard::Applied(report.head),
                Followed::BackingOff { pause, .. } => Heard::Pause(pause),
            });
        };
        follow(
            &client,
            &device.store,
            &url,
            EVENT,
            &options,
            &NoHooks,
            &told,
        )
        .await
        .unwrap();
    });
    (cancel, rx, task)
}

async fn post_announcement(addr: SocketAddr, token: &str, id: &str) {
    let request = OpRequest {
        event: EVENT.into(),
        base: 0,
        op: Op::AnnouncementCreate {
            id: id.into(),
            title: format!("Raumänderung {id}"),
            body: "Forum jetzt im Seminarraum.".into(),
            priority: Priority::Urgent,
            published_at: Utc.with_ymd_and_hms(2020, 1, 1, 8, 0, 0).unwrap(),
            expires_at: None,
        },
    };
    let auth = format!("Bearer {token}");
    let key = format!("follow-{id}");
    let response = raw_http::request(
        addr,
        "POST",
        &format!("/v1/events/{EVENT}/ops"),
        &[
            ("authorization", auth.as_str()),
            ("idempotency-key", key.as_str()),
            ("content-type", "application/json"),
        ],
        &serde_json::to_vec(&request).unwrap(),
    )
    .await;
    assert_eq!(response.status, 200, "{}", response.text());
}

/// The next applied head, skipping pauses; panics after `within`.
async fn next_applied(rx: &mut mpsc::UnboundedReceiver<Heard>, within: Duration) -> u64 {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, rx.recv()).await {
            Ok(Some(Heard::Applied(head))) => return head,
            Ok(Some(Heard::Pause(_))) => continue,
            other => panic!("nothing applied within {within:?}: {other:?}"),
        }
    }
}

fn has_announcement(dir: &std::path::Path, id: &str) -> bool {
    let store = marktplatz_core::store::Store::open(dir).unwrap();
    let now = Utc.with_ymd_and_hms(2027, 3, 4, 12, 0, 0).unwrap();
    store
        .announcements(EVENT, now)
        .unwrap()
        .iter()
        .any(|a| a.title == format!("Raumänderung {id}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_follower_has_an_operation_within_a_second_of_its_acceptance() {
    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    let token = h.admin.create_token(EVENT, "organiser").unwrap();
    let phone = h.device("phone");
    phone.sync(&h.server.url(), EVENT).await.unwrap();
    let (cancel, mut rx, task) = start_following(phone.dir.clone(), h.server.url());
    tokio::time::sleep(Duration::from_millis(500)).await;
    for round in 0..3 {
        let id = format!("r{round}");
        post_announcement(h.server.addr(), &token, &id).await;
        let accepted = Instant::now();
        next_applied(&mut rx, Duration::from_secs(1)).await;
        assert!(accepted.elapsed() < Duration::from_secs(1));
        assert!(has_announcement(&phone.dir, &id));
    }
    cancel.cancel();
    tokio::time::timeout(Duration::from_secs(2), task)
        .await
        .expect("cancel stops the held request at once")
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_follower_gets_past_a_dropped_connection_and_a_429_without_a_tight_loop() {
    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    let token = h.admin.create_token(EVENT, "organiser").unwrap();
    let phone = h.device("phone");
    phone.sync(&h.url(), EVENT).await.unwrap();
    let limited = Fault::Respond {
        status: 429,
        headers: vec![
            ("retry-after".into(), "2".into()),
            ("content-type".into(), "application/json".into()),
        ],
        body: br#"{"code":"rate_limited","message":"too many waiting requests"}"#.to_vec(),
    };
    // The retry policy tries 3 times per pull: every try is refused, so the follower pauses.
    h.proxy.inject("/changes/", Fault::Reset, 1);
    h.proxy.inject("/changes/", limited, 3);
    let (cancel, mut rx, task) = start_following(phone.dir.clone(), h.url());
    let started = Instant::now();
    post_announcement(h.server.addr(), &token, "late").await;
    let mut pauses = Vec::new();
    loop {
        match tokio::time::timeout(Duration::from_secs(15), rx.recv()).await {
            Ok(Some(Heard::Pause(pause))) => pauses.push(pause),
            Ok(Some(Heard::Applied(_))) => break,
            other => panic!("{other:?} after pauses {pauses:?}"),
        }
    }
    assert!(has_announcement(&phone.dir, "late"));
    assert!(
        pauses.iter().any(|p| *p >= Duration::from_secs(2)),
        "Retry-After honoured: {pauses:?}"
    );
    assert!(started.elapsed() >= Duration::from_secs(2), "no tight loop");
    cancel.cancel();
    task.await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_follower_gets_past_a_server_restart() {
    let Harness {
        root,
        server,
        admin,
        proxy: _proxy,
        database,
    } = Harness::start().await;
    admin.publish(small_bundle(EVENT)).unwrap();
    let token = admin.create_token(EVENT, "organiser").unwrap();
    let addr = server.addr();
    let url = server.url();
    let phone = Device::open(root.path().join("phone"));
    phone.sync(&url, EVENT).await.unwrap();
    let (cancel, mut rx, task) = start_following(phone.dir.clone(), url);
    tokio::time::sleep(Duration::from_millis(300)).await;
    server.shutdown().await.unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut config = test_config(&root.path().join("server"));
    config.listen = addr;
    config.database = database.as_ref().map(|d| d.url().to_string());
    let _server = marktplatz_server::start(config).await.unwrap();
    post_announcement(addr, &token, "after-restart").await;
    next_applied(&mut rx, Duration::from_secs(10)).await;
    assert!(has_announcement(&phone.dir, "after-restart"));
    cancel.cancel();
    task.await.unwrap();
}
