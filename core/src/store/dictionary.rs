//! One zstd dictionary per event for its entity bodies (issue 23, ADR 0010 part 12).
//!
//! A body compressed alone (`body::frame`) must spell out what nearly every body of the event
//! repeats: the field names, the ids of its rooms and tracks, the address of its links. A
//! dictionary holds those once: trained from the bodies of an event's first snapshot page, it
//! is stored with the event in content.db (`body_dictionary`, written in the transaction of the
//! first frames made with it) and every later body of the event is compressed against it.
//! 36C3's bodies take 1.24 → 0.82 MB.
//!
//! A frame names its dictionary by the id zstd writes into it, which zstd derives from the
//! dictionary's content. Frames are decoded where no connection is at hand (`StoredBody` is a
//! `FromSql`), so the dictionaries a process has seen are kept here by that id: [`load_all`]
//! when a store opens, [`for_first_page`] when one is made. A frame whose dictionary is not
//! known fails to read with an error that names it; it is never decoded with another.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};

use rusqlite::{Connection, OptionalExtension, params};
use zstd::dict::{DecoderDictionary, EncoderDictionary};

use crate::error::{Error, Result, SqliteContext};

/// The level the bodies are compressed at with a dictionary, as without one (`body::LEVEL`).
const LEVEL: i32 = 1;

/// The largest dictionary trained. 32 KiB against 16: 36C3's bodies 0.82 against 0.86 MB.
const MAX_DICTIONARY_BYTES: usize = 32 << 10;

/// At most this much of a page's bodies are sampled for training, spread over the page. The
/// training's time grows with it (128 KiB: about 25 ms, 512 KiB: about 60 ms) and gains little
/// beyond (36C3's bodies 0.84 against 0.81 MB).
const MAX_SAMPLE_BYTES: usize = 128 << 10;

/// A page with fewer bodies than this is no event's first bulk page (a small event, a delta):
/// its bodies are compressed as they are.
const MIN_TRAINING_BODIES: usize = 256;

/// Bodies shorter than this are stored as text (`body::COMPRESS_FROM_BYTES`): nothing to learn
/// from for the frames.
const MIN_SAMPLE_BYTES: usize = 64;

/// The bodies' dictionary of one event, ready for reading, and for writing once asked.
pub(crate) struct BodyDictionary {
    id: u32,
    bytes: Box<[u8]>,
    decoder: DecoderDictionary<'static>,
    /// Made at the first write: a process that only reads (an app opened to look at its
    /// programme) does not pay for the compressor's tables.
    encoder: OnceLock<Option<EncoderDictionary<'static>>>,
}

impl BodyDictionary {
    fn new(bytes: &[u8]) -> Option<BodyDictionary> {
        let id = zstd::zstd_safe::get_dict_id(bytes)?.get();
        Some(BodyDictionary {
            id,
            bytes: bytes.into(),
            decoder: DecoderDictionary::try_copy(bytes).ok()?,
            encoder: OnceLock::new(),
        })
    }

    /// `None` when zstd could not prepare it (out of memory): the bodies are then compressed
    /// without it.
    pub(crate) fn encoder(&self) -> Option<&zstd::zstd_safe::CDict<'static>> {
        self.encoder
            .get_or_init(|| EncoderDictionary::try_copy(&self.bytes, LEVEL).ok())
            .as_ref()
            .map(EncoderDictionary::as_cdict)
    }

    pub(crate) fn decoder(&self) -> &zstd::zstd_safe::DDict<'static> {
        self.decoder.as_ddict()
    }
}

impl std::fmt::Debug for BodyDictionary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "BodyDictionary({}, {} bytes)", self.id, self.bytes.len())
    }
}

/// Every dictionary this process has loaded or made, by id.
fn known() -> &'static RwLock<HashMap<u32, Arc<BodyDictionary>>> {
    static KNOWN: OnceLock<RwLock<HashMap<u32, Arc<BodyDictionary>>>> = OnceLock::new();
    KNOWN.get_or_init(Default::default)
}

/// The dictionary a frame names, if this process knows it.
pub(crate) fn by_id(id: u32) -> Option<Arc<BodyDictionary>> {
    // A poisoned lock only means a panic elsewhere while it was held: the map is still whole.
    let known = known()
        .read()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    known.get(&id).cloned()
}

/// Keeps `dictionary` (`what`, for the error), or the equal one already kept. Two different
/// dictionaries with one id are refused: a frame of one must never be decoded with the other.
fn keep(what: &str, dictionary: BodyDictionary) -> Result<Arc<BodyDictionary>> {
    let mut known = known()
        .write()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    match known.get(&dictionary.id) {
        Some(kept) if kept.bytes == dictionary.bytes => Ok(kept.clone()),
        Some(_) => Err(Error::Malformed {
            what: what.to_string(),
            message: format!(
                "another body dictionary this process holds has its id {}",
                dictionary.id
            ),
        }),
        None => {
            let kept = Arc::new(dictionary);
            known.insert(kept.id, kept.clone());
            Ok(kept)
        }
    }
}

