#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Two server instances on one PostgreSQL database (ADR 0021, issue 22): what is published
//! through one is synced through the other, assets included (the second instance's asset cache
//! starts empty), and an organiser operation posted to one reaches a device syncing through the
//! other; a long-poll held by one is answered within a second of a write to the other.
//! Runs when `MARKTPLATZ_TEST_PG` names a server (scripts/test.sh starts one).

use std::time::{Duration, Instant};

use marktplatz_model::model::{Entity, EntityKind};
use marktplatz_model::ops::OpRequest;
use marktplatz_server::store::scratch::ScratchDatabase;
use marktplatz_tests::fixtures::small_bundle;
use marktplatz_tests::organiser::post_op;
use marktplatz_tests::raw_http;
use marktplatz_tests::{Harness, scratch_database};

const EVENT: &str = "mp-nordwest";

/// Two servers on one scratch database (dropped last); `None` without a PostgreSQL server.
async fn two_instances() -> Option<(ScratchDatabase, Harness, Harness)> {
    let database = scratch_database()?;
    let url = database.url().to_string();
    let one = Harness::start_on(Some(url.clone()), |_| {}).await;
    let two = Harness::start_on(Some(url), |_| {}).await;
    Some((database, one, two))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_publish_through_one_instance_syncs_through_the_other() {
    let Some((_database, one, two)) = two_instances().await else {
        eprintln!("skipped: MARKTPLATZ_TEST_PG is not set");
        return;
    };
    let mut bundle = small_bundle(EVENT);
    let outcome = one.publish(&bundle);
    assert_eq!(outcome.added as usize, bundle.entity_count());

    let phone = two.device("phone");
    let report = phone.sync(&two.url(), EVENT).await.unwrap();
    assert_eq!(report.content.head, outcome.seq);
    assert!(
        report.assets.failed.is_empty(),
        "{:?}",
        report.assets.failed
    );
    assert_eq!(report.assets.downloaded, report.assets.wanted);
    let first = bundle.sessions[0].clone();
    assert!(
        phone
            .store
            .entity(EVENT, EntityKind::Session, &first.id)
            .unwrap()
            .is_some()
    );

    // A change published through one arrives as a delta through the other.
    bundle.sessions[0].title = "Neuer Titel über Instanz eins".into();
    let second = one.publish(&bundle);
    assert_eq!(second.updated, 1);
    let report = phone.sync(&two.url(), EVENT).await.unwrap();
    assert_eq!(report.content.head, second.seq);
    let Some(Entity::Session(session)) = phone
        .store
        .entity(EVENT, EntityKind::Session, &first.id)
        .unwrap()
    else {
        panic!("the session is gone");
    };
    assert_eq!(session.title, "Neuer Titel über Instanz eins");

    // An operation posted to the second instance is synced through the first, once.
    let token = one.admin.create_token(EVENT, "organiser").unwrap();
    let request: OpRequest = serde_json::from_value(serde_json::json!({
        "event": EVENT,
        "base": 0,
        "op": {"op": "announcement.create", "id": "doors", "title": "Einlass ab 9 Uhr",
               "published_at": "2027-03-04T08:00:00Z"}
    }))
    .unwrap();
    for _ in 0..2 {
        let answer = post_op(two.server.addr(), &token, "announce-doors-1", &request).await;
        assert_eq!(answer.status, 200, "{}", answer.text());
    }
    let retried_elsewhere = post_op(one.server.addr(), &token, "announce-doors-1", &request).await;
    assert_eq!(
        retried_elsewhere.status,
        200,
        "{}",
        retried_elsewhere.text()
    );
    let report = phone.sync(&one.url(), EVENT).await.unwrap();
    assert_eq!(report.content.head, second.seq + 1, "applied once");
    assert!(
        phone
            .store
            .entity(EVENT, EntityKind::Announcement, "doors")
            .unwrap()
            .is_some()
    );
}

/// A long-poll held by the second instance is answered within a second of an operation the
/// first instance accepted (LISTEN/NOTIFY), many times over: the p99 of that delay is printed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_poll_held_on_one_instance_hears_an_operation_on_the_other_within_a_second() {
    let Some((_database, one, two)) = two_instances().await else {
        eprintln!("skipped: MARKTPLATZ_TEST_PG is not set");
        return;
    };
    one.publish(&small_bundle(EVENT));
    let token = one.admin.create_token(EVENT, "organiser").unwrap();
    let (one_addr, two_addr) = (one.server.addr(), two.server.addr());
    let mut delays = Vec::new();
    for n in 0..20 {
        let head = raw_http::get(two_addr, &format!("/v1/events/{EVENT}/head"), &[]).await;
        assert_eq!(head.status, 200, "{}", head.text());
        let (epoch, seq) = (
            head.json()["epoch"].as_str().unwrap().to_string(),
            head.json()["seq"].as_u64().unwrap(),
        );
        let tail = format!("/v1/events/{EVENT}/changes/{epoch}/{seq}?wait=20");
        let poll = tokio::spawn(async move {
            let response = raw_http::get(two_addr, &tail, &[]).await;
            (response, Instant::now())
        });
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert!(!poll.is_finished(), "held while nothing changes");
        let request: OpRequest = serde_json::from_value(serde_json::json!({
            "event": EVENT,
            "base": 0,
            "op": {"op": "announcement.create", "id": format!("note-{n}"),
                   "title": format!("Hinweis {n}"), "published_at": "2027-03-04T08:00:00Z"}
        }))
        .unwrap();
        let posted = post_op(one_addr, &token, &format!("heard-across-{n:04}"), &request).await;
        assert_eq!(posted.status, 200, "{}", posted.text());
        let accepted = Instant::now();
        let (response, answered) = poll.await.unwrap();
        assert_eq!(response.status, 200, "{}", response.text());
        assert_eq!(response.json()["head"].as_u64().unwrap(), seq + 1);
        delays.push(answered.saturating_duration_since(accepted));
    }
    delays.sort();
    let p99 = delays[delays.len() * 99 / 100];
    eprintln!(
        "another instance's operation heard after: median {:?}, p99 {:?}, max {:?}",
        delays[delays.len() / 2],
        p99,
        delays[delays.len() - 1]
    );
    assert!(p99 < Duration::from_secs(1), "p99 {p99:?}");
}
