#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Faults between device and server: the device reports a clear error, keeps its last good
//! content and cursor, and the next sync succeeds once the server is healthy again.

use std::sync::Arc;
use std::time::{Duration, Instant};

use marktplatz_core::Error;
use marktplatz_core::sync::SkippedPage;
use marktplatz_core::sync::pull::sync_state;
use marktplatz_model::model::{Entity, EntityKind};
use marktplatz_tests::fixtures::small_bundle;
use marktplatz_tests::{Device, Fault, Harness};

const EVENT: &str = "mp-nordwest";
const OLD: &str = "E-Rechnung in der Kommune";
const NEW: &str = "E-Rechnung: neue Pflichten ab 2027";

fn title(device: &Device) -> String {
    match device
        .store
        .entity(EVENT, EntityKind::Session, "erechnung")
        .unwrap()
    {
        Some(Entity::Session(s)) => s.title,
        other => panic!("{other:?}"),
    }
}

/// A synced device, then a change published that it has not seen yet.
async fn setup() -> (Harness, Device, u64) {
    let h = Harness::start().await;
    let mut bundle = small_bundle(EVENT);
    h.publish(&bundle);
    let device = h.device("phone");
    device.sync(&h.url(), EVENT).await.unwrap();
    let cursor = sync_state(&device.store, EVENT).unwrap().cursor;
    bundle.sessions[1].title = NEW.into();
    // A long description makes the delta page big enough to be compressed and truncated.
    bundle.sessions[1].description = "Neue Regeln. ".repeat(200);
    h.publish(&bundle);
    (h, device, cursor)
}

/// The device kept its state; after healing, the next sync brings the change.
async fn recovers(h: &Harness, device: &Device, cursor: u64) {
    assert_eq!(title(device), OLD, "the last good content is kept");
    assert_eq!(sync_state(&device.store, EVENT).unwrap().cursor, cursor);
    h.proxy.heal();
    let report = device.sync(&h.url(), EVENT).await.unwrap();
    assert_eq!(report.content.summary.get(EntityKind::Session).updated, 1);
    assert_eq!(title(device), NEW);
}

#[tokio::test]
async fn truncated_page_is_a_network_error() {
    let (h, device, cursor) = setup().await;
    h.proxy.inject("/changes", Fault::Truncate { keep: 40 }, 3);
    let err = device.sync(&h.url(), EVENT).await.unwrap_err();
    assert!(matches!(err, Error::Offline { .. }), "{err}");
    assert!(err.to_string().contains("connection broke"), "{err}");
    recovers(&h, &device, cursor).await;
}

#[tokio::test]
async fn a_truncated_body_with_consistent_framing_is_a_protocol_error() {
    let (h, device, cursor) = setup().await;
    h.proxy.inject(
        "/changes",
        Fault::MapBody(Arc::new(|body: &[u8]| body[..body.len() / 2].to_vec())),
        1,
    );
    let err = device.sync(&h.url(), EVENT).await.unwrap_err();
    assert!(matches!(err, Error::Protocol(_)), "{err}");
    assert!(err.to_string().contains("not valid"), "{err}");
    recovers(&h, &device, cursor).await;
}

#[tokio::test]
async fn corrupt_entity_in_a_page_applies_nothing() {
    let (h, device, cursor) = setup().await;
    // The patch decodes to an invalid session, so the device asks for the whole body, which
    // is corrupt the same way.
    h.proxy.inject(
        "/changes",
        Fault::MapBody(Arc::new(|body: &[u8]| {
            String::from_utf8_lossy(body)
                .replacen("\"title\":\"", "\"title\":17,\"x\":\"", 1)
                .into_bytes()
        })),
        2,
    );
    let err = device.sync(&h.url(), EVENT).await.unwrap_err();
    assert!(matches!(err, Error::Protocol(_)), "{err}");
    assert!(err.to_string().contains("session 'erechnung'"), "{err}");
    recovers(&h, &device, cursor).await;
}

#[tokio::test]
async fn garbage_json_is_a_protocol_error() {
    let (h, device, cursor) = setup().await;
    h.proxy.inject(
        "/changes",
        Fault::ok_body("application/json", "{\"epoch\": [1, 2"),
        1,
    );
    let err = device.sync(&h.url(), EVENT).await.unwrap_err();
    assert!(matches!(err, Error::Protocol(_)), "{err}");
    recovers(&h, &device, cursor).await;
}

#[tokio::test]
async fn a_page_from_another_epoch_is_refused() {
    let (h, device, cursor) = setup().await;
    let epoch = h.admin.head(EVENT).unwrap().epoch;
    h.proxy.inject(
        "/changes",
        Fault::MapBody(Arc::new(move |body: &[u8]| {
            String::from_utf8_lossy(body)
                .replace(&epoch, "OtherEp")
                .into_bytes()
        })),
        1,
    );
    let err = device.sync(&h.url(), EVENT).await.unwrap_err();
    assert!(matches!(err, Error::Protocol(_)), "{err}");
    assert!(err.to_string().contains("epoch 'OtherEp'"), "{err}");
    recovers(&h, &device, cursor).await;
}

