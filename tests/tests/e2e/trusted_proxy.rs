#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Issue 22 follow-up: behind a trusted reverse proxy (`serve --trusted-proxy`) the per-address
//! limits count the client `X-Forwarded-For` names (its rightmost untrusted address), so one
//! client using up its budget leaves the others answered; from an untrusted peer the header
//! changes nothing, and a header that cannot be read leaves the peer's address. Checked as an
//! attacker would: forged leftmost entries, garbage, long lists.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use marktplatz_server::config::RateLimit;
use marktplatz_server::parse_trusted_proxy;
use marktplatz_tests::{Harness, raw_http};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const TIGHT: RateLimit = RateLimit {
    burst: 3,
    per_second: 0.01,
};

/// An admin request (rate limited per client, answered 401 without a token) from `source`
/// with `X-Forwarded-For: forwarded`; its status.
async fn admin_from(source: IpAddr, addr: SocketAddr, forwarded: Option<&str>) -> u16 {
    let headers: Vec<(&str, &str)> = forwarded
        .map(|f| vec![("x-forwarded-for", f)])
        .unwrap_or_default();
    raw_http::get_from(source, addr, "/v1/admin/tokens", &headers)
        .await
        .status
}

async fn statuses(source: IpAddr, addr: SocketAddr, forwarded: Option<&str>, n: usize) -> Vec<u16> {
    let mut all = Vec::new();
    for _ in 0..n {
        all.push(admin_from(source, addr, forwarded).await);
    }
    all
}

const PROXY: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

/// A server with tight write limits that trusts the proxies in `trusted`.
async fn tight_behind(trusted: &[&str]) -> Harness {
    let trusted = trusted
        .iter()
        .map(|t| parse_trusted_proxy(t).unwrap())
        .collect();
    Harness::start_with(|c| {
        c.rate_limit_per_ip = TIGHT;
        c.trusted_proxies = trusted;
    })
    .await
}

#[tokio::test]
async fn behind_a_trusted_proxy_one_client_over_its_limit_leaves_the_others_answered() {
    let h = tight_behind(&["127.0.0.1"]).await;
    let addr = h.server.addr();
    // Client A (as nginx forwards it) uses up its budget.
    let a = statuses(PROXY, addr, Some("198.51.100.1"), 5).await;
    assert_eq!(a, [401, 401, 401, 429, 429]);
    // A forged leftmost entry does not make A someone else: the rightmost untrusted counts.
    let forged = statuses(PROXY, addr, Some("203.0.113.77, 198.51.100.1"), 1).await;
    assert_eq!(forged, [429]);
    // Client B, through the same proxy, is answered.
    let b = statuses(PROXY, addr, Some("198.51.100.2"), 3).await;
    assert_eq!(b, [401, 401, 401]);
    // A trusted hop right of the client is skipped (a second proxy in the chain).
    let c = statuses(PROXY, addr, Some("198.51.100.3, 127.0.0.1"), 1).await;
    assert_eq!(c, [401]);
    let c_direct = statuses(PROXY, addr, Some("198.51.100.3"), 3).await;
    assert_eq!(c_direct, [401, 401, 429], "the same client C as before");
}

#[tokio::test]
async fn from_an_untrusted_peer_x_forwarded_for_changes_nothing() {
    for trusted in [&[][..], &["10.0.0.0/8"]] {
        let h = tight_behind(trusted).await;
        let addr = h.server.addr();
        let mut seen = Vec::new();
        // Every request claims another client (and one claims a trusted proxy): all one peer.
        for forwarded in ["198.51.100.1", "198.51.100.2", "10.0.0.1", "198.51.100.4"] {
            seen.push(admin_from(PROXY, addr, Some(forwarded)).await);
        }
        assert_eq!(seen, [401, 401, 401, 429]);
    }
}

#[tokio::test]
async fn a_malformed_or_padded_header_from_the_proxy_counts_as_the_proxy() {
    let h = tight_behind(&["127.0.0.0/8"]).await;
    let addr = h.server.addr();
    let proxy = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 9));
    // The proxy's own budget, used up without a header.
    assert_eq!(statuses(proxy, addr, None, 3).await, [401, 401, 401]);
    let padded = vec!["127.0.0.5"; 40].join(", ");
    let overlong = format!("{}, 198.51.100.200", "1".repeat(8_000));
    for bad in [
        "not-an-address",
        "198.51.100.7:4711",
        "198.51.100.7,",
        "",
        padded.as_str(),
    ] {
        assert_eq!(admin_from(proxy, addr, Some(bad)).await, 429, "{bad:?}");
    }
    // An overlong list whose rightmost entry is an address: that client (the walk stops there).
    assert_eq!(admin_from(proxy, addr, Some(&overlong)).await, 401);
    // A well-formed header still names its client.
    assert_eq!(admin_from(proxy, addr, Some("198.51.100.8")).await, 401);
}

/// Opens a keep-alive connection from `source` and asks `/v1/events` on it; the status.
async fn open_and_ask(source: IpAddr, addr: SocketAddr) -> (tokio::net::TcpStream, u16) {
    let mut stream = raw_http::connect_from(source, addr).await;
    let head = format!("GET /v1/events HTTP/1.1\r\nhost: {addr}\r\n\r\n");
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut buf = vec![0u8; 4096];
    let n = stream.read(&mut buf).await.unwrap();
    let text = String::from_utf8_lossy(&buf[..n]).to_string();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (stream, status)
}

#[tokio::test]
async fn a_trusted_proxys_connections_are_not_capped_per_address() {
    let h = Harness::start_with(|c| {
        c.max_connections_per_ip = 2;
        c.trusted_proxies = vec![parse_trusted_proxy("127.0.0.1").unwrap()];
    })
    .await;
    let addr = h.server.addr();
    let mut open = Vec::new();
    for _ in 0..6 {
        let (stream, status) = open_and_ask(PROXY, addr).await;
        assert_eq!(status, 200, "the proxy's connections are all its clients'");
        open.push(stream);
    }
    let other = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 4));
    let mut statuses = Vec::new();
    for _ in 0..3 {
        let (stream, status) = open_and_ask(other, addr).await;
        statuses.push(status);
        open.push(stream);
    }
    assert_eq!(
        statuses,
        [200, 200, 503],
        "an untrusted address keeps its cap"
    );
}
