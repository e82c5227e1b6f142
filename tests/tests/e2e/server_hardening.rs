#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The server against hostile clients, one test per limit: request head size and header count
//! (431), body size (413), a slow request head (closed) and a slow upload (408), rate limits
//! per address and per token (429 + Retry-After), error bodies that reveal nothing of the
//! machine, and security headers (but not on the 304 a poll gets).

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use marktplatz_server::config::RateLimit;
use marktplatz_tests::Harness;
use marktplatz_tests::fixtures::small_bundle;
use marktplatz_tests::raw_http::{self, RawResponse};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const EVENT: &str = "mp-nordwest";

fn assert_error(response: &RawResponse, status: u16, code: &str) {
    assert_eq!(response.status, status, "{}", response.text());
    assert_eq!(response.header("content-type"), Some("application/json"));
    assert_eq!(response.json()["code"], code, "{}", response.text());
}

fn assert_secure_headers(response: &RawResponse) {
    for (name, value) in marktplatz_server::http::SECURITY_HEADERS {
        assert_eq!(
            response.header(name),
            Some(value),
            "{name} on a {}: {:?}",
            response.status,
            response.headers
        );
    }
}

/// Reads until the server closes the connection (or `limit` passes); returns what arrived and
/// how long it took.
async fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> (Vec<u8>, Duration) {
    let started = Instant::now();
    let mut received = Vec::new();
    let mut buf = [0u8; 4096];
    while started.elapsed() < limit {
        match tokio::time::timeout(Duration::from_millis(50), stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => break,
            Ok(Ok(n)) => received.extend_from_slice(&buf[..n]),
            Err(_) => {}
        }
    }
    (received, started.elapsed())
}

#[tokio::test]
async fn an_oversized_request_head_is_refused_with_431() {
    let h = Harness::start_with(|c| c.max_header_bytes = 8 * 1024).await;
    h.publish(&small_bundle(EVENT));
    let addr = h.server.addr();
    let ok = raw_http::get(
        addr,
        &format!("/v1/events/{EVENT}/head"),
        &[("x-pad", &"a".repeat(2000))],
    )
    .await;
    assert_eq!(ok.status, 200, "a head well within the limit is served");
    let big = "a".repeat(12 * 1024);
    let refused = raw_http::get(
        addr,
        &format!("/v1/events/{EVENT}/head"),
        &[("x-pad", &big)],
    )
    .await;
    assert_eq!(refused.status, 431);
}

#[tokio::test]
async fn too_many_headers_are_refused_with_431() {
    let h = Harness::start_with(|c| c.max_headers = 32).await;
    h.publish(&small_bundle(EVENT));
    let names: Vec<String> = (0..60).map(|n| format!("x-h{n}")).collect();
    let headers: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "1")).collect();
    let refused = raw_http::get(
        h.server.addr(),
        &format!("/v1/events/{EVENT}/head"),
        &headers,
    )
    .await;
    assert_eq!(refused.status, 431);
    let few = raw_http::get(
        h.server.addr(),
        &format!("/v1/events/{EVENT}/head"),
        &headers[..10],
    )
    .await;
    assert_eq!(few.status, 200);
}

#[tokio::test]
async fn an_oversized_body_is_refused_with_413() {
    let h = Harness::start_with(|c| c.max_body_bytes = 64 * 1024).await;
    h.publish(&small_bundle(EVENT));
    let token = h.admin.create_token(EVENT, "organiser").unwrap();
    let auth = format!("Bearer {token}");
    let body = vec![b' '; 200 * 1024];
    let response = raw_http::request(
        h.server.addr(),
        "PUT",
        &format!("/v1/events/{EVENT}/bundle"),
        &[
            ("authorization", &auth),
            ("content-type", "application/json"),
        ],
        &body,
    )
    .await;
    assert_error(&response, 413, "payload_too_large");
    assert_secure_headers(&response);
}

#[tokio::test]
async fn a_request_head_sent_too_slowly_is_cut_off() {
    let h = Harness::start_with(|c| {
        c.header_read_timeout = Duration::from_millis(500);
        c.idle_timeout = Duration::from_secs(30);
    })
    .await;
    let mut stream = TcpStream::connect(h.server.addr()).await.unwrap();
    stream
        .write_all(b"GET /v1/events/mp-nordwest/head HTTP/1.1\r\nhost: x\r\n")
        .await
        .unwrap();
    // A slow-loris client: one byte of a header every 100 ms, never finishing the head. Each
    // byte would keep an idle timeout alive; the head deadline does not move.
    let started = Instant::now();
    let writer = tokio::spawn(async move {
        let mut closed_after = None;
        for _ in 0..50 {
            tokio::time::sleep(Duration::from_millis(100)).await;
            if stream.write_all(b"x").await.is_err() {
                closed_after = Some(started.elapsed());
                break;
            }
            let mut probe = [0u8; 64];
            match tokio::time::timeout(Duration::from_millis(1), stream.read(&mut probe)).await {
                Ok(Ok(0)) | Ok(Err(_)) => {
                    closed_after = Some(started.elapsed());
                    break;
                }
                _ => {}
            }
        }
        closed_after
    });
    let closed_after = writer
        .await
        .unwrap()
        .expect("the server never closed the slow connection");
    assert!(
        closed_after < Duration::from_secs(2),
        "closed only after {closed_after:?}"
    );
}