#[tokio::test]
async fn a_hanging_server_times_out() {
    let (h, device, cursor) = setup().await;
    h.proxy.inject("/changes", Fault::Hang, 3);
    let started = Instant::now();
    let err = device.sync(&h.url(), EVENT).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err}");
    assert!(started.elapsed() < Duration::from_secs(10));
    recovers(&h, &device, cursor).await;
}

#[tokio::test]
async fn a_reset_connection_is_offline() {
    let (h, device, cursor) = setup().await;
    h.proxy.inject("/changes", Fault::Reset, 3);
    let err = device.sync(&h.url(), EVENT).await.unwrap_err();
    assert!(matches!(err, Error::Offline { .. }), "{err}");
    recovers(&h, &device, cursor).await;
}

#[tokio::test]
async fn a_reset_once_is_retried_within_the_sync() {
    let (h, device, _) = setup().await;
    h.proxy.inject("/changes", Fault::Reset, 1);
    device.sync(&h.url(), EVENT).await.unwrap();
    assert_eq!(title(&device), NEW);
}

#[tokio::test]
async fn server_errors_500_are_reported_with_their_code() {
    let (h, device, cursor) = setup().await;
    h.proxy.inject("/changes", Fault::status(500, None), 3);
    let err = device.sync(&h.url(), EVENT).await.unwrap_err();
    match &err {
        Error::Server { status, code, .. } => {
            assert_eq!((*status, code.as_str()), (500, "injected"))
        }
        other => panic!("{other}"),
    }
    assert_eq!(
        h.proxy
            .exchanges()
            .iter()
            .filter(|e| e.status == 500)
            .count(),
        3,
        "retried"
    );
    recovers(&h, &device, cursor).await;
}

#[tokio::test]
async fn a_503_with_retry_after_is_waited_for() {
    let (h, device, _) = setup().await;
    h.proxy.inject("/changes", Fault::status(503, Some(1)), 1);
    let started = Instant::now();
    device.sync(&h.url(), EVENT).await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After was honoured"
    );
    assert_eq!(title(&device), NEW);
}

#[tokio::test]
async fn a_429_asking_for_a_long_wait_returns_at_once_with_retry_after() {
    let (h, device, cursor) = setup().await;
    h.proxy.inject("/changes", Fault::status(429, Some(120)), 1);
    let started = Instant::now();
    let err = device.sync(&h.url(), EVENT).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Server {
                status: 429,
                retry_after: Some(120),
                ..
            }
        ),
        "{err}"
    );
    assert!(started.elapsed() < Duration::from_secs(2));
    recovers(&h, &device, cursor).await;
}

#[tokio::test]
async fn an_unreachable_server_is_offline() {
    let h = Harness::start().await;
    let device = h.device("phone");
    // Nothing listens on port 9 of loopback.
    let err = device.sync("http://127.0.0.1:9", EVENT).await.unwrap_err();
    assert!(matches!(err, Error::Offline { .. }), "{err}");
    assert!(err.to_string().contains("cannot reach"), "{err}");
}

/// Issue 15 point 5: a page over `MAX_PAGE_BYTES` (a hostile server) is stepped past to where
/// its headers say it ends, reported, and what follows still arrives: no stall.
#[tokio::test]
async fn a_page_too_large_to_take_is_stepped_past_and_syncing_goes_on() {
    use marktplatz_model::wire::{MAX_PAGE_BYTES, PAGE_NEXT_HEADER};
    let (h, device, cursor) = setup().await;
    h.proxy.inject(
        "/changes",
        Fault::Respond {
            status: 200,
            headers: vec![
                ("content-type".into(), "application/json".into()),
                (PAGE_NEXT_HEADER.into(), (cursor + 1).to_string()),
            ],
            body: vec![b' '; MAX_PAGE_BYTES + 1],
        },
        1,
    );
    let report = device.sync(&h.url(), EVENT).await.unwrap();
    assert_eq!(
        report.content.skipped_pages,
        vec![SkippedPage {
            since: cursor,
            next: cursor + 1
        }]
    );
    assert!(sync_state(&device.store, EVENT).unwrap().cursor > cursor);
    // A later change arrives as usual.
    let mut bundle = small_bundle(EVENT);
    bundle.sessions[1].title = "Später".into();
    h.publish(&bundle);
    device.sync(&h.url(), EVENT).await.unwrap();
    assert_eq!(title(&device), "Später");
}

/// Issue 15: a page whose entity body names a key twice is refused whole, naming the key; the
/// device keeps what it had.
#[tokio::test]
async fn a_body_naming_a_key_twice_applies_nothing() {
    let (h, device, cursor) = setup().await;
    h.proxy.inject(
        "/changes",
        Fault::MapBody(Arc::new(|body: &[u8]| {
            String::from_utf8_lossy(body)
                .replacen(r#""body":{"#, r#""body":{"x":1,"x":2,"#, 1)
                .replacen(r#""patch":{"#, r#""patch":{"x":1,"x":2,"#, 1)
                .into_bytes()
        })),
        1,
    );
    let err = device.sync(&h.url(), EVENT).await.unwrap_err();
    assert!(matches!(err, Error::Protocol(_)), "{err}");
    assert!(err.to_string().contains("\"x\" appears twice"), "{err}");
    recovers(&h, &device, cursor).await;
}
