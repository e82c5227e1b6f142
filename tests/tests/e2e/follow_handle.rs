#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The device's follow (`Device::follow`, the handle the FFI hands out) over loopback: the
//! listeners hear of each applied answer within a second, an urgent announcement is notified
//! once (never the first sync's backlog, never an expired or retracted one), the handle stops
//! the loop when cancelled or dropped, following again replaces the loop, `suspend` stops it
//! (no transaction left open) until `resume` starts it again, and a refusal ends it (told).

use std::time::Duration;

use chrono::{DateTime, Utc};
use marktplatz_core::announcements::take_announcements_to_notify;
use marktplatz_core::device::{Device, Update};
use marktplatz_core::listeners::Subscription;
use marktplatz_core::sync::ClientConfig;
use marktplatz_model::model::{Announcement, Priority};
use marktplatz_model::ops::{Op, OpRequest};
use marktplatz_tests::fixtures::small_bundle;
use marktplatz_tests::organiser::post_op;
use marktplatz_tests::{Harness, fast_client_config};
use tokio::sync::mpsc;

const EVENT: &str = "mp-nordwest";

/// A phone with a read timeout that allows holds of a few seconds.
fn phone(h: &Harness, name: &str) -> Device {
    let config = ClientConfig {
        read_timeout: Duration::from_secs(4),
        request_timeout: Duration::from_secs(10),
        ..fast_client_config()
    };
    Device::open_with(h.root.path().join(name), config, 50 * 1024 * 1024).unwrap()
}

/// The cursor of every finished sync or followed answer the listeners hear of.
fn listen(device: &Device) -> (Subscription, mpsc::UnboundedReceiver<u64>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let subscription = device.subscribe(Box::new(move |update| {
        if let Update::SyncFinished { outcome } = update {
            let _ = tx.send(outcome.cursor);
        }
    }));
    (subscription, rx)
}

/// The next answer's cursor, which must come within a second.
async fn arrives(rx: &mut mpsc::UnboundedReceiver<u64>) -> u64 {
    arrives_within(rx, Duration::from_secs(1)).await
}

async fn arrives_within(rx: &mut mpsc::UnboundedReceiver<u64>, limit: Duration) -> u64 {
    heard_within(rx, limit)
        .await
        .unwrap_or_else(|| panic!("nothing followed within {limit:?}"))
}

/// Nothing is heard for one and a half seconds.
async fn stays_quiet(rx: &mut mpsc::UnboundedReceiver<u64>, why: &str) {
    let heard = heard_within(rx, Duration::from_millis(1500)).await;
    assert_eq!(heard, None, "{why}");
}

async fn heard_within(rx: &mut mpsc::UnboundedReceiver<u64>, limit: Duration) -> Option<u64> {
    tokio::time::timeout(limit, rx.recv()).await.ok().flatten()
}

/// A server with the small event and one urgent announcement in it (the first sync's backlog).
async fn server_with_backlog() -> (Harness, String) {
    let h = Harness::start().await;
    let mut bundle = small_bundle(EVENT);
    bundle.announcements.push(Announcement {
        id: "backlog".into(),
        title: "Einlass ab 8 Uhr".into(),
        body: String::new(),
        priority: Priority::Urgent,
        published_at: Utc::now() - chrono::Duration::hours(2),
        expires_at: None,
    });
    h.publish(&bundle);
    let token = h.admin.create_token(EVENT, "organiser").unwrap();
    (h, token)
}

/// A phone that synced the event (backlog and all), with its listeners heard: the server,
/// an organiser token, the phone, what it hears, and the subscription that keeps it hearing.
async fn synced_phone() -> (
    Harness,
    String,
    Device,
    mpsc::UnboundedReceiver<u64>,
    Subscription,
) {
    let (h, token) = server_with_backlog().await;
    let device = phone(&h, "phone");
    device
        .sync(Some(h.server.url()), EVENT.into())
        .await
        .unwrap();
    // The shells look after every sync: this first look passes over the backlog.
    assert!(to_notify(&device).is_empty(), "the first sync's backlog");
    let (subscription, heard) = listen(&device);
    (h, token, device, heard, subscription)
}

/// Posts `op` based on version 0 (a new entity).
async fn post(h: &Harness, token: &str, op: Op) {
    post_based(h, token, 0, op).await
}

async fn post_based(h: &Harness, token: &str, base: u64, op: Op) {
    let key = format!("follow-handle-{}", next_key());
    let request = OpRequest {
        event: EVENT.into(),
        base,
        op,
    };
    let answer = post_op(h.server.addr(), token, &key, &request).await;
    assert_eq!(answer.status, 200, "{}", answer.text());
}

fn next_key() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

