//! Token-bucket rate limits, answered `429` with `Retry-After`.
//!
//! - Every write and admin request costs its client address one token (this middleware),
//!   before anything else is looked at: failed authentications are paid for by the address.
//! - A bearer token's bucket is charged only once the token is known to be valid
//!   (`extract::Authenticated`): knowing a token's public id is not enough to use it up, and
//!   the spelling of the header does not matter.
//! - Wrong access codes have buckets of their own per address and per event (`access`).
//!
//! Reads are never limited here: polls are cheap 304s, and a venue NAT puts every attendee
//! behind one address. Decisions: `docs/adr/0007-reliability.md`.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{Extensions, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use marktplatz_model::wire::code;

use super::error::{ApiError, error_response};
use super::forwarded::ClientAddr;
use crate::config::RateLimit;

/// Whether a request changes something (reads: GET, HEAD, OPTIONS).
pub fn is_write(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Whether a request costs enough to be rate limited: every write, and every admin request.
fn is_limited(request: &Request) -> bool {
    is_write(request.method()) || request.uri().path().starts_with("/v1/admin")
}

/// The client's address, as the connection loop recorded it: behind a trusted proxy, the one
/// `X-Forwarded-For` names (`forwarded`), else the peer's.
pub fn client_ip(extensions: &Extensions) -> IpAddr {
    if let Some(ClientAddr(ip)) = extensions.get::<ClientAddr>() {
        return *ip;
    }
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip())
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
}

/// What one client is, for limits: its IPv4 address, or its IPv6 /64 (one subscriber's
/// network: handing out addresses from it costs a client nothing).
pub fn client_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
        v4 => v4,
    }
}

/// The 429 for a limit that says to wait `seconds`.
pub fn too_many(message: &str, seconds: u64) -> ApiError {
    let mut error = ApiError::new(StatusCode::TOO_MANY_REQUESTS, code::RATE_LIMITED, message);
    error.retry_after = Some(seconds);
    error
}

/// The per-address and per-token limits of writes and admin requests.
pub struct WriteLimits {
    pub per_ip: Buckets<IpAddr>,
    pub per_token: Buckets<String>,
}

impl WriteLimits {
    pub fn new(per_ip: RateLimit, per_token: RateLimit) -> WriteLimits {
        WriteLimits {
            per_ip: Buckets::new(per_ip),
            per_token: Buckets::new(per_token),
        }
    }

    /// Charges the token of an authenticated principal (`Err(seconds)` to wait).
    pub fn charge_token(&self, token_id: &str) -> Result<(), ApiError> {
        self.per_token.take(token_id.to_string()).map_err(|wait| {
            tracing::info!(token = token_id, wait, "rate limit hit (token)");
            too_many(
                "too many requests with this token; try again after the time in Retry-After",
                wait,
            )
        })
    }
}

/// Middleware: every write and admin request costs its address one token.
pub async fn rate_limit(
    State(limits): State<Arc<WriteLimits>>,
    request: Request,
    next: Next,
) -> Response {
    if !is_limited(&request) {
        return next.run(request).await;
    }
    let ip = client_ip(request.extensions());
    if let Err(wait) = limits.per_ip.take(client_key(ip)) {
        tracing::info!(%ip, wait, "rate limit hit (address)");
        return error_response(
            StatusCode::TOO_MANY_REQUESTS,
            code::RATE_LIMITED,
            "too many requests; try again after the time in Retry-After",
            Some(wait),
        );
    }
    next.run(request).await
}

#[derive(Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Token buckets by key, all with the same limit. The table is bounded: when it is full,
/// buckets that have refilled completely (idle clients) are forgotten first, and if that is
/// not enough, all of them (a new key starts with a full bucket anyway).
pub struct Buckets<K> {
    limit: RateLimit,
    table: Mutex<HashMap<K, Bucket>>,
}

const MAX_BUCKETS: usize = 50_000;

impl<K: Hash + Eq> Buckets<K> {
    pub fn new(limit: RateLimit) -> Buckets<K> {
        Buckets {
            limit,
            table: Mutex::new(HashMap::new()),
        }
    }

    /// Seconds until `key` may spend a token; 0 when it may now.
    pub fn wait(&self, key: &K) -> u64 {
        let table = self.table.lock().unwrap_or_else(PoisonError::into_inner);
        let tokens = table.get(key).map_or(f64::from(self.limit.burst), |b| {
            self.refilled(b, Instant::now())
        });
        self.seconds_to_one(tokens)
    }

    /// Takes a token from `key`'s bucket; `Err(seconds)` to wait when it has none.
    pub fn take(&self, key: K) -> Result<(), u64> {
        let now = Instant::now();
        let mut table = self.table.lock().unwrap_or_else(PoisonError::into_inner);
        let tokens = table
            .get(&key)
            .map_or(f64::from(self.limit.burst), |b| self.refilled(b, now));
        if tokens < 1.0 {
            return Err(self.seconds_to_one(tokens));
        }
        if table.len() >= MAX_BUCKETS && !table.contains_key(&key) {
            let burst = f64::from(self.limit.burst);
            table.retain(|_, bucket| self.refilled(bucket, now) < burst);
            if table.len() >= MAX_BUCKETS {
                table.clear();
            }
        }
        table.insert(
            key,
            Bucket {
                tokens: tokens - 1.0,
                at: now,
            },
        );
        Ok(())
    }

    fn refilled(&self, bucket: &Bucket, now: Instant) -> f64 {
        let elapsed = now.saturating_duration_since(bucket.at).as_secs_f64();
        (bucket.tokens + elapsed * self.limit.per_second).min(f64::from(self.limit.burst))
    }

    fn seconds_to_one(&self, tokens: f64) -> u64 {
        if tokens >= 1.0 {
            return 0;
        }
        (((1.0 - tokens) / self.limit.per_second.max(0.001)).ceil() as u64).max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_allows_its_burst_then_says_how_long_to_wait() {
        let buckets = Buckets::new(RateLimit {
            burst: 3,
            per_second: 0.5,
        });
        let ip: IpAddr = "10.0.0.1"
            .parse()
            .unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
        for _ in 0..3 {
            assert_eq!(buckets.wait(&ip), 0);
            assert_eq!(buckets.take(ip), Ok(()));
        }
        assert_eq!(buckets.take(ip), Err(2));
        assert_eq!(buckets.wait(&ip), 2);
        // Another address has its own bucket.
        assert_eq!(buckets.take(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2))), Ok(()));
    }

    #[test]
    fn an_ipv6_client_is_its_64() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1"
            .parse()
            .unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
        let b: IpAddr = "2001:db8:1:2:bbbb::7"
            .parse()
            .unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
        let other: IpAddr = "2001:db8:1:3::1"
            .parse()
            .unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
        assert_eq!(client_key(a), client_key(b));
        assert_ne!(client_key(a), client_key(other));
        let mapped: IpAddr = "::ffff:10.0.0.1"
            .parse()
            .unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
        assert_eq!(client_key(mapped), IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1)));
    }
}
