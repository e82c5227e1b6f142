//! A response written as HTTP/1.1 by the front: the stack's status, headers and body, with the
//! framing hyper would add (`content-length`, `date`, `connection: close` when closing).

use std::cell::RefCell;
use std::io;

use axum::http::header::{CONNECTION, CONTENT_LENGTH, DATE, TRANSFER_ENCODING};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use chrono::Utc;
use tokio::io::{AsyncWrite, AsyncWriteExt};

use marktplatz_model::wire::MAX_PAGE_BYTES;

/// Most bytes of a body the front sends: a change page at its largest, with room for its
/// envelope. The stack never makes a larger answer to a long-poll; one would be a fault, and
/// the connection is closed rather than the body sent half.
pub const MAX_BODY_BYTES: usize = 2 * MAX_PAGE_BYTES;

/// Bodies up to this size go out in the head's write (one segment for a 304 or a small page).
const JOINED_BODY_BYTES: usize = 16 * 1024;

/// Room for a head as the stack makes it (a page's has about ten headers).
const HEAD_BYTES: usize = 512;

/// Writes `response` to `io` as the answer to a `method` request; `close` adds
/// `connection: close` (the connection ends after it).
pub async fn write(
    io: &mut (impl AsyncWrite + Unpin),
    response: Response,
    method: &Method,
    close: bool,
) -> io::Result<()> {
    let (parts, body) = response.into_parts();
    let body = axum::body::to_bytes(body, MAX_BODY_BYTES)
        .await
        .map_err(io::Error::other)?;
    let bodiless = parts.status.is_informational()
        || parts.status == StatusCode::NO_CONTENT
        || parts.status == StatusCode::NOT_MODIFIED;
    let send_body = !bodiless && method != Method::HEAD && !body.is_empty();
    let joined = send_body && body.len() <= JOINED_BODY_BYTES;
    // Room for the body only when it goes in the same write: a larger body is written from the
    // shared `Bytes` it came in (the page cache's, one for every connection), and this buffer
    // is freed before that (10,000 connections writing a page each held 16 KiB of it apiece).
    let mut head = Vec::with_capacity(HEAD_BYTES + if joined { body.len() } else { 0 });
    head.extend_from_slice(b"HTTP/1.1 ");
    head.extend_from_slice(parts.status.as_str().as_bytes());
    head.push(b' ');
    head.extend_from_slice(
        parts
            .status
            .canonical_reason()
            .unwrap_or_default()
            .as_bytes(),
    );
    head.extend_from_slice(b"\r\n");
    for (name, value) in &parts.headers {
        // The framing is the front's to say.
        if name == CONTENT_LENGTH || name == TRANSFER_ENCODING || name == CONNECTION {
            continue;
        }
        line(&mut head, name.as_str().as_bytes(), value.as_bytes());
    }
    if !parts.headers.contains_key(DATE) {
        http_date(|now| line(&mut head, b"date", now));
    }
    if !bodiless {
        line(
            &mut head,
            b"content-length",
            body.len().to_string().as_bytes(),
        );
    }
    if close {
        line(&mut head, b"connection", b"close");
    }
    head.extend_from_slice(b"\r\n");
    drop(parts);
    if joined {
        head.extend_from_slice(&body);
        io.write_all(&head).await?;
    } else {
        io.write_all(&head).await?;
        drop(head);
        if send_body {
            io.write_all(&body).await?;
        }
    }
    io.flush().await
}

/// Calls `with` on the current `Date` value, formatted once a second per thread (as hyper
/// does: formatting it for every 304 was a measurable share of one).
fn http_date(with: impl FnOnce(&[u8])) {
    thread_local! {
        static FORMATTED: RefCell<(i64, String)> = const { RefCell::new((i64::MIN, String::new())) };
    }
    let now = Utc::now();
    FORMATTED.with_borrow_mut(|(second, text)| {
        if *second != now.timestamp() {
            *second = now.timestamp();
            *text = now.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
        }
        with(text.as_bytes());
    });
}

fn line(head: &mut Vec<u8>, name: &[u8], value: &[u8]) {
    head.extend_from_slice(name);
    head.extend_from_slice(b": ");
    head.extend_from_slice(value);
    head.extend_from_slice(b"\r\n");
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use axum::body::Body;

    use super::*;

    async fn written(response: Response, close: bool) -> String {
        let mut out = Vec::new();
        write(&mut out, response, &Method::GET, close)
            .await
            .unwrap();
        String::from_utf8(out).unwrap()
    }

    #[tokio::test]
    async fn a_page_is_framed_by_its_length_and_keeps_the_stacks_headers() {
        let response = Response::builder()
            .status(200)
            .header("content-type", "application/json")
            .header("transfer-encoding", "chunked")
            .body(Body::from("{\"a\":1}"))
            .unwrap();
        let text = written(response, false).await;
        assert!(text.starts_with("HTTP/1.1 200 OK\r\n"), "{text}");
        assert!(text.contains("\r\ncontent-type: application/json\r\n"));
        assert!(text.contains("\r\ncontent-length: 7\r\n"));
        assert!(text.contains("\r\ndate: "));
        assert!(!text.contains("transfer-encoding"));
        assert!(!text.contains("connection"));
        assert!(text.ends_with("\r\n\r\n{\"a\":1}"));
    }

    #[tokio::test]
    async fn a_304_has_no_body_and_closing_is_said() {
        let response = Response::builder()
            .status(304)
            .header("etag", "\"e1.3\"")
            .body(Body::empty())
            .unwrap();
        let text = written(response, true).await;
        assert!(text.starts_with("HTTP/1.1 304 Not Modified\r\n"));
        assert!(text.contains("\r\netag: \"e1.3\"\r\n"));
        assert!(!text.contains("content-length"));
        assert!(text.ends_with("connection: close\r\n\r\n"));
    }

    #[tokio::test]
    async fn a_large_body_follows_its_head_whole() {
        let body = "x".repeat(JOINED_BODY_BYTES * 3);
        let response = Response::new(Body::from(body.clone()));
        let text = written(response, false).await;
        let (head, sent) = text.split_once("\r\n\r\n").unwrap();
        assert!(head.contains(&format!("content-length: {}", body.len())));
        assert_eq!(sent, body);
    }
}
