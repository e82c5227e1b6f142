#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The server's HTTP/1.1 front for polls (`server/src/http/front/`), over loopback on one
//! kept-alive connection each: long-polls and plain polls answered by the front, anything else
//! handed to hyper on the same connection with the bytes already read, pipelined requests in
//! order, hyper's answers to malformed and oversized heads, the head deadline, `Connection:
//! close`, and the access gate on a percent-encoded event id.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use marktplatz_model::wire;
use marktplatz_tests::Harness;
use marktplatz_tests::fixtures::small_bundle;
use marktplatz_tests::raw_http;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const EVENT: &str = "mp-nordwest";

/// One answer read off a kept-alive connection.
#[derive(Debug)]
struct Answer {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.split("\r\n").skip(1).find_map(|line| {
            let (k, v) = line.split_once(':')?;
            k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

/// A kept-alive connection and what was read past the last answer.
struct Connection {
    stream: TcpStream,
    read: Vec<u8>,
}

impl Connection {
    async fn open(addr: SocketAddr) -> Connection {
        Connection {
            stream: TcpStream::connect(addr).await.unwrap(),
            read: Vec::new(),
        }
    }

    async fn send(&mut self, text: &str) {
        self.stream.write_all(text.as_bytes()).await.unwrap();
    }

    async fn fill(&mut self) -> usize {
        let mut chunk = [0u8; 4096];
        let n = tokio::time::timeout(Duration::from_secs(30), self.stream.read(&mut chunk))
            .await
            .expect("an answer within 30 s")
            .unwrap_or(0);
        self.read.extend_from_slice(&chunk[..n]);
        n
    }

    /// The next answer, framed by its length or its chunks (bodiless for 304).
    async fn answer(&mut self) -> Answer {
        let end = loop {
            if let Some(at) = self.read.windows(4).position(|w| w == b"\r\n\r\n") {
                break at + 4;
            }
            assert!(self.fill().await > 0, "closed before an answer");
        };
        let head = String::from_utf8(self.read[..end].to_vec()).unwrap();
        self.read.drain(..end);
        let status = head[9..12].parse().unwrap();
        let mut answer = Answer {
            status,
            head,
            body: Vec::new(),
        };
        if let Some(length) = answer.header("content-length") {
            let length: usize = length.parse().unwrap();
            while self.read.len() < length {
                assert!(self.fill().await > 0, "closed inside a body");
            }
            answer.body = self.read.drain(..length).collect();
        } else if answer.header("transfer-encoding") == Some("chunked") {
            loop {
                let text = String::from_utf8_lossy(&self.read).to_string();
                if let Some(at) = text.find("0\r\n\r\n")
                    && (at == 0 || text[..at].ends_with("\r\n"))
                {
                    let chunked = self.read.drain(..at + 5).collect::<Vec<u8>>();
                    answer.body = dechunk(&chunked);
                    break;
                }
                assert!(self.fill().await > 0, "closed inside chunks");
            }
        }
        answer
    }

    /// Whether the server closes the connection (reading nothing more) within `within`.
    async fn closed_within(&mut self, within: Duration) -> bool {
        let mut chunk = [0u8; 64];
        matches!(
            tokio::time::timeout(within, self.stream.read(&mut chunk)).await,
            Ok(Ok(0)) | Ok(Err(_))
        )
    }
}

fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    loop {
        let line_end = raw.windows(2).position(|w| w == b"\r\n").unwrap();
        let size =
            usize::from_str_radix(std::str::from_utf8(&raw[..line_end]).unwrap(), 16).unwrap();
        if size == 0 {
            return body;
        }
        body.extend_from_slice(&raw[line_end + 2..line_end + 2 + size]);
        raw = &raw[line_end + 4 + size..];
    }
}

/// The event's epoch and head seq.
async fn head_of(addr: SocketAddr, headers: &[(&str, &str)]) -> (String, u64) {
    let head = raw_http::get(addr, &format!("/v1/events/{EVENT}/head"), headers).await;
    assert_eq!(head.status, 200, "{}", head.text());
    let json = head.json();
    (
        json["epoch"].as_str().unwrap().to_string(),
        json["seq"].as_u64().unwrap(),
    )
}

/// A server with the small event published: its address, epoch and head seq.
async fn published() -> (Harness, SocketAddr, String, u64) {
    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    let addr = h.server.addr();
    let (epoch, seq) = head_of(addr, &[]).await;
    (h, addr, epoch, seq)
}

fn long_poll(addr: SocketAddr, path: &str, extra: &str) -> String {
    format!("GET {path} HTTP/1.1\r\nhost: {addr}\r\naccept: application/json\r\n{extra}\r\n")
}

#[tokio::test]
async fn one_connection_carries_long_polls_then_any_other_request() {
    let (_h, addr, epoch, seq) = published().await;
    let tag = wire::page_etag(&epoch, seq);
    let tail = format!("/v1/events/{EVENT}/changes/{epoch}/{seq}?wait=1&cursor=1");
    let mut connection = Connection::open(addr).await;

    // Held, then answered unchanged by the front, with the stack's headers.
    let started = Instant::now();
    connection
        .send(&long_poll(
            addr,
            &tail,
            &format!("if-none-match: {tag}\r\n"),
        ))
        .await;
    let unchanged = connection.answer().await;
    assert!(started.elapsed() >= Duration::from_millis(900), "held");
    assert_eq!(unchanged.status, 304, "{unchanged:?}");
    assert!(unchanged.header("marktplatz-cursor").is_some());
    assert!(unchanged.header("cache-control").is_some());
    assert!(unchanged.header("date").is_some());

    // Changes since the start: answered at once with the page, on the same connection.
    let from_start = format!("/v1/events/{EVENT}/changes/{epoch}/0?wait=1&cursor=2");
    connection.send(&long_poll(addr, &from_start, "")).await;
    let page = connection.answer().await;
    assert_eq!(page.status, 200, "{page:?}");
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(page.header("content-type"), Some("application/json"));
    let page: wire::Page = serde_json::from_slice(&page.body).unwrap();
    assert_eq!((page.epoch.as_str(), page.since), (epoch.as_str(), 0));
    assert!(!page.changes.is_empty(), "the page holds the content");

    // A plain poll of `head` is the front's too.
    connection
        .send(&format!(
            "GET /v1/events/{EVENT}/head HTTP/1.1\r\nhost: {addr}\r\n\r\n"
        ))
        .await;
    let head = connection.answer().await;
    assert_eq!(head.status, 200, "{head:?}");
    let json: serde_json::Value = serde_json::from_slice(&head.body).unwrap();
    assert_eq!(json["seq"].as_u64(), Some(seq));

    // Anything else goes to hyper on the same connection, and so does what follows.
    connection
        .send(&format!("GET /v1/events HTTP/1.1\r\nhost: {addr}\r\n\r\n"))
        .await;
    let listing = connection.answer().await;
    assert_eq!(listing.status, 200, "{listing:?}");
    assert!(String::from_utf8_lossy(&listing.body).contains(EVENT));
    connection
        .send(&long_poll(
            addr,
            &tail,
            &format!("if-none-match: {tag}\r\n"),
        ))
        .await;
    assert_eq!(connection.answer().await.status, 304);
}

#[tokio::test]
async fn pipelined_requests_are_answered_in_order_across_the_hand_over() {
    let (_h, addr, epoch, _) = published().await;
    let first = format!("/v1/events/{EVENT}/changes/{epoch}/0?wait=1&cursor=1");
    let mut connection = Connection::open(addr).await;
    // Two long-polls and the event list in one write: the front answers the first two, hyper
    // the third from the bytes the front had already read.
    let mut pipelined = long_poll(addr, &first, "");
    pipelined.push_str(&long_poll(addr, &first, ""));
    pipelined.push_str(&format!("GET /v1/events HTTP/1.1\r\nhost: {addr}\r\n\r\n"));
    connection.send(&pipelined).await;
    let one = connection.answer().await;
    let two = connection.answer().await;
    let three = connection.answer().await;
    assert_eq!((one.status, two.status, three.status), (200, 200, 200));
    assert_eq!(one.body, two.body);
    assert!(String::from_utf8_lossy(&three.body).contains(EVENT));
}

#[tokio::test]
async fn malformed_and_oversized_heads_get_hypers_answers() {
    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    let addr = h.server.addr();
    let path = format!("/v1/events/{EVENT}/changes/x/0?wait=1");

    let mut malformed = Connection::open(addr).await;
    malformed
        .send(&format!("GET {path} HTTP/1.1\r\nhost {addr}\r\n\r\n"))
        .await;
    assert_eq!(malformed.answer().await.status, 400);

    let mut oversized = Connection::open(addr).await;
    let big = "x".repeat(20 * 1024);
    oversized
        .send(&long_poll(addr, &path, &format!("x-big: {big}\r\n")))
        .await;
    assert_eq!(oversized.answer().await.status, 431);

    let mut many = Connection::open(addr).await;
    let headers: String = (0..80).map(|i| format!("x-h{i}: {i}\r\n")).collect();
    many.send(&long_poll(addr, &path, &headers)).await;
    assert_eq!(many.answer().await.status, 431);
}

#[tokio::test]
async fn a_head_that_never_ends_is_closed_at_its_deadline() {
    let h =
        Harness::start_with(|config| config.header_read_timeout = Duration::from_millis(400)).await;
    let addr = h.server.addr();
    let mut slow = Connection::open(addr).await;
    slow.send("GET /v1/events/x/changes/e/0?wait=20 HTTP/1.1\r\nhost: ")
        .await;
    let started = Instant::now();
    assert!(slow.closed_within(Duration::from_secs(5)).await);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "closed after {:?}",
        started.elapsed()
    );
    // An idle connection (nothing sent) is closed at the same deadline.
    let mut idle = Connection::open(addr).await;
    assert!(idle.closed_within(Duration::from_secs(3)).await);
}

#[tokio::test]
async fn connection_close_is_honoured_after_the_answer() {
    let (_h, addr, epoch, _) = published().await;
    let mut connection = Connection::open(addr).await;
    connection
        .send(&long_poll(
            addr,
            &format!("/v1/events/{EVENT}/changes/{epoch}/0?wait=1"),
            "connection: close\r\n",
        ))
        .await;
    let answer = connection.answer().await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header("connection"), Some("close"));
    assert!(connection.closed_within(Duration::from_secs(2)).await);
}