#[tokio::test]
async fn an_upload_sent_too_slowly_is_answered_408() {
    let h = Harness::start_with(|c| c.upload_timeout = Duration::from_millis(500)).await;
    h.publish(&small_bundle(EVENT));
    let token = h.admin.create_token(EVENT, "organiser").unwrap();
    let mut stream = TcpStream::connect(h.server.addr()).await.unwrap();
    let head = format!(
        "PUT /v1/events/{EVENT}/bundle HTTP/1.1\r\nhost: x\r\nauthorization: Bearer {token}\r\ncontent-type: application/json\r\ncontent-length: 100000\r\nconnection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let (mut read, mut write) = stream.into_split();
    let trickle = tokio::spawn(async move {
        for _ in 0..40 {
            if write.write_all(b"          ").await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });
    let started = Instant::now();
    let mut raw = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), read.read_to_end(&mut raw)).await;
    trickle.abort();
    let text = String::from_utf8_lossy(&raw);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(text.contains("request_timeout"), "{text}");
    assert!(started.elapsed() < Duration::from_secs(3));
}

async fn post_op(addr: SocketAddr, token: &str, key: &str) -> RawResponse {
    let auth = format!("Bearer {token}");
    raw_http::request(
        addr,
        "POST",
        &format!("/v1/events/{EVENT}/ops"),
        &[
            ("authorization", &auth),
            ("content-type", "application/json"),
            ("idempotency-key", key),
        ],
        br#"{"op":"session_cancel","id":"nope","base_seq":1}"#,
    )
    .await
}

#[tokio::test]
async fn writes_from_one_address_are_rate_limited_with_retry_after() {
    let h = Harness::start_with(|c| {
        c.rate_limit_per_ip = RateLimit {
            burst: 3,
            per_second: 0.5,
        };
    })
    .await;
    h.publish(&small_bundle(EVENT));
    let token = h.admin.create_token(EVENT, "organiser").unwrap();
    let addr = h.server.addr();
    for n in 0..3 {
        let answer = post_op(addr, &token, &format!("key-{n}-abcdefgh")).await;
        assert_ne!(answer.status, 429, "request {n} is within the burst");
    }
    let limited = post_op(addr, &token, "key-9-abcdefgh").await;
    assert_error(&limited, 429, "rate_limited");
    let wait: u64 = limited.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=2).contains(&wait), "Retry-After {wait}");
    // Reads are never limited: polls are cheap and must keep working.
    for _ in 0..10 {
        let poll = raw_http::get(addr, &format!("/v1/events/{EVENT}/head"), &[]).await;
        assert_eq!(poll.status, 200);
    }
    // After the wait, writes go through again.
    tokio::time::sleep(Duration::from_secs(wait)).await;
    let again = post_op(addr, &token, "key-10-abcdefgh").await;
    assert_ne!(again.status, 429, "{}", again.text());
}

#[tokio::test]
async fn token_paths_are_rate_limited_per_token() {
    let h = Harness::start_with(|c| {
        c.rate_limit_per_token = RateLimit {
            burst: 2,
            per_second: 0.2,
        };
    })
    .await;
    let admin = h.admin.create_token("unused-event", "organiser").unwrap();
    let _ = admin;
    let spec = marktplatz_server::auth::TokenSpec {
        role: marktplatz_server::auth::Role::Admin,
        event_id: None,
        subject: None,
        expires_in: None,
    };
    let token = h.admin.issue_token(&spec).unwrap().token;
    let auth = format!("Bearer {token}");
    let addr = h.server.addr();
    for _ in 0..2 {
        let listed = raw_http::get(addr, "/v1/admin/tokens", &[("authorization", &auth)]).await;
        assert_eq!(listed.status, 200, "{}", listed.text());
    }
    let limited = raw_http::get(addr, "/v1/admin/tokens", &[("authorization", &auth)]).await;
    assert_error(&limited, 429, "rate_limited");
    assert!(limited.header("retry-after").is_some());
    // Guessing tokens does not get around it either: every guess costs the address.
    let guesses: Vec<u16> = {
        let mut out = Vec::new();
        for n in 0..3 {
            let guess = format!("Bearer guess{n}.secret");
            out.push(
                raw_http::get(addr, "/v1/admin/tokens", &[("authorization", &guess)])
                    .await
                    .status,
            );
        }
        out
    };
    assert!(
        guesses.iter().all(|s| *s == 401 || *s == 429),
        "{guesses:?}"
    );
}

