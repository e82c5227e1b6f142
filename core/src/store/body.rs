//! Entity bodies as content.db keeps them (issue 23, docs/adr/0010-performance.md part 5).
//!
//! A body is the entity's JSON as the server sent it. Stored as a zstd frame (a BLOB) when that
//! is smaller, else as TEXT: the column's type says which, so rows written before compression
//! (TEXT) read as they always did and no migration rewrites them. Every read of a `body` column
//! goes through [`StoredBody`]; every write through [`stored_as`].

use std::cell::RefCell;

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSqlOutput, ValueRef};

/// 36C3's session bodies (1.4 KB on average) to 59 % at level 1, 1.30x faster to compress than
/// level 3 for 0.5 % more bytes (`zstd -b -B1400`; ADR 0010 part 5): the apply time counts more.
const LEVEL: i32 = 1;

/// Shorter bodies are kept as text: a zstd frame's own header and block header (~10 bytes)
/// leave nothing to gain.
const COMPRESS_FROM_BYTES: usize = 64;

/// A stored body never decodes to more than this (a damaged frame must not claim gigabytes).
const MAX_BODY_BYTES: usize = 16 << 20;

thread_local! {
    // One context per thread, reused: a new one per body would allocate its tables each time.
    static COMPRESSOR: RefCell<Option<zstd::bulk::Compressor<'static>>> =
        const { RefCell::new(None) };
    static DECOMPRESSOR: RefCell<Option<zstd::bulk::Decompressor<'static>>> =
        const { RefCell::new(None) };
}

/// The zstd frame to store for `body` when it is smaller than the text; `None`: kept as text.
/// Computed on the writer or beside it (`store::frames`), always the same for one body.
pub(crate) fn frame(body: &str) -> Option<Vec<u8>> {
    compress(body.as_bytes()).filter(|frame| frame.len() < body.len())
}

/// The value to store for `body`, given its [`frame`]: the frame, else the text itself.
pub(crate) fn stored_as(body: &str, frame: Option<Vec<u8>>) -> ToSqlOutput<'_> {
    frame.map_or(ToSqlOutput::from(body), ToSqlOutput::from)
}

fn compress(bytes: &[u8]) -> Option<Vec<u8>> {
    if bytes.len() < COMPRESS_FROM_BYTES {
        return None;
    }
    COMPRESSOR.with_borrow_mut(|slot| {
        if slot.is_none() {
            *slot = zstd::bulk::Compressor::new(LEVEL).ok();
        }
        // No context (out of memory) or a failed frame: the body is stored as text instead.
        slot.as_mut()?.compress(bytes).ok()
    })
}

/// A `body` column as read: the JSON text, whether it was stored as text or compressed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredBody(pub String);

impl FromSql for StoredBody {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let text = match value {
            ValueRef::Text(text) => text.to_vec(),
            ValueRef::Blob(frame) => decompress(frame).map_err(FromSqlError::Other)?,
            _ => return Err(FromSqlError::InvalidType),
        };
        String::from_utf8(text)
            .map(StoredBody)
            .map_err(|e| FromSqlError::Other(Box::new(e)))
    }
}

fn decompress(frame: &[u8]) -> Result<Vec<u8>, Box<dyn std::error::Error + Send + Sync>> {
    // Frames written by `frame` record their size; anything else is not a body of ours.
    let size = zstd::bulk::Decompressor::upper_bound(frame)
        .filter(|&size| size <= MAX_BODY_BYTES)
        .ok_or("a stored body's frame does not record a plausible size")?;
    DECOMPRESSOR.with_borrow_mut(|slot| {
        if slot.is_none() {
            *slot = Some(zstd::bulk::Decompressor::new()?);
        }
        match slot.as_mut() {
            Some(decompressor) => Ok(decompressor.decompress(frame, size)?),
            None => Err("no zstd context".into()),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(body: &str) -> (bool, String) {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (body TEXT NOT NULL)")
            .unwrap();
        conn.execute(
            "INSERT INTO t (body) VALUES (?1)",
            [stored_as(body, frame(body))],
        )
        .unwrap();
        let (is_blob, read): (bool, StoredBody) = conn
            .query_row("SELECT typeof(body) = 'blob', body FROM t", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        (is_blob, read.0)
    }

    #[test]
    fn a_long_body_is_stored_compressed_and_reads_back_exactly() {
        let body = format!(
            r#"{{"id":"s1","title":"Grüße","abstract":"{}"}}"#,
            "Ein Vortrag über Dinge. ".repeat(40)
        );
        let (compressed, read) = round_trip(&body);
        assert!(compressed);
        assert_eq!(read, body);
    }

    #[test]
    fn a_short_body_stays_text() {
        assert_eq!(
            round_trip(r#"{"id":"t1"}"#),
            (false, r#"{"id":"t1"}"#.into())
        );
    }

    #[test]
    fn text_stored_before_compression_reads_as_before() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let body = "x".repeat(500);
        let read: StoredBody = conn.query_row("SELECT ?1", [&body], |r| r.get(0)).unwrap();
        assert_eq!(read.0, body);
    }

    #[test]
    fn a_damaged_frame_is_an_error_not_a_panic() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let read = conn.query_row("SELECT x'28b52ffd00'", [], |r| r.get::<_, StoredBody>(0));
        assert!(read.is_err());
    }
}