/// Loads every dictionary content.db holds, so that the bodies compressed with them can be
/// read. A dictionary that zstd cannot load is damage: the bodies made with it are lost.
pub fn load_all(conn: &Connection) -> Result<()> {
    let mut stmt = conn
        .prepare_cached("SELECT event_id, dict_id, bytes FROM body_dictionary")
        .context("reading the body dictionaries")?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, Vec<u8>>(2)?,
            ))
        })
        .context("reading the body dictionaries")?;
    for row in rows {
        let (event_id, id, bytes) = row.context("reading a body dictionary")?;
        usable(conn, &event_id, id, &bytes)?;
    }
    Ok(())
}

/// The dictionary stored for `event_id` as the one with `id`, kept for the process.
fn usable(conn: &Connection, event_id: &str, id: i64, bytes: &[u8]) -> Result<Arc<BodyDictionary>> {
    let damaged = |why: String| Error::Corrupt {
        path: conn.path().unwrap_or_default().into(),
        message: format!("the body dictionary of event '{event_id}' {why}"),
    };
    let dictionary =
        BodyDictionary::new(bytes).ok_or_else(|| damaged("is not a zstd dictionary".into()))?;
    if i64::from(dictionary.id) != id {
        return Err(damaged(format!(
            "has the id {}, its row says {id}",
            dictionary.id
        )));
    }
    keep(
        &format!("the body dictionary of event '{event_id}'"),
        dictionary,
    )
}

/// The dictionary the bodies of `event_id` are compressed with, if it has one.
pub(crate) fn of_event(conn: &Connection, event_id: &str) -> Result<Option<Arc<BodyDictionary>>> {
    let id: Option<i64> = conn
        .prepare_cached("SELECT dict_id FROM body_dictionary WHERE event_id = ?1")
        .and_then(|mut s| s.query_row([event_id], |r| r.get(0)).optional())
        .context("looking up the event's body dictionary")?;
    let Some(id) = id else { return Ok(None) };
    if let Some(kept) = u32::try_from(id).ok().and_then(by_id) {
        return Ok(Some(kept));
    }
    let bytes: Vec<u8> = conn
        .prepare_cached("SELECT bytes FROM body_dictionary WHERE event_id = ?1")
        .and_then(|mut s| s.query_row([event_id], |r| r.get(0)))
        .context("reading the event's body dictionary")?;
    usable(conn, event_id, id, &bytes).map(Some)
}

/// The dictionary for a page of `event_id` with `bodies`: the event's own, or, when it has none
/// and this is the first page of a snapshot with enough bodies, one trained from them and
/// stored in this transaction. `None`: the bodies are compressed without one.
pub(crate) fn for_first_page(
    conn: &Connection,
    event_id: &str,
    bodies: &[&str],
) -> Result<Option<Arc<BodyDictionary>>> {
    if let Some(existing) = of_event(conn, event_id)? {
        return Ok(Some(existing));
    }
    let Some(bytes) = train(bodies) else {
        return Ok(None);
    };
    let Some(dictionary) = BodyDictionary::new(&bytes) else {
        return Ok(None);
    };
    conn.prepare_cached(
        "INSERT INTO body_dictionary (event_id, dict_id, bytes) VALUES (?1, ?2, ?3)",
    )
    .and_then(|mut s| s.execute(params![event_id, dictionary.id, bytes]))
    .context("saving the event's body dictionary")?;
    keep("a body dictionary trained now", dictionary).map(Some)
}

/// A dictionary trained from a sample of `bodies` spread over them, or `None` when there are too
/// few to learn from (zstd then refuses to train: the bodies are stored as before).
fn train(bodies: &[&str]) -> Option<Vec<u8>> {
    let eligible: Vec<&[u8]> = bodies
        .iter()
        .map(|b| b.as_bytes())
        .filter(|b| b.len() >= MIN_SAMPLE_BYTES)
        .collect();
    if eligible.len() < MIN_TRAINING_BODIES {
        return None;
    }
    let total: usize = eligible.iter().map(|b| b.len()).sum();
    let step = total.div_ceil(MAX_SAMPLE_BYTES).max(1);
    let mut sample = Vec::with_capacity(MAX_SAMPLE_BYTES.min(total) + 4096);
    let mut sizes = Vec::new();
    for body in eligible.iter().step_by(step) {
        if sample.len() + body.len() > MAX_SAMPLE_BYTES {
            break;
        }
        sample.extend_from_slice(body);
        sizes.push(body.len());
    }
    zstd::dict::from_continuous(&sample, &sizes, MAX_DICTIONARY_BYTES).ok()
}

