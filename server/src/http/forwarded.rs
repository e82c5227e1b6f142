//! The client's address behind a reverse proxy (`serve --trusted-proxy`).
//!
//! Behind nginx every connection comes from nginx, so the per-address limits (writes, wrong
//! access codes, held long-polls) would lump every attendee together. Only when the TCP peer
//! is a trusted proxy is `X-Forwarded-For` read, from the right: each trusted proxy appends
//! the address it was connected from, so the rightmost address that is not itself a trusted
//! proxy is the first one nobody trusted vouched for: the client. Everything left of it was
//! written by the client and may be forged. From any other peer the header is ignored.
//!
//! A header that cannot be read (not ASCII, an element that is not an address, an empty
//! element, more than [`MAX_HOPS`] trusted hops) names no client: the peer's address stands.

use std::net::{IpAddr, SocketAddr};

use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Request};
use ipnet::IpNet;

/// Trusted proxies walked through at most; a longer chain is not a deployment, it is a
/// header someone padded.
pub const MAX_HOPS: usize = 16;

const X_FORWARDED_FOR: &str = "x-forwarded-for";

/// The client's address for limits and logs, decided once per request (see [`tag`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

/// The address ranges whose `X-Forwarded-For` is believed.
#[derive(Clone, Debug, Default)]
pub struct TrustedProxies {
    nets: Vec<IpNet>,
}

impl TrustedProxies {
    pub fn new(nets: &[IpNet]) -> TrustedProxies {
        TrustedProxies {
            nets: nets.iter().map(IpNet::trunc).collect(),
        }
    }

    /// Whether `ip` is a trusted proxy (an IPv4-mapped IPv6 peer as its IPv4 address).
    pub fn trusts(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.nets.iter().any(|net| net.contains(&ip))
    }

    /// The client behind `peer`: the rightmost untrusted address of `X-Forwarded-For` when
    /// `peer` is trusted, else `peer` itself.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let peer = peer.to_canonical();
        if !self.trusts(peer) {
            return peer;
        }
        // Every hop so far was a trusted proxy: the leftmost of them is the client (a request
        // made on the proxy's own machine).
        let mut nearest = peer;
        let mut hops = 0;
        // Several header lines are one list, in order (RFC 9110, 5.3): the last line is the
        // nearest proxy's.
        for line in headers.get_all(X_FORWARDED_FOR).iter().rev() {
            let Ok(line) = line.to_str() else {
                return peer;
            };
            for element in line.rsplit(',') {
                hops += 1;
                if hops > MAX_HOPS {
                    return peer;
                }
                let Ok(ip) = element.trim().parse::<IpAddr>() else {
                    return peer;
                };
                let ip = ip.to_canonical();
                if !self.trusts(ip) {
                    return ip;
                }
                nearest = ip;
            }
        }
        nearest
    }
}

/// Records on `request` the connection's peer (`ConnectInfo`) and the client it speaks for.
pub fn tag<B>(request: &mut Request<B>, peer: SocketAddr, proxies: &TrustedProxies) {
    let client = proxies.client(peer.ip(), request.headers());
    let extensions = request.extensions_mut();
    extensions.insert(ConnectInfo::<SocketAddr>(peer));
    extensions.insert(ClientAddr(client));
}

