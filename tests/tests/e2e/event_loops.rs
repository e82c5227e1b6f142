#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The server's event loops (`Config::event_loops`, one per core, each with its own
//! `SO_REUSEPORT` listener): connections land on more than one loop, stopping waits for the
//! requests in flight on every loop, and a long-poll held on one loop is answered when a
//! publish arrives on another.

use std::time::{Duration, Instant};

use marktplatz_model::assets::sha256_hex;
use marktplatz_model::wire;
use marktplatz_server::RunningServer;
use marktplatz_tests::Harness;
use marktplatz_tests::fixtures::small_bundle;
use marktplatz_tests::organiser::noise_png;
use marktplatz_tests::raw_http;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const EVENT: &str = "mp-nordwest";

/// The loop that accepted the connection opened after `before` was read.
async fn accepting_loop(server: &RunningServer, before: &[u64]) -> usize {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let now = server.accepted_per_loop();
        if let Some(on) = (0..now.len()).find(|&i| now[i] > before[i]) {
            return on;
        }
        assert!(Instant::now() < deadline, "no loop accepted the connection");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// One open connection on each of the server's two loops (the kernel picks the loop from the
/// connection's addresses and ports, so a few tries find both).
async fn a_connection_on_each_loop(server: &RunningServer) -> [TcpStream; 2] {
    let mut found: [Option<TcpStream>; 2] = [None, None];
    for _ in 0..200 {
        let before = server.accepted_per_loop();
        assert_eq!(before.len(), 2, "two loops");
        let stream = TcpStream::connect(server.addr()).await.unwrap();
        let on = accepting_loop(server, &before).await;
        found[on].get_or_insert(stream);
        if found.iter().all(Option::is_some) {
            return found.map(Option::unwrap);
        }
    }
    panic!("200 connections all landed on one loop");
}

/// Sends `rest` of a request on `stream`, then reads until the server closes.
async fn send_rest(mut stream: TcpStream, rest: &[u8]) -> String {
    stream.write_all(rest).await.unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(30), stream.read_to_end(&mut answer))
        .await
        .expect("an answer within 30 s")
        .unwrap();
    String::from_utf8_lossy(&answer).to_string()
}

/// Sends one request with `Connection: close` on `stream`; its status and body.
async fn exchange(
    mut stream: TcpStream,
    method: &str,
    path: &str,
    headers: &str,
    body: &[u8],
) -> (u16, String) {
    let head = format!(
        "{method} {path} HTTP/1.1\r\nhost: x\r\nconnection: close\r\ncontent-length: {}\r\n{headers}\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let answer = send_rest(stream, body).await;
    let status = answer.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = answer
        .split_once("\r\n\r\n")
        .map_or(String::new(), |(_, body)| body.to_string());
    (status, body)
}

#[tokio::test]
async fn stopping_waits_for_the_requests_in_flight_on_every_loop() {
    let h = Harness::start_with(|c| c.event_loops = 2).await;
    let token = h.admin.create_token(EVENT, "organiser").unwrap();
    let [mut first, mut second] = a_connection_on_each_loop(&h.server).await;
    // An upload half sent on each loop: two different whole images.
    let images = [noise_png(260, 260), noise_png(250, 250)];
    for (stream, image) in [(&mut first, &images[0]), (&mut second, &images[1])] {
        let head = format!(
            "PUT /v1/assets/{} HTTP/1.1\r\nhost: x\r\nauthorization: Bearer {token}\r\ncontent-type: image/png\r\ncontent-length: {}\r\n\r\n",
            sha256_hex(image),
            image.len()
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        stream.write_all(&image[..image.len() / 2]).await.unwrap();
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    // The data directory (the rest of `h`) stays until the end.
    let Harness { server, admin, .. } = h;
    let addr = server.addr();
    let stopping = tokio::spawn(server.shutdown());
    for (stream, image) in [(first, &images[0]), (second, &images[1])] {
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert!(!stopping.is_finished(), "waits for the upload on each loop");
        // Stopping: the connection closes after the answer.
        let answer = send_rest(stream, &image[image.len() / 2..]).await;
        assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    }
    tokio::time::timeout(Duration::from_secs(5), stopping)
        .await
        .expect("stopped once both uploads were answered")
        .unwrap()
        .unwrap();
    assert!(TcpStream::connect(addr).await.is_err(), "no loop listens");
    for image in &images {
        assert!(admin.put_asset(image, "image/png").is_ok());
    }
}

#[tokio::test]
async fn a_long_poll_held_on_one_loop_is_answered_by_a_publish_on_the_other() {
    let h = Harness::start_with(|c| c.event_loops = 2).await;
    h.publish(&small_bundle(EVENT));
    let token = h.admin.create_token(EVENT, "organiser").unwrap();
    let head = raw_http::get(h.server.addr(), &format!("/v1/events/{EVENT}/head"), &[])
        .await
        .json();
    let (epoch, seq) = (
        head["epoch"].as_str().unwrap().to_string(),
        head["seq"].as_u64().unwrap(),
    );
    let [held, publisher] = a_connection_on_each_loop(&h.server).await;
    let tag = wire::page_etag(&epoch, seq);
    let started = Instant::now();
    let path = format!("/v1/events/{EVENT}/changes/{epoch}/{seq}?wait=20");
    let headers = format!("accept: application/json\r\nif-none-match: {tag}\r\n");
    let poll = tokio::spawn(async move { exchange(held, "GET", &path, &headers, &[]).await });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!poll.is_finished(), "held while nothing changed");

    let mut changed = small_bundle(EVENT);
    changed.sessions[0].title = "Neu auf der anderen Schleife".into();
    let (status, body) = exchange(
        publisher,
        "PUT",
        &format!("/v1/events/{EVENT}/bundle"),
        &format!("authorization: Bearer {token}\r\ncontent-type: application/json\r\n"),
        changed.to_json_pretty().unwrap().as_bytes(),
    )
    .await;
    assert_eq!(status, 200, "{body}");

    let (status, body) = poll.await.unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "answered by the publish, not at the end of the wait"
    );
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("Neu auf der anderen Schleife"), "{body}");
}