#[cfg(test)]
pub(crate) mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// Bodies shaped like a programme's: shared field names, a few rooms, varied text.
    pub(crate) fn programme_bodies(count: usize) -> Vec<String> {
        (0..count)
            .map(|n| {
                format!(
                    r#"{{"id":"5e{n:06}-0b1c-4e2a-9d3f-a1b2c3d4e5f6","kind":"talk","title":"Vortrag {n}","abstract":"Über Verwaltung {m} und Digitalisierung","start":"2026-10-24T{h:02}:00:00Z","location_id":"room-{r}-7f3e2d1c","track_id":"track-{t}-0a9b8c7d","links":[{{"url":"https://example.org/programme/events/{n}.html"}}]}}"#,
                    m = n * 7919 % 1000,
                    h = 8 + n % 10,
                    r = n % 12,
                    t = n % 5,
                )
            })
            .collect()
    }

    fn store_conn() -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::store::schema::migrate(&mut conn, &crate::store::schema::CONTENT).unwrap();
        conn
    }

    /// A content.db in memory whose event `e` has the dictionary trained from `count`
    /// [`programme_bodies`], with the bodies.
    pub(crate) fn trained(count: usize) -> (Connection, Vec<String>, Arc<BodyDictionary>) {
        let conn = store_conn();
        let owned = programme_bodies(count);
        let bodies: Vec<&str> = owned.iter().map(String::as_str).collect();
        let made = for_first_page(&conn, "e", &bodies).unwrap().unwrap();
        (conn, owned, made)
    }

    #[test]
    fn a_first_page_trains_a_dictionary_that_is_stored_and_found_again() {
        let (conn, owned, made) = trained(600);
        let bodies: Vec<&str> = owned.iter().map(String::as_str).collect();
        assert!(made.bytes.len() <= MAX_DICTIONARY_BYTES);
        // The event's next pages find it by its row, and the process by its id.
        let again = for_first_page(&conn, "e", &bodies[..3]).unwrap().unwrap();
        assert!(Arc::ptr_eq(&made, &again));
        assert!(Arc::ptr_eq(&by_id(made.id).unwrap(), &made));
        let rows: i64 = conn
            .query_row("SELECT count(*) FROM body_dictionary", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 1);
    }

    #[test]
    fn a_page_of_few_bodies_trains_none() {
        let conn = store_conn();
        let owned = programme_bodies(MIN_TRAINING_BODIES - 1);
        let bodies: Vec<&str> = owned.iter().map(String::as_str).collect();
        assert!(for_first_page(&conn, "e", &bodies).unwrap().is_none());
        assert!(of_event(&conn, "e").unwrap().is_none());
    }

    #[test]
    fn a_damaged_dictionary_is_damage_named_by_its_event() {
        let conn = store_conn();
        conn.execute(
            "INSERT INTO body_dictionary (event_id, dict_id, bytes) VALUES ('e', 40000, x'37a430ec00')",
            [],
        )
        .unwrap();
        for error in [
            load_all(&conn).unwrap_err(),
            of_event(&conn, "e").unwrap_err(),
        ] {
            assert!(matches!(error, Error::Corrupt { .. }), "{error:?}");
            assert!(error.to_string().contains("event 'e'"), "{error}");
        }
    }

    #[test]
    fn a_row_whose_id_is_not_its_dictionarys_is_damage() {
        let (conn, _, made) = trained(400);
        conn.execute(
            "INSERT INTO body_dictionary (event_id, dict_id, bytes) VALUES ('f', ?1, ?2)",
            params![i64::from(made.id) + 1, made.bytes.to_vec()],
        )
        .unwrap();
        let error = of_event(&conn, "f").unwrap_err();
        assert!(error.to_string().contains("its row says"), "{error}");
    }

    #[test]
    fn a_different_dictionary_under_a_kept_id_is_refused() {
        let owned = programme_bodies(400);
        let bodies: Vec<&str> = owned.iter().map(String::as_str).collect();
        let bytes = train(&bodies).unwrap();
        let kept = keep("a", BodyDictionary::new(&bytes).unwrap()).unwrap();
        // The same bytes again: the same dictionary.
        assert!(Arc::ptr_eq(
            &keep("a", BodyDictionary::new(&bytes).unwrap()).unwrap(),
            &kept
        ));
        // Other content written under the same id (zstd keeps the id in bytes 4..8).
        let mut other = bytes.clone();
        let last = other.len() - 1;
        other[last] ^= 0x55;
        let forged = BodyDictionary::new(&other).unwrap();
        assert_eq!(forged.id, kept.id);
        let error = keep("the forged one", forged).unwrap_err();
        assert!(matches!(error, Error::Malformed { .. }), "{error:?}");
        assert!(error.to_string().contains("the forged one"), "{error}");
    }
}
