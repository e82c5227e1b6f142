#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Live updates over loopback: the long-poll form of the tail page (`?wait=N`) is held until a
//! write to its event, answered within moments of it, bounded per address, and gated by the
//! event's access code like every read. See `server/src/http/long_poll.rs`.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use marktplatz_model::model::Priority;
use marktplatz_model::ops::{Op, OpRequest};
use marktplatz_model::wire;
use marktplatz_tests::Harness;
use marktplatz_tests::fixtures::small_bundle;
use marktplatz_tests::raw_http::{self, RawResponse};

const EVENT: &str = "mp-nordwest";

/// The event's epoch and head seq.
async fn head_of(addr: SocketAddr, event: &str, headers: &[(&str, &str)]) -> (String, u64) {
    let head = raw_http::get(addr, &format!("/v1/events/{event}/head"), headers).await;
    assert_eq!(head.status, 200, "{}", head.text());
    let json = head.json();
    (
        json["epoch"].as_str().unwrap().to_string(),
        json["seq"].as_u64().unwrap(),
    )
}

async fn post_announcement(addr: SocketAddr, token: &str, event: &str, id: &str) -> RawResponse {
    let op = Op::AnnouncementCreate {
        id: id.into(),
        title: "Raumänderung: Forum jetzt im Seminarraum".into(),
        body: "Ab 11 Uhr.".into(),
        priority: Priority::Urgent,
        published_at: Utc.with_ymd_and_hms(2020, 1, 1, 8, 0, 0).unwrap(),
        expires_at: None,
    };
    let auth = format!("Bearer {token}");
    let key = format!("live-{id}");
    raw_http::request(
        addr,
        "POST",
        &format!("/v1/events/{event}/ops"),
        &[
            ("authorization", auth.as_str()),
            ("idempotency-key", key.as_str()),
            ("content-type", "application/json"),
        ],
        &serde_json::to_vec(&OpRequest {
            event: event.into(),
            base: 0,
            op,
        })
        .unwrap(),
    )
    .await
}

#[tokio::test]
async fn a_held_tail_is_answered_within_moments_of_an_operation() {
    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    let token = h.admin.create_token(EVENT, "organiser").unwrap();
    let addr = h.server.addr();
    let (epoch, seq) = head_of(addr, EVENT, &[]).await;
    let tail = format!("/v1/events/{EVENT}/changes/{epoch}/{seq}?wait=20");
    let tag = wire::page_etag(&epoch, seq);
    let started = Instant::now();
    let poll = tokio::spawn(async move {
        let response = raw_http::get(addr, &tail, &[("if-none-match", &tag)]).await;
        (response, Instant::now())
    });
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(!poll.is_finished(), "held while nothing changes");
    let posted = post_announcement(addr, &token, EVENT, "raum").await;
    assert_eq!(posted.status, 200, "{}", posted.text());
    let accepted = Instant::now();
    let (response, answered) = poll.await.unwrap();
    assert!(
        answered.duration_since(accepted) < Duration::from_secs(1),
        "answered {:?} after the operation was accepted",
        answered.duration_since(accepted)
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(response.status, 200, "{}", response.text());
    assert!(
        response.text().contains("Raumänderung"),
        "{}",
        response.text()
    );
    assert_eq!(response.json()["head"].as_u64().unwrap(), seq + 1);
    assert_eq!(response.header("cache-control"), Some("max-age=5"));
    assert!(
        response
            .header("marktplatz-cursor")
            .unwrap()
            .parse::<u64>()
            .is_ok()
    );
}

#[tokio::test]
async fn an_unchanged_tail_is_answered_unchanged_when_the_wait_ends() {
    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    h.publish(&small_bundle("other-fair"));
    let token = h.admin.create_token("other-fair", "organiser").unwrap();
    let addr = h.server.addr();
    let (epoch, seq) = head_of(addr, EVENT, &[]).await;
    let tag = wire::page_etag(&epoch, seq);
    let started = Instant::now();
    let poll = tokio::spawn(async move {
        raw_http::get(
            addr,
            &format!("/v1/events/{EVENT}/changes/{epoch}/{seq}?wait=2&cursor=7"),
            &[("if-none-match", &tag)],
        )
        .await
    });
    // A write to another event does not answer this one's waiters.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let posted = post_announcement(addr, &token, "other-fair", "elsewhere").await;
    assert_eq!(posted.status, 200, "{}", posted.text());
    let response = poll.await.unwrap();
    let held = started.elapsed();
    assert!(
        held >= Duration::from_millis(1900) && held < Duration::from_secs(5),
        "held {held:?}"
    );
    assert_eq!(response.status, 304);
    let cursor: u64 = response
        .header("marktplatz-cursor")
        .unwrap()
        .parse()
        .unwrap();
    assert_ne!(cursor, 7, "the next URL is never the one just answered");
}

#[tokio::test]
async fn held_tails_are_limited_per_address_with_retry_after() {
    let h = Harness::start_with(|config| config.max_waiters_per_ip = 2).await;
    h.publish(&small_bundle(EVENT));
    let addr = h.server.addr();
    let (epoch, seq) = head_of(addr, EVENT, &[]).await;
    let tail = format!("/v1/events/{EVENT}/changes/{epoch}/{seq}?wait=3");
    let held: Vec<_> = (0..2)
        .map(|_| {
            let tail = tail.clone();
            tokio::spawn(async move { raw_http::get(addr, &tail, &[]).await })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(400)).await;
    let refused = raw_http::get(addr, &tail, &[]).await;
    assert_eq!(refused.status, 429, "{}", refused.text());
    assert_eq!(refused.json()["code"], "rate_limited");
    assert!(
        refused
            .header("retry-after")
            .unwrap()
            .parse::<u64>()
            .unwrap()
            > 0
    );
    for poll in held {
        assert_eq!(poll.await.unwrap().status, 200);
    }
    // Answered, they free their places.
    let again = raw_http::get(addr, &tail.replace("wait=3", "wait=1"), &[]).await;
    assert_eq!(again.status, 200);
}

#[tokio::test]
async fn a_held_tail_of_a_protected_event_still_needs_its_code() {
    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    let code = "Markthalle 2027";
    h.admin.set_access_code(EVENT, Some(code)).unwrap();
    let addr = h.server.addr();
    let (epoch, seq) = head_of(addr, EVENT, &[(wire::ACCESS_CODE_HEADER, code)]).await;
    let tail = format!("/v1/events/{EVENT}/changes/{epoch}/{seq}?wait=1");
    let started = Instant::now();
    let refused = raw_http::get(addr, &tail, &[]).await;
    assert!(
        refused.status == 401 || refused.status == 403,
        "{} {}",
        refused.status,
        refused.text()
    );
    assert!(
        started.elapsed() < Duration::from_millis(900),
        "refused at once, not held"
    );
    let admitted = raw_http::get(addr, &tail, &[(wire::ACCESS_CODE_HEADER, code)]).await;
    assert_eq!(admitted.status, 200, "{}", admitted.text());
}
