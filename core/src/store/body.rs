//! Entity bodies as content.db keeps them (issue 23, docs/adr/0010-performance.md part 5).
//!
//! A body is the entity's JSON as the server sent it. Stored as a zstd frame (a BLOB) when that
//! is smaller, else as TEXT: the column's type says which, so rows written before compression
//! (TEXT) read as they always did and no migration rewrites them. A frame made with the event's
//! dictionary (`store::dictionary`, content v11) names it; one without reads as before. Every
//! read of a `body` column goes through [`StoredBody`]; every write through [`stored_as`].

use std::cell::RefCell;

use super::dictionary::{self, BodyDictionary};

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSqlOutput, ValueRef};

/// 36C3's session bodies (1.4 KB on average) to 59 % at level 1, 1.30x faster to compress than
/// level 3 for 0.5 % more bytes (`zstd -b -B1400`; ADR 0010 part 5): the apply time counts more.
const LEVEL: i32 = 1;

/// Shorter bodies are kept as text: a zstd frame's own header and block header (~10 bytes)
/// leave nothing to gain.
pub(super) const COMPRESS_FROM_BYTES: usize = 64;

/// A stored body never decodes to more than this (a damaged frame must not claim gigabytes).
const MAX_BODY_BYTES: usize = 16 << 20;

thread_local! {
    // One context per thread, reused: a new one per body would allocate its tables each time.
    static COMPRESSOR: RefCell<Option<zstd::bulk::Compressor<'static>>> =
        const { RefCell::new(None) };
    static DECOMPRESSOR: RefCell<Option<zstd::bulk::Decompressor<'static>>> =
        const { RefCell::new(None) };
    // The same, for frames made with a dictionary (given per call).
    static DICTIONARY_COMPRESSOR: RefCell<Option<zstd::zstd_safe::CCtx<'static>>> =
        const { RefCell::new(None) };
    static DICTIONARY_DECOMPRESSOR: RefCell<Option<zstd::zstd_safe::DCtx<'static>>> =
        const { RefCell::new(None) };
}

/// The zstd frame to store for `body` (with the event's `dictionary`, if it has one) when it is
/// smaller than the text; `None`: kept as text. Computed on the writer or beside it
/// (`store::frames`), always the same for one body and dictionary.
pub(crate) fn frame(body: &str, dictionary: Option<&BodyDictionary>) -> Option<Vec<u8>> {
    let bytes = body.as_bytes();
    let frame = match dictionary.and_then(BodyDictionary::encoder) {
        Some(encoder) => compress_with(bytes, encoder),
        None => compress(bytes),
    };
    frame.filter(|frame| frame.len() < body.len())
}

fn compress_with(bytes: &[u8], encoder: &zstd::zstd_safe::CDict<'_>) -> Option<Vec<u8>> {
    if bytes.len() < COMPRESS_FROM_BYTES {
        return None;
    }
    DICTIONARY_COMPRESSOR.with_borrow_mut(|slot| {
        if slot.is_none() {
            *slot = zstd::zstd_safe::CCtx::try_create();
        }
        let mut frame = Vec::with_capacity(zstd::zstd_safe::compress_bound(bytes.len()));
        // As without a dictionary: no context or a failed frame, and the body is kept as text.
        slot.as_mut()?
            .compress_using_cdict(&mut frame, bytes, encoder)
            .ok()?;
        Some(frame)
    })
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
    if let Some(id) = zstd::zstd_safe::get_dict_id_from_frame(frame) {
        let dictionary = dictionary::by_id(id.get()).ok_or_else(|| {
            format!(
                "a stored body was compressed with body dictionary {id}, which content.db \
                 did not hold when the store was opened"
            )
        })?;
        return DICTIONARY_DECOMPRESSOR.with_borrow_mut(|slot| {
            if slot.is_none() {
                *slot = zstd::zstd_safe::DCtx::try_create();
            }
            let context = slot.as_mut().ok_or("no zstd context")?;
            let mut text = Vec::with_capacity(size);
            context
                .decompress_using_ddict(&mut text, frame, dictionary.decoder())
                .map_err(|code| {
                    format!(
                        "a stored body's frame does not decode with body dictionary {id}: {}",
                        zstd::zstd_safe::get_error_name(code)
                    )
                })?;
            Ok(text)
        });
    }
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
            [stored_as(body, frame(body, None))],
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

    /// The event's dictionary makes smaller frames that read back exactly; a frame naming a
    /// dictionary this process does not hold is an error naming it.
    #[test]
    fn frames_made_with_the_events_dictionary_are_smaller_and_read_back() {
        let (conn, owned, dictionary) = crate::store::dictionary::tests::trained(600);
        let bodies: Vec<&str> = owned.iter().map(String::as_str).collect();
        let (mut alone, mut with) = (0, 0);
        for body in &bodies {
            alone += frame(body, None).unwrap().len();
            let made = frame(body, Some(&dictionary)).unwrap();
            with += made.len();
            let read: StoredBody = conn.query_row("SELECT ?1", [&made], |r| r.get(0)).unwrap();
            assert_eq!(read.0, *body);
        }
        assert!(with * 3 < alone * 2, "{with} against {alone}");

        // The same frame with another dictionary id in its header: no dictionary of this process
        // has it.
        let mut unknown = frame(bodies[0], Some(&dictionary)).unwrap();
        let id = zstd::zstd_safe::get_dict_id_from_frame(&unknown)
            .unwrap()
            .get();
        let at = unknown
            .windows(4)
            .position(|w| w == id.to_le_bytes())
            .unwrap();
        unknown[at..at + 4].copy_from_slice(&(id ^ 0x5a5a_0000).to_le_bytes());
        let error = conn
            .query_row("SELECT ?1", [&unknown], |r| r.get::<_, StoredBody>(0))
            .unwrap_err()
            .to_string();
        assert!(
            error.contains(&format!("body dictionary {}", id ^ 0x5a5a_0000)),
            "{error}"
        );
    }

    #[test]
    fn a_damaged_frame_is_an_error_not_a_panic() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let read = conn.query_row("SELECT x'28b52ffd00'", [], |r| r.get::<_, StoredBody>(0));
        assert!(read.is_err());
    }
}
