//! A request head read by the front: a poll it answers itself (a follower's long-poll, a device's
//! no-change poll, a change page, `head`), or anything else, which goes to hyper untouched.
//!
//! The front takes only what it can answer exactly as hyper would: an HTTP/1.1 `GET` of an
//! event's `head` or of a changes page (`front_serves`: answers bounded by a page, never a
//! stream), no body, no upgrade, no `Expect`, every header valid. Everything else, malformed
//! heads included, is hyper's (which answers 400 or 431 with its own checks), so the front adds
//! no parsing leniency of its own.

use axum::body::Body;
use axum::extract::Request;
use axum::http::header::{CONNECTION, CONTENT_LENGTH, EXPECT, TRANSFER_ENCODING, UPGRADE};
use axum::http::{HeaderName, HeaderValue, Method, Uri, Version};

use crate::http::paths::{changes_event, event_path};

/// What the bytes read so far hold.
pub enum Head {
    /// Not a whole head yet.
    Partial,
    /// A poll the front answers: the request, the head's length in bytes, and whether the
    /// client asked to close the connection after the answer.
    Poll {
        request: Box<Request>,
        len: usize,
        close: bool,
    },
    /// Anything else: hyper's.
    Other,
}

/// Headers parsed on the stack; a head with more (rare: a device sends five) is parsed again
/// with room for `max_headers`.
const USUAL_HEADERS: usize = 24;

/// Reads `buf` (the start of a request) with at most `max_headers` headers.
pub fn read(buf: &[u8], max_headers: usize) -> Head {
    let mut usual = [httparse::EMPTY_HEADER; USUAL_HEADERS];
    let room = max_headers.min(USUAL_HEADERS);
    match read_into(buf, &mut usual[..room]) {
        Err(httparse::Error::TooManyHeaders) if max_headers > USUAL_HEADERS => {
            read_into(buf, &mut vec![httparse::EMPTY_HEADER; max_headers]).unwrap_or(Head::Other)
        }
        read => read.unwrap_or(Head::Other),
    }
}

fn read_into<'b>(
    buf: &'b [u8],
    headers: &mut [httparse::Header<'b>],
) -> Result<Head, httparse::Error> {
    let mut parsed = httparse::Request::new(headers);
    Ok(match parsed.parse(buf)? {
        httparse::Status::Partial => Head::Partial,
        httparse::Status::Complete(len) => match poll(&parsed) {
            Some((request, close)) => Head::Poll {
                request: Box::new(request),
                len,
                close,
            },
            None => Head::Other,
        },
    })
}

/// Whether the front answers a `GET` of `path`: an event's `head` or a changes page (polls,
/// long-polls, the pages of a sync), whose answers are at most a page. Everything else (assets
/// by byte ranges, bundles, the console, the web programme) is hyper's.
pub fn front_serves(path: &str) -> bool {
    changes_event(path).is_some() || event_path(path).is_some_and(|(_, rest)| rest == "head")
}