/// Parses `serve --trusted-proxy`: an address (`127.0.0.1`, `::1`) or a range (`10.0.0.0/8`).
pub fn parse_trusted_proxy(text: &str) -> Result<IpNet, String> {
    let text = text.trim();
    if let Ok(ip) = text.parse::<IpAddr>() {
        return Ok(IpNet::from(ip.to_canonical()));
    }
    text.parse::<IpNet>().map_err(|_| {
        format!("'{text}' is not an address or a range (like 127.0.0.1, ::1 or 10.0.0.0/8)")
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use axum::http::HeaderValue;

    fn proxies(list: &[&str]) -> TrustedProxies {
        let nets: Vec<IpNet> = list
            .iter()
            .map(|s| parse_trusted_proxy(s).unwrap())
            .collect();
        TrustedProxies::new(&nets)
    }

    fn headers(lines: &[&[u8]]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for line in lines {
            map.append(X_FORWARDED_FOR, HeaderValue::from_bytes(line).unwrap());
        }
        map
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn the_rightmost_untrusted_address_is_the_client() {
        let trusted = proxies(&["127.0.0.1", "10.0.0.0/8"]);
        let nginx = ip("127.0.0.1");
        // A forged leftmost entry, then the real client, then a trusted hop.
        let forged = headers(&[b"203.0.113.9, 198.51.100.7, 10.1.2.3"]);
        assert_eq!(trusted.client(nginx, &forged), ip("198.51.100.7"));
        // Several header lines are one list.
        let split = headers(&[b"203.0.113.9", b"198.51.100.7,10.1.2.3"]);
        assert_eq!(trusted.client(nginx, &split), ip("198.51.100.7"));
        // Only trusted hops: the leftmost is the client.
        let local = headers(&[b"10.0.0.5, 127.0.0.1"]);
        assert_eq!(trusted.client(nginx, &local), ip("10.0.0.5"));
        // No header: the peer.
        assert_eq!(trusted.client(nginx, &HeaderMap::new()), nginx);
        // IPv6 and IPv4-mapped addresses.
        let v6 = headers(&[b"2001:db8::1"]);
        assert_eq!(trusted.client(nginx, &v6), ip("2001:db8::1"));
        let mapped = headers(&[b"::ffff:198.51.100.7"]);
        assert_eq!(trusted.client(nginx, &mapped), ip("198.51.100.7"));
        assert_eq!(
            trusted.client(ip("::ffff:127.0.0.1"), &mapped),
            ip("198.51.100.7")
        );
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_sends() {
        let trusted = proxies(&["127.0.0.1"]);
        let peer = ip("198.51.100.7");
        let forged = headers(&[b"127.0.0.1, 203.0.113.9"]);
        assert_eq!(trusted.client(peer, &forged), peer);
        assert_eq!(TrustedProxies::default().client(peer, &forged), peer);
    }

    #[test]
    fn an_unreadable_or_padded_header_leaves_the_peer() {
        let trusted = proxies(&["127.0.0.0/8"]);
        let nginx = ip("127.0.0.1");
        for bad in [
            &b"not-an-address"[..],
            b"198.51.100.7:4711",
            b"[2001:db8::1]",
            b"198.51.100.7,",
            b"",
            b"198.51.100.\xff",
            b"unknown",
        ] {
            assert_eq!(
                trusted.client(nginx, &headers(&[bad])),
                nginx,
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
        // Garbage left of the client (a client's own header, appended to by nginx) is never read.
        let appended = headers(&[b"bogus, 198.51.100.7"]);
        assert_eq!(trusted.client(nginx, &appended), ip("198.51.100.7"));
        // Many trusted hops: given up after MAX_HOPS.
        let padded = vec!["127.0.0.2"; MAX_HOPS + 1].join(",");
        assert_eq!(trusted.client(nginx, &headers(&[padded.as_bytes()])), nginx);
        // Many forged addresses left of the client cost nothing: the walk stops at the client.
        let long = format!("{}, 198.51.100.7", vec!["203.0.113.1"; 1000].join(","));
        assert_eq!(
            trusted.client(nginx, &headers(&[long.as_bytes()])),
            ip("198.51.100.7")
        );
    }

    #[test]
    fn trusted_proxies_are_addresses_or_ranges() {
        assert_eq!(
            parse_trusted_proxy("127.0.0.1").unwrap(),
            "127.0.0.1/32".parse::<IpNet>().unwrap()
        );
        assert_eq!(
            parse_trusted_proxy("::1").unwrap(),
            "::1/128".parse::<IpNet>().unwrap()
        );
        assert!(proxies(&["10.0.0.0/8"]).trusts(ip("10.200.1.1")));
        assert!(!proxies(&["10.0.0.0/8"]).trusts(ip("11.0.0.1")));
        for bad in ["nginx", "10.0.0.0/33", "", "127.0.0.1:80"] {
            assert!(parse_trusted_proxy(bad).is_err(), "{bad}");
        }
    }
}
