#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `GET /v1/events` against a real server on loopback: the events offered to anyone (for the
//! apps' event picker), never a protected one, answered conditionally; and the device's
//! `server_events` reading it, with clear errors for a dead server and a hostile answer.

use chrono::NaiveDate;
use marktplatz_core::Error;
use marktplatz_core::sync::cancel::CancelToken;
use marktplatz_core::sync::events::server_events;
use marktplatz_model::wire::ListedEvent;
use marktplatz_tests::Harness;
use marktplatz_tests::fixtures::small_bundle;
use marktplatz_tests::raw_http;

fn day(d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(2027, 3, d)
}

/// Three events: two public (one of them with a later start), one behind an access code.
async fn three_events() -> Harness {
    let h = Harness::start().await;
    let mut later = small_bundle("mp-suedwest");
    later.event.title = "E-Government Marktplatz Südwest".into();
    later.event.days = vec![day(10).unwrap(), day(11).unwrap()];
    h.publish(&later);
    h.publish(&small_bundle("mp-nordwest"));
    h.publish(&small_bundle("mp-intern"));
    assert!(
        !h.admin
            .set_access_code("mp-intern", Some("Markthalle 2027"))
            .unwrap()
    );
    h
}

#[tokio::test]
async fn the_list_names_public_events_in_time_order_and_never_a_protected_one() {
    let h = three_events().await;
    let addr = h.server.addr();

    let answer = raw_http::get(addr, "/v1/events", &[]).await;
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert_eq!(answer.header("content-type"), Some("application/json"));
    let json = answer.json();
    let ids: Vec<&str> = json["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["mp-nordwest", "mp-suedwest"], "{json}");
    assert!(
        !answer.text().contains("mp-intern"),
        "a protected event is not even named: {}",
        answer.text()
    );

    // Asked again with its ETag: a 304 without a body.
    let etag = answer.header("etag").unwrap().to_string();
    let again = raw_http::get(addr, "/v1/events", &[("if-none-match", &etag)]).await;
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());

    // Making the protected event public lists it (and changes the ETag).
    h.admin.set_access_code("mp-intern", None).unwrap();
    let changed = raw_http::get(addr, "/v1/events", &[("if-none-match", &etag)]).await;
    assert_eq!(changed.status, 200);
    assert!(changed.text().contains("mp-intern"), "{}", changed.text());
}

#[tokio::test]
async fn a_device_reads_the_list_with_titles_and_days() {
    let h = three_events().await;
    let device = h.device("phone");
    let events = server_events(&device.client, &h.url(), &CancelToken::new())
        .await
        .unwrap();
    assert_eq!(
        events,
        vec![
            ListedEvent {
                id: "mp-nordwest".into(),
                title: "E-Government Marktplatz Nordwest".into(),
                first_day: day(4),
                last_day: day(4),
            },
            ListedEvent {
                id: "mp-suedwest".into(),
                title: "E-Government Marktplatz Südwest".into(),
                first_day: day(10),
                last_day: day(11),
            },
        ]
    );
    // Listing stores nothing on the device.
    assert!(device.store.events().unwrap().is_empty());
}

#[tokio::test]
async fn a_dead_server_and_a_foreign_answer_are_named_errors() {
    let h = three_events().await;
    let device = h.device("phone");
    // Nothing listens there any more.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap()
        .port();
    let dead = format!("http://127.0.0.1:{port}");
    let error = server_events(&device.client, &dead, &CancelToken::new())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Offline { .. }), "{error}");
    assert!(error.to_string().contains(&dead), "{error}");

    // A server that answers something else (here: the web programme's path) is not a list.
    let wrong = format!("{}/e/mp-nordwest", h.server.url());
    let error = server_events(&device.client, &wrong, &CancelToken::new())
        .await
        .unwrap_err();
    assert!(error.to_string().contains("/v1/events"), "{error}");

    // A server whose answer is not an event list: a named error, nothing else read.
    let hostile = one_answer(b"{\"events\": 5}").await;
    let error = server_events(&device.client, &hostile, &CancelToken::new())
        .await
        .unwrap_err();
    assert!(error.to_string().contains("the event list of"), "{error}");
}

/// A loopback server that answers one request with `body` as JSON, then closes.
async fn one_answer(body: &'static [u8]) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut request = [0u8; 4096];
        let _ = socket.read(&mut request).await.unwrap();
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        );
        socket.write_all(head.as_bytes()).await.unwrap();
        socket.write_all(body).await.unwrap();
    });
    format!("http://{addr}")
}
