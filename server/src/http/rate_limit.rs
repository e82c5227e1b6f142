//! Token-bucket rate limits on writes and admin requests, per client address and per bearer
//! token, answered `429` with `Retry-After`. Reads are never limited: polls are cheap 304s, and
//! a venue NAT puts every attendee behind one address. Decisions: `docs/adr/0007-reliability.md`.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{Extensions, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use marktplatz_core::wire::code;

use super::error::error_response;
use crate::config::RateLimit;

/// Whether a request changes something (reads: GET, HEAD, OPTIONS).
pub fn is_write(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Whether a request costs enough to be rate limited: every write, and every admin request.
fn is_limited(request: &Request) -> bool {
    is_write(request.method()) || request.uri().path().starts_with("/v1/admin")
}

/// The client's address, as the connection loop recorded it.
pub fn client_ip(extensions: &Extensions) -> IpAddr {
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip())
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
}

pub async fn rate_limit(
    State(limiter): State<Arc<RateLimiter>>,
    request: Request,
    next: Next,
) -> Response {
    if !is_limited(&request) {
        return next.run(request).await;
    }
    let ip = client_ip(request.extensions());
    let token = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(token_id);
    if let Err(wait) = limiter.check(ip, token.as_deref()) {
        tracing::info!(%ip, token = token.as_deref(), wait, "rate limit hit");
        return error_response(
            StatusCode::TOO_MANY_REQUESTS,
            code::RATE_LIMITED,
            "too many requests; try again after the time in Retry-After",
            Some(wait),
        );
    }
    next.run(request).await
}

/// The public part of `Bearer ID.SECRET` (or a prefix of a legacy token): buckets are never
/// keyed by a secret.
fn token_id(authorization: &str) -> Option<String> {
    let token = authorization.strip_prefix("Bearer ")?.trim();
    let id = token.split('.').next().unwrap_or(token);
    Some(id.chars().take(32).collect())
}

#[derive(Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

#[derive(Clone, PartialEq, Eq, Hash)]
enum Key {
    Ip(IpAddr),
    Token(String),
}

/// Token buckets per client address and per token. The table is bounded: when it is full,
/// buckets that have refilled completely (idle clients) are forgotten first.
pub struct RateLimiter {
    per_ip: RateLimit,
    per_token: RateLimit,
    buckets: Mutex<HashMap<Key, Bucket>>,
}

const MAX_BUCKETS: usize = 50_000;

impl RateLimiter {
    pub fn new(per_ip: RateLimit, per_token: RateLimit) -> RateLimiter {
        RateLimiter {
            per_ip,
            per_token,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one request from the address's bucket and the token's; `Err(seconds)` to wait.
    pub fn check(&self, ip: IpAddr, token: Option<&str>) -> Result<(), u64> {
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(PoisonError::into_inner);
        if buckets.len() >= MAX_BUCKETS {
            let (per_ip, per_token) = (self.per_ip, self.per_token);
            buckets.retain(|key, bucket| {
                let limit = match key {
                    Key::Ip(_) => per_ip,
                    Key::Token(_) => per_token,
                };
                refilled(bucket, limit, now) < f64::from(limit.burst)
            });
        }
        let mut keys = vec![(Key::Ip(ip), self.per_ip)];
        if let Some(token) = token {
            keys.push((Key::Token(token.to_string()), self.per_token));
        }
        // Both buckets must have a token; only then is one taken from each.
        let mut wait = 0u64;
        for (key, limit) in &keys {
            let tokens = buckets
                .get(key)
                .map_or(f64::from(limit.burst), |b| refilled(b, *limit, now));
            if tokens < 1.0 {
                let seconds = ((1.0 - tokens) / limit.per_second.max(0.001)).ceil() as u64;
                wait = wait.max(seconds.max(1));
            }
        }
        if wait > 0 {
            return Err(wait);
        }
        for (key, limit) in keys {
            let tokens = buckets
                .get(&key)
                .map_or(f64::from(limit.burst), |b| refilled(b, limit, now));
            buckets.insert(
                key,
                Bucket {
                    tokens: tokens - 1.0,
                    at: now,
                },
            );
        }
        Ok(())
    }
}

fn refilled(bucket: &Bucket, limit: RateLimit, now: Instant) -> f64 {
    let elapsed = now.saturating_duration_since(bucket.at).as_secs_f64();
    (bucket.tokens + elapsed * limit.per_second).min(f64::from(limit.burst))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_allows_its_burst_then_says_how_long_to_wait() {
        let limiter = RateLimiter::new(
            RateLimit {
                burst: 3,
                per_second: 0.5,
            },
            RateLimit {
                burst: 100,
                per_second: 100.0,
            },
        );
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        for _ in 0..3 {
            assert_eq!(limiter.check(ip, None), Ok(()));
        }
        assert_eq!(limiter.check(ip, None), Err(2));
        // Another address has its own bucket.
        assert_eq!(limiter.check("10.0.0.2".parse().unwrap(), None), Ok(()));
    }

    #[test]
    fn a_token_is_limited_across_addresses() {
        let limiter = RateLimiter::new(
            RateLimit {
                burst: 100,
                per_second: 100.0,
            },
            RateLimit {
                burst: 2,
                per_second: 1.0,
            },
        );
        for n in 0..2u8 {
            let ip = IpAddr::V4(Ipv4Addr::new(10, 0, 0, n));
            assert_eq!(limiter.check(ip, Some("abc")), Ok(()));
        }
        assert_eq!(
            limiter.check(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 9)), Some("abc")),
            Err(1)
        );
        assert_eq!(token_id("Bearer abc.secret"), Some("abc".to_string()));
        assert_eq!(token_id("Basic xyz"), None);
    }
}
