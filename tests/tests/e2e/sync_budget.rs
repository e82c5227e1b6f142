#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Issue 15: a hostile server that answers `more: true` forever cannot make a device store
//! pages without limit. One pull stops at `MAX_SYNC_PAGES` or `MAX_SYNC_BYTES`, keeps every
//! page it applied, says so in its report; the follow loop pauses after a spent budget instead
//! of pulling again at once.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, StatusCode, Uri, header};
use axum::response::IntoResponse;
use marktplatz_core::device::Device as CoreDevice;
use marktplatz_core::sync::SkippedPage;
use marktplatz_core::sync::budget::{MAX_SYNC_BYTES, MAX_SYNC_PAGES};
use marktplatz_core::sync::{
    self, CancelToken, FollowOptions, Followed, NoHooks, PullOptions, PullReport,
};
use marktplatz_model::wire::{MAX_PAGE_BYTES, PAGE_EPOCH_HEADER, PAGE_NEXT_HEADER};
use marktplatz_tests::Device;
use tokio::net::TcpListener;
use tokio::sync::mpsc;

const EVENT: &str = "mp-nordwest";

/// A server whose change log never ends: every page holds one new speaker and says more
/// follow, padded with trailing whitespace to `page_bytes` when that is larger. Returns its
/// URL and how many pages it has served.
async fn endless_server(page_bytes: usize) -> (String, Arc<AtomicU64>) {
    endless_server_with_oversized_page(page_bytes, None).await
}

/// The endless server, with the page after `oversized_after` (when set) over
/// [`MAX_PAGE_BYTES`]: a page the device cannot take, whose headers say where it ends.
async fn endless_server_with_oversized_page(
    page_bytes: usize,
    oversized_after: Option<u64>,
) -> (String, Arc<AtomicU64>) {
    let served = Arc::new(AtomicU64::new(0));
    let counter = served.clone();
    let app = Router::new().fallback(move |uri: Uri| {
        let counter = counter.clone();
        async move {
            counter.fetch_add(1, Ordering::Relaxed);
            let since: u64 = match uri.path().rsplit('/').next() {
                Some("changes") => 0,
                Some(last) => match last.parse() {
                    Ok(since) => since,
                    Err(_) => return StatusCode::NOT_FOUND.into_response(),
                },
                None => return StatusCode::NOT_FOUND.into_response(),
            };
            let next = since + 1;
            if oversized_after == Some(since) {
                let headers = [
                    (header::CONTENT_TYPE, "application/json".to_string()),
                    (HeaderName::from_static(PAGE_NEXT_HEADER), next.to_string()),
                    (HeaderName::from_static(PAGE_EPOCH_HEADER), "endless".into()),
                ];
                return (headers, vec![b' '; MAX_PAGE_BYTES + 1]).into_response();
            }
            let mut page = format!(
                r#"{{"epoch":"endless","since":{since},"next":{next},"head":{head},"more":true,"changes":[{{"seq":{next},"kind":"speaker","id":"s{next}","body":{{"id":"s{next}","name":"Speaker {next}","bio":""}}}}]}}"#,
                head = next + 1_000_000,
            );
            page.extend(std::iter::repeat_n(' ', page_bytes.saturating_sub(page.len())));
            ([(header::CONTENT_TYPE, "application/json")], page).into_response()
        }
    });
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, served)
}

/// The endless server and a fresh device (its folder lives as long as the `TempDir`).
async fn device_and_endless_server(
    page_bytes: usize,
) -> (String, Arc<AtomicU64>, tempfile::TempDir, Device) {
    let (url, served) = endless_server(page_bytes).await;
    let dir = tempfile::tempdir().unwrap();
    let device = Device::open(dir.path().to_path_buf());
    (url, served, dir, device)
}

/// One pull from the endless server; without a budget it never ends, and the timeout turns
/// that into a failure.
async fn pull_to_the_end(url: &str, device: &Device) -> PullReport {
    let options = PullOptions::default();
    let pull = sync::pull(
        &device.client,
        &device.store,
        url,
        EVENT,
        &options,
        &NoHooks,
    );
    tokio::time::timeout(Duration::from_secs(240), pull)
        .await
        .expect("the pull ends at its budget")
        .unwrap()
}

