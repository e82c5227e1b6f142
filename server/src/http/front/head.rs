//! A request head read by the front: a follower's long-poll it answers itself, or anything else,
//! which goes to hyper untouched.
//!
//! The front takes only what it can answer exactly as hyper would: an HTTP/1.1 `GET` with a
//! `wait=` query (`long_poll::is_long_poll`), no body, no upgrade, no `Expect`, every header
//! valid. Everything else, malformed heads included, is hyper's (which answers 400 or 431 with
//! its own checks), so the front adds no parsing leniency of its own.

use axum::body::Body;
use axum::extract::Request;
use axum::http::header::{CONNECTION, CONTENT_LENGTH, EXPECT, TRANSFER_ENCODING, UPGRADE};
use axum::http::{HeaderName, HeaderValue, Method, Uri, Version};

use crate::http::long_poll::is_long_poll;

/// What the bytes read so far hold.
pub enum Head {
    /// Not a whole head yet.
    Partial,
    /// A long-poll the front answers: the request, the head's length in bytes, and whether the
    /// client asked to close the connection after the answer.
    LongPoll {
        request: Box<Request>,
        len: usize,
        close: bool,
    },
    /// Anything else: hyper's.
    Other,
}

/// Reads `buf` (the start of a request) with at most `max_headers` headers.
pub fn read(buf: &[u8], max_headers: usize) -> Head {
    let mut headers = vec![httparse::EMPTY_HEADER; max_headers];
    let mut parsed = httparse::Request::new(&mut headers);
    match parsed.parse(buf) {
        Ok(httparse::Status::Partial) => Head::Partial,
        Ok(httparse::Status::Complete(len)) => match long_poll(&parsed) {
            Some((request, close)) => Head::LongPoll {
                request: Box::new(request),
                len,
                close,
            },
            None => Head::Other,
        },
        Err(_) => Head::Other,
    }
}

/// The request, when `parsed` is a long-poll the front may answer.
fn long_poll(parsed: &httparse::Request<'_, '_>) -> Option<(Request, bool)> {
    if parsed.method != Some("GET") || parsed.version != Some(1) {
        return None;
    }
    let uri = Uri::try_from(parsed.path?).ok()?;
    if !is_long_poll(&uri) {
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

    fn long_poll_of(text: &str) -> Option<(Request, usize, bool)> {
        match read(text.as_bytes(), 64) {
            Head::LongPoll {
                request,
                len,
                close,
            } => Some((*request, len, close)),
            _ => None,
        }
    }

    #[test]
    fn a_followers_long_poll_is_read_with_its_headers_and_length() {
        let (request, len, close) = long_poll_of(&format!("{POLL}GET /next")).unwrap();
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
        assert!(long_poll_of(&text).unwrap().2);
    }

    #[test]
    fn a_head_cut_short_is_partial() {
        for cut in [1, 10, POLL.len() - 1] {
            assert!(matches!(read(&POLL.as_bytes()[..cut], 64), Head::Partial));
        }
    }

    #[test]
    fn everything_but_a_plain_long_poll_is_left_to_hyper() {
        let others = [
            POLL.replace("GET", "POST"),
            POLL.replace("HTTP/1.1", "HTTP/1.0"),
            POLL.replace("wait=20&", ""),
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
        assert!(long_poll_of(&empty_body).is_some());
    }
}