/// The request, when `parsed` is a poll the front may answer.
fn poll(parsed: &httparse::Request<'_, '_>) -> Option<(Request, bool)> {
    if parsed.method != Some("GET") || parsed.version != Some(1) {
        return None;
    }
    let uri = Uri::try_from(parsed.path?).ok()?;
    if !front_serves(uri.path()) {
        return None;
    }
    let mut request = Request::new(Body::empty());
    *request.method_mut() = Method::GET;
    *request.uri_mut() = uri;
    *request.version_mut() = Version::HTTP_11;
    let mut close = false;
    for header in parsed.headers.iter() {
        let name = HeaderName::from_bytes(header.name.as_bytes()).ok()?;
        let value = HeaderValue::from_bytes(header.value).ok()?;
        if name == TRANSFER_ENCODING || name == UPGRADE || name == EXPECT {
            return None;
        }
        if name == CONTENT_LENGTH && value.as_bytes() != b"0" {
            return None;
        }
        if name == CONNECTION {
            let tokens = value.to_str().ok()?;
            close |= tokens
                .split(',')
                .any(|token| token.trim().eq_ignore_ascii_case("close"));
        }
        request.headers_mut().append(name, value);
    }
    Some((request, close))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const POLL: &str = "GET /v1/events/mp/changes/e1/3?wait=20&cursor=1 HTTP/1.1\r\nhost: x\r\nif-none-match: \"e1.3\"\r\n\r\n";

    fn poll_of(text: &str) -> Option<(Request, usize, bool)> {
        match read(text.as_bytes(), 64) {
            Head::Poll {
                request,
                len,
                close,
            } => Some((*request, len, close)),
            _ => None,
        }
    }

    #[test]
    fn a_followers_long_poll_is_read_with_its_headers_and_length() {
        let (request, len, close) = poll_of(&format!("{POLL}GET /next")).unwrap();
        assert_eq!(
            len,
            POLL.len(),
            "what follows the head is left for the next request"
        );
        assert!(!close);
        assert_eq!(request.method(), Method::GET);
        assert_eq!(request.uri().query(), Some("wait=20&cursor=1"));
        assert_eq!(request.headers()["if-none-match"], "\"e1.3\"");
        assert_eq!(request.version(), Version::HTTP_11);
    }

    #[test]
    fn connection_close_is_noticed() {
        let text = POLL.replace("host: x", "host: x\r\nConnection: keep-alive, Close");
        assert!(poll_of(&text).unwrap().2);
    }

    #[test]
    fn a_head_cut_short_is_partial() {
        for cut in [1, 10, POLL.len() - 1] {
            assert!(matches!(read(&POLL.as_bytes()[..cut], 64), Head::Partial));
        }
    }

    #[test]
    fn polls_pages_and_heads_are_the_fronts() {
        for path in [
            "/v1/events/mp/changes/e1/3",
            "/v1/events/mp/changes",
            "/v1/events/mp/changes/e1/0?snapshot=9",
            "/v1/events/mp/head",
        ] {
            let text = POLL.replace("/v1/events/mp/changes/e1/3?wait=20&cursor=1", path);
            let (request, len, _) = poll_of(&text).unwrap();
            assert_eq!(request.uri(), path);
            assert_eq!(len, text.len());
        }
        let many: String = (0..40).map(|n| format!("x-h{n}: {n}\r\n")).collect();
        let text = POLL.replace("host: x\r\n", &format!("host: x\r\n{many}"));
        let (request, _, _) = poll_of(&text).unwrap();
        assert_eq!(
            request.headers().len(),
            42,
            "more headers than the usual room"
        );
    }

    #[test]
    fn everything_but_a_plain_poll_is_left_to_hyper() {
        let others = [
            POLL.replace("GET", "POST"),
            POLL.replace("HTTP/1.1", "HTTP/1.0"),
            POLL.replace("/v1/events/mp/changes/e1/3", "/v1/events/mp/bundle"),
            POLL.replace("/v1/events/mp/changes/e1/3", "/v1/events/mp/changesx"),
            POLL.replace("/v1/events/mp/changes/e1/3", "/v1/assets/abc"),
            POLL.replace("/v1/events/mp/changes/e1/3", "/"),
            POLL.replace("host: x", "host: x\r\ncontent-length: 5"),
            POLL.replace("host: x", "host: x\r\ntransfer-encoding: chunked"),
            POLL.replace("host: x", "host: x\r\nupgrade: websocket"),
            POLL.replace("host: x", "host: x\r\nexpect: 100-continue"),
            POLL.replace("host: x", "host x"),
            POLL.replace("host: x", "host: x\r\nbad header: y"),
            "GARBAGE\r\n\r\n".to_string(),
        ];
        for other in others {
            assert!(
                matches!(read(other.as_bytes(), 64), Head::Other),
                "{other:?} is hyper's"
            );
        }
        assert!(
            matches!(read(POLL.as_bytes(), 1), Head::Other),
            "too many headers: hyper answers 431"
        );
        let empty_body = POLL.replace("host: x", "host: x\r\ncontent-length: 0");
        assert!(poll_of(&empty_body).is_some());
    }
}