#[tokio::test]
async fn internal_errors_reveal_no_paths_or_internals() {
    let h = Harness::start_sqlite().await;
    let bytes = marktplatz_tests::crash::noise(7, 50_000);
    let asset = h.admin.put_asset(&bytes, "image/jpeg").unwrap();
    let data = h.root.path().join("server");
    let file = data.join("assets").join(&asset.sha256);
    assert!(file.is_file(), "assets live at {}", file.display());
    let addr = h.server.addr();
    let mut answers = Vec::new();
    // The file shrank behind the server's back (disk trouble), then vanished.
    std::fs::write(&file, &bytes[..100]).unwrap();
    answers.push(raw_http::get(addr, &format!("/v1/assets/{}", asset.sha256), &[]).await);
    std::fs::remove_file(&file).unwrap();
    answers.push(raw_http::get(addr, &format!("/v1/assets/{}", asset.sha256), &[]).await);
    // Garbage where JSON is expected, path tricks, an unknown route.
    let token = h.admin.create_token(EVENT, "organiser").unwrap();
    let auth = format!("Bearer {token}");
    answers.push(
        raw_http::request(
            addr,
            "PUT",
            &format!("/v1/events/{EVENT}/bundle"),
            &[
                ("authorization", &auth),
                ("content-type", "application/json"),
            ],
            b"{\"event\": [1, 2",
        )
        .await,
    );
    answers.push(raw_http::get(addr, "/v1/assets/..%2F..%2Fetc%2Fpasswd", &[]).await);
    answers.push(raw_http::get(addr, "/v1/../../etc/passwd", &[]).await);
    let statuses: Vec<u16> = answers.iter().map(|a| a.status).collect();
    assert!(statuses[..2].iter().all(|s| *s == 500), "{statuses:?}");
    // (A message may quote the client's own input back, as JSON that nosniff and the CSP keep
    // from ever being rendered; it must never show the server's files or internals.)
    let data_text = data.display().to_string();
    for answer in &answers {
        let text = answer.text();
        assert_eq!(
            answer.header("content-type"),
            Some("application/json"),
            "{text}"
        );
        for secret in [
            data_text.as_str(),
            "/tmp",
            "/dev/shm",
            ".rs:",
            "src/",
            "panicked",
            "rusqlite",
            "os error",
            "No such file",
        ] {
            assert!(!text.contains(secret), "{secret:?} in {text}");
        }
        assert_secure_headers(answer);
    }
}

#[tokio::test]
async fn answers_carry_security_headers_but_the_poll_304_stays_small() {
    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    let addr = h.server.addr();
    let head = raw_http::get(addr, &format!("/v1/events/{EVENT}/head"), &[]).await;
    assert_eq!(head.status, 200);
    assert_secure_headers(&head);
    let page = raw_http::get(addr, &format!("/v1/events/{EVENT}/changes"), &[]).await;
    assert_secure_headers(&page);
    let missing = raw_http::get(addr, "/v1/nothing", &[]).await;
    assert_eq!(missing.status, 404);
    assert_secure_headers(&missing);
    let asset = h
        .admin
        .put_asset(&marktplatz_tests::crash::noise(3, 1000), "image/png")
        .unwrap();
    let image = raw_http::get(addr, &format!("/v1/assets/{}", asset.sha256), &[]).await;
    assert_eq!(image.status, 200);
    assert_secure_headers(&image);
    // The no-change poll: no security headers (no body to protect), under 300 bytes in all.
    let epoch = head.json()["epoch"].as_str().unwrap().to_string();
    let seq = head.json()["seq"].as_u64().unwrap();
    let tag = marktplatz_model::wire::page_etag(&epoch, seq);
    let poll = raw_http::get(
        addr,
        &format!("/v1/events/{EVENT}/changes/{epoch}/{seq}"),
        &[("if-none-match", &tag)],
    )
    .await;
    assert_eq!(poll.status, 304);
    assert!(poll.header("x-content-type-options").is_none());
    assert!(poll.wire_bytes < 300, "{} bytes", poll.wire_bytes);
}

#[tokio::test]
async fn a_flood_of_connections_does_not_starve_a_well_behaved_poll() {
    // Connections that send half a request head and stall are closed by the head deadline,
    // so they cannot hold the connection slots for long.
    let h = Harness::start_with(|c| {
        c.max_connections = 8;
        c.header_read_timeout = Duration::from_millis(400);
    })
    .await;
    h.publish(&small_bundle(EVENT));
    let addr = h.server.addr();
    let mut stalled = Vec::new();
    for _ in 0..8 {
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(b"GET /v1/events/mp-nordwest/head HTTP/1.1\r\n")
            .await
            .unwrap();
        stalled.push(s);
    }
    let started = Instant::now();
    let poll = tokio::time::timeout(
        Duration::from_secs(5),
        raw_http::get(addr, &format!("/v1/events/{EVENT}/head"), &[]),
    )
    .await
    .expect("the poll waited for ever");
    assert_eq!(poll.status, 200);
    assert!(started.elapsed() < Duration::from_secs(3));
    for mut s in stalled {
        let (_, took) = read_until_closed(&mut s, Duration::from_secs(3)).await;
        assert!(took < Duration::from_secs(3));
    }
}