#[tokio::test]
async fn a_protected_events_long_poll_needs_its_code_however_the_id_is_written() {
    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    let code = "Markthalle 2027";
    h.admin.set_access_code(EVENT, Some(code)).unwrap();
    let addr = h.server.addr();
    let (epoch, seq) = head_of(addr, &[(wire::ACCESS_CODE_HEADER, code)]).await;
    for id in [EVENT, "mp%2Dnordwest", "%6Dp-nordwest", "MP-NORDWEST"] {
        let tail = format!("/v1/events/{id}/changes/{epoch}/{seq}?wait=1");
        let mut connection = Connection::open(addr).await;
        connection.send(&long_poll(addr, &tail, "")).await;
        let refused = connection.answer().await;
        assert!(
            (400..500).contains(&refused.status),
            "{id}: refused, not served: {refused:?}"
        );
        assert!(!String::from_utf8_lossy(&refused.body).contains("ozg"));
    }
    let mut admitted = Connection::open(addr).await;
    admitted
        .send(&long_poll(
            addr,
            &format!("/v1/events/{EVENT}/changes/{epoch}/0?wait=1"),
            &format!("{}: {code}\r\n", wire::ACCESS_CODE_HEADER),
        ))
        .await;
    assert_eq!(admitted.answer().await.status, 200);
}

#[tokio::test]
async fn stopping_the_server_answers_a_held_long_poll_and_closes_idle_connections() {
    let (h, addr, epoch, seq) = published().await;
    let tag = wire::page_etag(&epoch, seq);
    let mut idle = Connection::open(addr).await;
    let mut held = Connection::open(addr).await;
    held.send(&long_poll(
        addr,
        &format!("/v1/events/{EVENT}/changes/{epoch}/{seq}?wait=2"),
        &format!("if-none-match: {tag}\r\n"),
    ))
    .await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let Harness { server, root, .. } = h;
    let stopping = tokio::spawn(server.shutdown());
    assert!(
        idle.closed_within(Duration::from_secs(2)).await,
        "idle closed at once"
    );
    let answer = held.answer().await;
    assert_eq!(answer.status, 304);
    assert_eq!(answer.header("connection"), Some("close"));
    tokio::time::timeout(Duration::from_secs(5), stopping)
        .await
        .expect("stopped")
        .unwrap()
        .unwrap();
    drop(root);
}
