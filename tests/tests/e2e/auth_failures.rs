#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Issue 15: failed authentications are charged to the address that sends them (not to the
//! token they name): a guesser is slowed down, while the token's owner, from another address,
//! is still answered.

use std::net::{IpAddr, Ipv4Addr};

use marktplatz_server::config::RateLimit;
use marktplatz_tests::{Harness, raw_http};

#[tokio::test]
async fn failed_authentications_use_up_the_senders_address_not_the_token() {
    let h = Harness::start_with(|c| {
        c.rate_limit_per_ip = RateLimit {
            burst: 3,
            per_second: 0.01,
        };
    })
    .await;
    let admin = h.admin_token();
    let addr = h.server.addr();
    let guesser = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2));
    let owner = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 3));
    let forged = format!("Bearer {}.{}", admin.id, "A".repeat(43));
    let mut statuses = Vec::new();
    for _ in 0..6 {
        let answer = raw_http::get_from(
            guesser,
            addr,
            "/v1/admin/tokens",
            &[("authorization", &forged)],
        )
        .await;
        statuses.push(answer.status);
    }
    assert_eq!(&statuses[..3], &[401, 401, 401], "{statuses:?}");
    assert!(statuses[3..].iter().all(|s| *s == 429), "{statuses:?}");

    let real = format!("Bearer {}", admin.token);
    let answer =
        raw_http::get_from(owner, addr, "/v1/admin/tokens", &[("authorization", &real)]).await;
    assert_eq!(answer.status, 200, "{}", answer.text());
}
