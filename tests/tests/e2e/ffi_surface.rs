//! The uniffi surface from Rust: a listener that fails or panics, and a sync future dropped
//! half-way, leave the store usable (the Kotlin suite drives the same surface from the JVM).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use marktplatz_core::device::Update;
use marktplatz_ffi::{ApiError, MarktplatzStore, UpdateListener};
use marktplatz_tests::Harness;
use marktplatz_tests::fault_proxy::Fault;
use marktplatz_tests::fixtures::synthetic_bundle;

struct Failing;
impl UpdateListener for Failing {
    fn on_update(&self, _update: Update) -> Result<(), ApiError> {
        Err(ApiError::InvalidInput {
            reason: "listener refuses".into(),
        })
    }
}

struct Panicking;
impl UpdateListener for Panicking {
    fn on_update(&self, _update: Update) -> Result<(), ApiError> {
        panic!("a buggy listener");
    }
}

#[derive(Default)]
struct Counting(AtomicUsize);
impl UpdateListener for Counting {
    fn on_update(&self, update: Update) -> Result<(), ApiError> {
        if matches!(update, Update::SyncFinished { .. }) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failing_and_panicking_listeners_do_not_break_the_store() {
    let harness = Harness::start().await;
    harness.publish(&synthetic_bundle("fair", 40));
    let dir = harness.root.path().join("phone");
    let store = MarktplatzStore::open(dir.display().to_string()).unwrap();
    let _failing = store.subscribe(Arc::new(Failing));
    let _panicking = store.subscribe(Arc::new(Panicking));
    let counting = Arc::new(Counting::default());
    let counted = store.subscribe(counting.clone());

    let outcome = store
        .sync(Some(harness.url()), "fair".into())
        .await
        .unwrap();
    assert!(!outcome.changed.is_empty());
    assert_eq!(
        counting.0.load(Ordering::SeqCst),
        1,
        "the healthy listener still heard"
    );
    assert_eq!(
        store.event_overview("fair".into()).unwrap().session_count,
        40
    );

    // Cancelling the handle stops that listener; the store goes on.
    counted.cancel();
    store.sync(None, "fair".into()).await.unwrap();
    assert_eq!(counting.0.load(Ordering::SeqCst), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_sync_future_leaves_a_usable_store() {
    let harness = Harness::start().await;
    let bundle = synthetic_bundle("fair", 300);
    harness.publish(&bundle);
    // Slow every request down so the drop lands mid-sync.
    harness
        .proxy
        .inject("", Fault::Delay(Duration::from_millis(40)), 10_000);
    let dir = harness.root.path().join("phone");
    let store = MarktplatzStore::open(dir.display().to_string()).unwrap();

    let sync = store.sync(Some(harness.url()), "fair".into());
    let dropped = tokio::time::timeout(Duration::from_millis(150), sync).await;
    assert!(
        dropped.is_err(),
        "the sync finished before it could be dropped"
    );

    // The aborted task released the event (a new sync waits for it if it is still unwinding):
    // the next sync runs and completes.
    harness.proxy.heal();
    let outcome = store.sync(None, "fair".into()).await.unwrap();
    assert!(!outcome.not_modified || outcome.cursor > 0);
    let overview = store.event_overview("fair".into()).unwrap();
    assert_eq!(overview.session_count as usize, bundle.sessions.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_sync_of_the_same_event_waits_its_turn() {
    let harness = Harness::start().await;
    let bundle = synthetic_bundle("fair", 60);
    harness.publish(&bundle);
    let dir = harness.root.path().join("phone");
    let store = MarktplatzStore::open(dir.display().to_string()).unwrap();
    let (first, second) = tokio::join!(
        store.sync(Some(harness.url()), "fair".into()),
        store.sync(Some(harness.url()), "fair".into())
    );
    let (first, second) = (first.unwrap(), second.unwrap());
    // One of them brought the content, the other found nothing newer afterwards.
    assert!(
        first.not_modified != second.not_modified,
        "{first:?}\n{second:?}"
    );
    let overview = store.event_overview("fair".into()).unwrap();
    assert_eq!(overview.session_count as usize, bundle.sessions.len());
}