fn speakers_stored(device: &Device) -> u64 {
    let db = rusqlite::Connection::open(device.dir.join("content.db")).unwrap();
    let count: i64 = db
        .query_row(
            "SELECT count(*) FROM speaker WHERE event_id = ?1",
            [EVENT],
            |r| r.get(0),
        )
        .unwrap();
    count as u64
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pull_stops_at_its_page_budget_and_keeps_what_it_applied() {
    let (url, served, _dir, device) = device_and_endless_server(0).await;

    let report = pull_to_the_end(&url, &device).await;

    let budget = u64::from(MAX_SYNC_PAGES);
    assert!(report.budget_spent, "the report says the budget was spent");
    assert_eq!(report.pages, MAX_SYNC_PAGES);
    assert_eq!(report.cursor, budget);
    assert_eq!(
        served.load(Ordering::Relaxed),
        budget,
        "no page past the budget"
    );
    assert_eq!(speakers_stored(&device), budget, "every applied page kept");
    let state = sync::pull::sync_state(&device.store, EVENT).unwrap();
    assert_eq!(
        state.cursor, budget,
        "the cursor committed with the last page"
    );
    assert_eq!(state.epoch.as_deref(), Some("endless"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pull_stops_at_its_byte_budget() {
    // Pages of 1 MiB (one speaker, the rest whitespace): 256 of them spend 256 MiB.
    const PAGE_BYTES: usize = 1024 * 1024;
    let (url, served, _dir, device) = device_and_endless_server(PAGE_BYTES).await;

    let report = pull_to_the_end(&url, &device).await;

    let pages = MAX_SYNC_BYTES / PAGE_BYTES as u64;
    assert!(report.budget_spent);
    assert_eq!(report.bytes, MAX_SYNC_BYTES);
    assert_eq!(u64::from(report.pages), pages);
    assert_eq!(
        served.load(Ordering::Relaxed),
        pages,
        "no page past the budget"
    );
    assert_eq!(speakers_stored(&device), pages, "every applied page kept");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn following_pauses_after_a_spent_budget() {
    let (url, served, _dir, device) = device_and_endless_server(0).await;
    let cancel = CancelToken::new();
    let options = FollowOptions {
        cancel: cancel.clone(),
        first_backoff: Duration::from_secs(4),
        ..FollowOptions::default()
    };
    let (tx, mut heard) = mpsc::unbounded_channel::<PullReport>();
    let told = move |followed: Followed<'_>| {
        if let Followed::Applied(report) = followed {
            let _ = tx.send(report.clone());
        }
    };
    let following = tokio::spawn(async move {
        let hooks = NoHooks;
        sync::follow(
            &device.client,
            &device.store,
            &url,
            EVENT,
            &options,
            &hooks,
            &told,
        )
        .await
    });

    let report = tokio::time::timeout(Duration::from_secs(240), heard.recv())
        .await
        .expect("a first round within the timeout")
        .unwrap();
    assert!(report.budget_spent);
    let after_first_round = served.load(Ordering::Relaxed);
    assert_eq!(after_first_round, u64::from(MAX_SYNC_PAGES));
    // The pause is at least half the first backoff (jitter): nothing is asked meanwhile.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        served.load(Ordering::Relaxed),
        after_first_round,
        "no tight loop after a spent budget"
    );
    cancel.cancel();
    following.await.unwrap().unwrap();
}

/// What the shells and the CLI are told: the device's own sync (the API the FFI exposes) says
/// what the sync spent of its budget and which page it stepped past.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_syncs_outcome_carries_its_budget_and_the_pages_it_stepped_past() {
    let (url, served) = endless_server_with_oversized_page(0, Some(2)).await;
    let dir = tempfile::tempdir().unwrap();
    let device = CoreDevice::open(dir.path()).unwrap();

    let sync = device.sync(Some(url), EVENT.to_string());
    let outcome = tokio::time::timeout(Duration::from_secs(240), sync)
        .await
        .expect("the sync ends at its budget")
        .unwrap();

    assert!(
        outcome.budget_spent,
        "the outcome says the budget was spent"
    );
    assert_eq!(
        outcome.skipped_pages,
        vec![SkippedPage { since: 2, next: 3 }],
        "the oversized page is named by where it starts and ends"
    );
    // Pages stepped past count against the budget: one fewer was applied.
    assert_eq!(outcome.pages, MAX_SYNC_PAGES - 1);
    assert_eq!(outcome.cursor, u64::from(MAX_SYNC_PAGES));
    assert_eq!(served.load(Ordering::Relaxed), u64::from(MAX_SYNC_PAGES));
    // Every applied page is one small JSON page; the skipped one was not read.
    assert!(outcome.bytes > 0 && outcome.bytes < u64::from(MAX_SYNC_PAGES) * 1024);
    assert!(!outcome.not_modified);
}