fn urgent(id: &str, expires_at: Option<DateTime<Utc>>) -> Op {
    Op::AnnouncementCreate {
        id: id.into(),
        title: format!("Raumänderung {id}"),
        body: "Forum jetzt im Seminarraum.".into(),
        priority: Priority::Urgent,
        published_at: Utc::now() - chrono::Duration::minutes(1),
        expires_at,
    }
}

fn to_notify(device: &Device) -> Vec<String> {
    take_announcements_to_notify(device.store(), EVENT, Utc::now())
        .unwrap()
        .into_iter()
        .map(|a| a.id)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_followed_urgent_announcement_is_notified_once_and_cancel_stops_the_loop() {
    let (h, token, device, mut heard, _listening) = synced_phone().await;
    let handle = device.follow(None, EVENT.into()).unwrap();
    assert!(handle.is_running());
    tokio::time::sleep(Duration::from_millis(300)).await;

    post(&h, &token, urgent("raum", None)).await;
    arrives(&mut heard).await;
    assert_eq!(to_notify(&device), ["raum"]);
    assert!(to_notify(&device).is_empty(), "each once");

    let expired = Some(Utc::now() - chrono::Duration::seconds(10));
    post(&h, &token, urgent("vorbei", expired)).await;
    arrives(&mut heard).await;
    post(&h, &token, urgent("irrtum", None)).await;
    let version = arrives(&mut heard).await;
    let retract = Op::AnnouncementRetract {
        id: "irrtum".into(),
    };
    post_based(&h, &token, version, retract).await;
    arrives(&mut heard).await;
    assert!(to_notify(&device).is_empty(), "expired and retracted");

    handle.cancel();
    assert!(!handle.is_running());
    post(&h, &token, urgent("danach", None)).await;
    stays_quiet(&mut heard, "nothing followed after cancel").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn following_again_replaces_the_loop_and_dropping_the_handle_stops_it() {
    let (h, token, device, mut heard, _listening) = synced_phone().await;
    let first = device.follow(None, EVENT.into()).unwrap();
    let second = device.follow(None, EVENT.into()).unwrap();
    assert!(!first.is_running(), "replaced");
    assert!(second.is_running());
    drop(first);
    assert!(
        second.is_running(),
        "dropping a replaced handle stops nothing"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    post(&h, &token, urgent("eins", None)).await;
    arrives(&mut heard).await;
    assert_eq!(
        heard_within(&mut heard, Duration::from_millis(500)).await,
        None,
        "one loop, one answer"
    );
    drop(second);
    post(&h, &token, urgent("zwei", None)).await;
    stays_quiet(&mut heard, "a dropped handle stops its loop").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn suspend_stops_following_and_resume_starts_it_again() {
    let (h, token, device, mut heard, _listening) = synced_phone().await;
    let handle = device.follow(None, EVENT.into()).unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    device.suspend();
    assert!(!handle.is_running());
    assert!(
        matches!(
            device.store().events(),
            Err(marktplatz_core::Error::Suspended)
        ),
        "suspended: no transaction open, none started"
    );
    post(&h, &token, urgent("pause", None)).await;
    stays_quiet(&mut heard, "nothing followed while suspended").await;
    device.resume();
    assert!(handle.is_running());
    // What came while suspended arrives on resume.
    arrives_within(&mut heard, Duration::from_secs(2)).await;
    assert_eq!(to_notify(&device), ["pause"]);

    // Followed while suspended (a shell that starts before it resumes): waits for `resume`.
    device.suspend();
    let late = device.follow(Some(h.server.url()), EVENT.into()).unwrap();
    assert!(!handle.is_running(), "replaced");
    assert!(!late.is_running());
    post(&h, &token, urgent("spaet", None)).await;
    stays_quiet(&mut heard, "nothing followed while suspended").await;
    device.resume();
    assert!(late.is_running());
    arrives_within(&mut heard, Duration::from_secs(2)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_loop_that_cannot_go_on_ends_says_why_and_reports_not_running() {
    let (h, _token) = server_with_backlog().await;
    let device = phone(&h, "phone");
    let (tx, mut failed) = mpsc::unbounded_channel();
    let _listening = device.subscribe(Box::new(move |update| {
        if let Update::SyncFailed { event_id, message } = update {
            let _ = tx.send((event_id, message));
        }
    }));
    // An event the server does not know: a refusal, not a pause to wait out.
    let handle = device
        .follow(Some(h.server.url()), "no-such-event".into())
        .unwrap();
    let (event_id, message) = tokio::time::timeout(Duration::from_secs(5), failed.recv())
        .await
        .expect("the end is told")
        .unwrap();
    assert_eq!(event_id, "no-such-event");
    assert!(message.contains("no-such-event"), "{message}");
    // The loop marks itself ended right after telling.
    let told = tokio::time::Instant::now();
    while handle.is_running() {
        assert!(told.elapsed() < Duration::from_secs(2), "still running");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // Never synced and no server given: refused at once, nothing started.
    assert!(device.follow(None, "never-synced".into()).is_err());
}
