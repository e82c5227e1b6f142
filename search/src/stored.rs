//! A [`Snapshot`] as bytes, for a file beside the index it was built from: the device writes one
//! when its content changed, and the first search of a freshly started process reads it back
//! instead of rebuilding it from the database (`docs/adr/0022-persisted-search-snapshot.md`).
//!
//! Reading it back is one pass over flat sections (no parsing of text, no tokenizing, no
//! lookups): what the rebuild spends its time on is done once, when the content changes.
//!
//! Layout, little-endian:
//!
//! ```text
//! header  magic "MPSEARCH", format u32, key length u32, body length u64, then the key: what
//!         the snapshot was built from (the caller's content key; a snapshot is only ever read
//!         back for the same key)
//! body    counts (u32 each): terms, documents, events, then the byte lengths of the
//!         vocabulary, the document counts, the words and the strings
//!         the vocabulary, sorted, front-coded: per term the length of the prefix it shares
//!         with the term before (u8), the rest of it, a NUL
//!         each term's document count (LEB128: nearly all are one byte)
//!         events: (offset, length) of each event id in the strings
//!         documents: one fixed record of RECORD_BYTES each (see `write_doc`)
//!         words: every document's word ids (LEB128), document after document
//!         strings: entity ids, and event, track and location ids each stored once
//! trailer CRC-32 u32 of everything before it (last, so the file is written in one pass)
//! ```
//!
//! Any file that is not exactly what [`encode`] wrote for this key is refused with a
//! [`StoredSnapshotError`] (wrong magic or format, another key, truncated or extended, checksum,
//! and every count, offset, id and string checked against its bounds), so the caller rebuilds:
//! a bad file costs the time of a rebuild, never a panic or a wrong hit.

use std::collections::HashMap;
use std::io::Write;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use marktplatz_model::model::EntityKind;

use crate::snapshot::{DocMeta, Snapshot};
use crate::vocab::Vocabulary;

const MAGIC: [u8; 8] = *b"MPSEARCH";
/// Bumped whenever the layout or what is derived from the content (the tokenizer, the word
/// ids of a document) changes: an older file is then refused and rebuilt.
pub const FORMAT_VERSION: u32 = 1;
const HEADER_BYTES: usize = 8 + 4 + 4 + 8;
const TRAILER_BYTES: usize = 4;
const COUNTS: usize = 7;
/// A term shares at most this many bytes with the one before it in the front-coded vocabulary.
const MAX_SHARED: usize = u8::MAX as usize;
/// The vocabulary's text is at most this many times its front-coded bytes (real ones: about
/// twice).
const MAX_EXPANSION: usize = 16;
/// rowid, start, end (i64); day, event, title chars, word count (u32); two splits (u16); kind,
/// flags (u8); two bytes of padding; id, track and location as (offset, length) u32 pairs.
const RECORD_BYTES: usize = 3 * 8 + 4 * 4 + 2 * 2 + 2 + 2 + 3 * 2 * 4;
/// FTS rowids are dense (one per indexed entity, reused as entities are replaced); a rowid far
/// beyond the document count would make the rowid table huge, so such a file is refused.
const MAX_ROWID_PER_DOC: i64 = 16;
const MAX_ROWID_SLACK: i64 = 1 << 16;

const HAS_START: u8 = 1;
const HAS_END: u8 = 2;
const HAS_DAY: u8 = 4;
const HAS_TRACK: u8 = 8;
const HAS_LOCATION: u8 = 16;

/// Why a persisted snapshot was not used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoredSnapshotError {
    #[error("not a search snapshot (its first bytes are not the format's magic)")]
    NotASnapshot,
    #[error("search snapshot format {found}, this build reads format {expected}")]
    Format { found: u32, expected: u32 },
    #[error("the search snapshot was built from other content than the index holds now")]
    Stale,
    #[error("the search snapshot is {found} bytes long, its header says {expected}")]
    Length { found: u64, expected: u64 },
    #[error("the search snapshot's checksum does not match its contents")]
    Checksum,
    #[error("the search snapshot is malformed: {0}")]
    Malformed(&'static str),
    #[error("the search snapshot is too large for its format ({0} over 4 GiB)")]
    TooLarge(&'static str),
}

type Result<T> = std::result::Result<T, StoredSnapshotError>;

/// The bytes of `snapshot`, to be read back by [`decode`] with the same `key`.
pub fn encode(snapshot: &Snapshot, key: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    write(snapshot, key, &mut bytes)?;
    Ok(bytes)
}

/// Writes the bytes of `snapshot` to `out`, to be read back by [`decode`] with the same `key`.
/// Streams: beside `out`'s buffer it holds only the distinct event, track and location ids (the
/// warm-up after a sync writes it, and the sync's peak memory has a target).
pub fn write(snapshot: &Snapshot, key: &[u8], out: impl Write) -> std::io::Result<()> {
    let (_, _, doc_counts) = snapshot.vocabulary.parts();
    let docs = snapshot.docs();
    let vocabulary_len = front_coded(snapshot, |_| Ok(()))?;
    let doc_counts_len: usize = doc_counts.iter().map(|&n| leb128_len(n)).sum();
    let words_len: usize = docs
        .iter()
        .flat_map(|d| d.all_words())
        .map(|&w| leb128_len(w))
        .sum();
    // Where each string goes is decided the same way in every pass (events first, then each
    // document's id, track and location in order; shared ids once).
    let strings_len = {
        let mut strings = Strings::default();
        strings.place_all(snapshot, |_, _| Ok(()))?;
        strings.len
    };
    let counts = [
        snapshot.vocabulary.len(),
        docs.len(),
        snapshot.events().len(),
        vocabulary_len,
        doc_counts_len,
        words_len,
        strings_len as usize,
    ];
    let body_len = COUNTS * 4
        + vocabulary_len
        + doc_counts_len
        + counts[2] * 8
        + docs.len() * RECORD_BYTES
        + words_len
        + counts[6];
    let mut out = Checksummed {
        out,
        crc: crc32fast::Hasher::new(),
    };
    out.put(&MAGIC)?;
    out.put(&FORMAT_VERSION.to_le_bytes())?;
    out.put(&to_u32(key.len(), "the key")?.to_le_bytes())?;
    out.put(&(body_len as u64).to_le_bytes())?;
    out.put(key)?;
    for count in counts {
        out.put(&to_u32(count, "a count")?.to_le_bytes())?;
    }
    front_coded(snapshot, |bytes| out.put(bytes))?;
    for &count in doc_counts {
        out.put_leb128(count)?;
    }
    let mut strings = Strings::default();
    for event in snapshot.events() {
        let (offset, len) = strings.place(event, true)?;
        out.put_u32s(&[offset, len])?;
    }
    for doc in docs {
        write_doc(&mut out, doc, &mut strings)?;
    }
    for &word in docs.iter().flat_map(|d| d.all_words()) {
        out.put_leb128(word)?;
    }
    Strings::default().place_all(
        snapshot,
        |s, new| if new { out.put(s.as_bytes()) } else { Ok(()) },
    )?;
    let Checksummed { mut out, crc } = out;
    out.write_all(&crc.finalize().to_le_bytes())
}

/// The key a file was written with, without reading the rest (to tell a stale file from a
/// damaged one).
pub fn key_of(bytes: &[u8]) -> Result<&[u8]> {
    let mut header = Reader::new(bytes);
    if header.take(8)? != MAGIC {
        return Err(StoredSnapshotError::NotASnapshot);
    }
    let format = header.u32()?;
    if format != FORMAT_VERSION {
        return Err(StoredSnapshotError::Format {
            found: format,
            expected: FORMAT_VERSION,
        });
    }
    let key_len = header.u32()? as usize;
    header.take(8)?;
    header.take(key_len)
}

/// The snapshot `bytes` hold, if they are what [`encode`] wrote for `key` (see the module's
/// documentation for what is checked).
pub fn decode(bytes: &[u8], key: &[u8]) -> Result<Snapshot> {
    if key_of(bytes)? != key {
        return Err(StoredSnapshotError::Stale);
    }
    let mut header = Reader::new(bytes);
    // The body's length is the header's last field.
    header.take(HEADER_BYTES - 8)?;
    let body_len = header.u64()?;
    header.take(key.len())?;
    let expected = (header.at as u64)
        .saturating_add(body_len)
        .saturating_add(TRAILER_BYTES as u64);
    if bytes.len() as u64 != expected {
        return Err(StoredSnapshotError::Length {
            found: bytes.len() as u64,
            expected,
        });
    }
    let (checked, trailer) = bytes.split_at(bytes.len() - TRAILER_BYTES);
    let stored: [u8; TRAILER_BYTES] = trailer.try_into().map_err(|_| OVERFLOW)?;
    if crc32fast::hash(checked) != u32::from_le_bytes(stored) {
        return Err(StoredSnapshotError::Checksum);
    }
    read_body(&checked[header.at..])
}

fn read_body(body: &[u8]) -> Result<Snapshot> {
    let mut r = Reader::new(body);
    let mut counts = [0usize; COUNTS];
    for count in &mut counts {
        *count = r.u32()? as usize;
    }
    let [
        terms,
        doc_count,
        event_count,
        vocabulary_len,
        doc_counts_len,
        words_len,
        strings_len,
    ] = counts;
    let (haystack, offsets) = front_decoded(r.take(vocabulary_len)?, terms)?;
    let doc_counts = leb128s(r.take(doc_counts_len)?, terms)?;
    let vocabulary = Vocabulary::from_ascending_parts(haystack, offsets, doc_counts)
        .ok_or(StoredSnapshotError::Malformed("the vocabulary's layout"))?;
    let event_spans = r.u32s(event_count.checked_mul(2).ok_or(OVERFLOW)?)?;
    let records = r.take(doc_count.checked_mul(RECORD_BYTES).ok_or(OVERFLOW)?)?;
    // Every word is at least one byte: a count beyond the bytes is refused before allocating.
    let words_bytes = r.take(words_len)?;
    let mut words = Leb128 { bytes: words_bytes };
    let strings = utf8(r.take(strings_len)?, "the strings are not UTF-8")?;
    if r.at != body.len() {
        return Err(StoredSnapshotError::Malformed(
            "bytes after the last section",
        ));
    }
    let string = |offset: u32, len: u32| -> Result<&str> {
        let start = offset as usize;
        let end = start.checked_add(len as usize).ok_or(OVERFLOW)?;
        strings
            .get(start..end)
            .ok_or(StoredSnapshotError::Malformed(
                "a string outside the strings",
            ))
    };
    let events = event_spans
        .chunks_exact(2)
        .map(|span| string(span[0], span[1]).map(str::to_string))
        .collect::<Result<Vec<String>>>()?;
    let max_rowid = (doc_count as i64)
        .saturating_mul(MAX_ROWID_PER_DOC)
        .saturating_add(MAX_ROWID_SLACK);
    let mut metas = Vec::with_capacity(doc_count);
    let terms_u32 = u32::try_from(vocabulary.len()).map_err(|_| OVERFLOW)?;
    let mut shared = IdsAt::default();
    for record in records.chunks_exact(RECORD_BYTES) {
        let mut f = Reader::new(record);
        let rowid = f.i64()?;
        let start = f.i64()?;
        let end = f.i64()?;
        let day = f.u32()? as i32;
        let event = f.u32()?;
        let title_chars = f.u32()?;
        let len = f.u32()? as usize;
        let splits = [f.u16()?, f.u16()?];
        let kind = *f.take(1)?.first().ok_or(OVERFLOW)?;
        let flags = *f.take(1)?.first().ok_or(OVERFLOW)?;
        f.take(2)?;
        let id = string(f.u32()?, f.u32()?)?.to_string();
        let (track_at, track_len) = (f.u32()?, f.u32()?);
        let (location_at, location_len) = (f.u32()?, f.u32()?);
        if !(0..=max_rowid).contains(&rowid) {
            return Err(StoredSnapshotError::Malformed("a rowid out of range"));
        }
        if event as usize >= events.len() {
            return Err(StoredSnapshotError::Malformed("a document of no event"));
        }
        let kind = EntityKind::ALL
            .get(usize::from(kind))
            .copied()
            .ok_or(StoredSnapshotError::Malformed("an unknown entity kind"))?;
        if len > words.bytes.len() {
            return Err(StoredSnapshotError::Malformed("words past the word list"));
        }
        // Sized once: collecting `Result`s grew each document's words by doubling, which made
        // the whole read three times slower at 20,000 documents.
        let mut doc_words = Vec::with_capacity(len);
        for _ in 0..len {
            match words.next() {
                Some(word) if word < terms_u32 => doc_words.push(word),
                _ => {
                    return Err(StoredSnapshotError::Malformed(
                        "a word outside the vocabulary",
                    ));
                }
            }
        }
        let doc_words = doc_words.into_boxed_slice();
        if splits[0] > splits[1] || usize::from(splits[1]) > len {
            return Err(StoredSnapshotError::Malformed("a field split out of range"));
        }
        let day = if flags & HAS_DAY != 0 {
            Some(
                NaiveDate::from_num_days_from_ce_opt(day)
                    .ok_or(StoredSnapshotError::Malformed("a day out of range"))?,
            )
        } else {
            None
        };
        let mut optional = |flag: u8, at: u32, len: u32| -> Result<Option<Arc<str>>> {
            (flags & flag != 0)
                .then(|| shared.get(at, len, string))
                .transpose()
        };
        let track_id = optional(HAS_TRACK, track_at, track_len)?;
        let location_id = optional(HAS_LOCATION, location_at, location_len)?;
        metas.push(DocMeta {
            rowid,
            event,
            kind,
            id,
            start: (flags & HAS_START != 0).then_some(start),
            end: (flags & HAS_END != 0).then_some(end),
            day,
            track_id,
            location_id,
            title_chars,
            words: doc_words,
            splits,
        });
    }
    if !words.bytes.is_empty() {
        return Err(StoredSnapshotError::Malformed("words no document holds"));
    }
    Ok(Snapshot::assemble(vocabulary, metas, events))
}

/// One shared string per track and location id, found by where the file holds it (the writer
/// places each shared id once): no hashing of the id's text for every document, which took a
/// tenth of a 20,000-entity snapshot's read. Few distinct ids, so an ordered map.
#[derive(Default)]
struct IdsAt(std::collections::BTreeMap<(u32, u32), Arc<str>>);

impl IdsAt {
    fn get<'s>(
        &mut self,
        at: u32,
        len: u32,
        string: impl Fn(u32, u32) -> Result<&'s str>,
    ) -> Result<Arc<str>> {
        if let Some(shared) = self.0.get(&(at, len)) {
            return Ok(shared.clone());
        }
        let shared: Arc<str> = Arc::from(string(at, len)?);
        self.0.insert((at, len), shared.clone());
        Ok(shared)
    }
}

fn write_doc<'a, W: Write>(
    out: &mut Checksummed<W>,
    doc: &'a DocMeta,
    strings: &mut Strings<'a>,
) -> std::io::Result<()> {
    let mut flags = 0u8;
    let mut flag = |present: bool, bit: u8| {
        if present {
            flags |= bit;
        }
    };
    flag(doc.start.is_some(), HAS_START);
    flag(doc.end.is_some(), HAS_END);
    flag(doc.day.is_some(), HAS_DAY);
    flag(doc.track_id.is_some(), HAS_TRACK);
    flag(doc.location_id.is_some(), HAS_LOCATION);
    let kind = EntityKind::ALL
        .iter()
        .position(|k| *k == doc.kind)
        .unwrap_or_default() as u8;
    let [id, track, location] = strings.place_doc(doc)?;
    let mut record = [0u8; RECORD_BYTES];
    let mut at = 0;
    let mut put = |bytes: &[u8]| {
        record[at..at + bytes.len()].copy_from_slice(bytes);
        at += bytes.len();
    };
    put(&doc.rowid.to_le_bytes());
    put(&doc.start.unwrap_or_default().to_le_bytes());
    put(&doc.end.unwrap_or_default().to_le_bytes());
    put(&(doc.day.map_or(0, |d| d.num_days_from_ce()) as u32).to_le_bytes());
    put(&doc.event.to_le_bytes());
    put(&doc.title_chars.to_le_bytes());
    put(&to_u32(doc.all_words().len(), "a document's words")?.to_le_bytes());
    put(&doc.splits[0].to_le_bytes());
    put(&doc.splits[1].to_le_bytes());
    put(&[kind, flags, 0, 0]);
    for (offset, len) in [id, track, location] {
        put(&offset.to_le_bytes());
        put(&len.to_le_bytes());
    }
    out.put(&record)
}

/// Places strings in the strings section: a document's id where it comes, ids many documents
/// share (events, tracks, locations) once.
#[derive(Default)]
struct Strings<'a> {
    len: u32,
    shared: HashMap<&'a str, (u32, u32)>,
}

impl<'a> Strings<'a> {
    /// Where `s` goes; `placed` is told of each string in order, and whether it is new there.
    fn place(&mut self, s: &'a str, shared: bool) -> std::io::Result<(u32, u32)> {
        self.place_with(s, shared, &mut |_, _| Ok(()))
    }

    fn place_with(
        &mut self,
        s: &'a str,
        shared: bool,
        placed: &mut impl FnMut(&str, bool) -> std::io::Result<()>,
    ) -> std::io::Result<(u32, u32)> {
        if shared && let Some(&span) = self.shared.get(s) {
            placed(s, false)?;
            return Ok(span);
        }
        let span = (self.len, to_u32(s.len(), "a string")?);
        self.len = self
            .len
            .checked_add(span.1)
            .ok_or_else(|| too_large("the strings"))?;
        if shared {
            self.shared.insert(s, span);
        }
        placed(s, true)?;
        Ok(span)
    }

    fn place_doc(&mut self, doc: &'a DocMeta) -> std::io::Result<[(u32, u32); 3]> {
        self.place_doc_with(doc, &mut |_, _| Ok(()))
    }

    fn place_doc_with(
        &mut self,
        doc: &'a DocMeta,
        placed: &mut impl FnMut(&str, bool) -> std::io::Result<()>,
    ) -> std::io::Result<[(u32, u32); 3]> {
        Ok([
            self.place_with(&doc.id, false, placed)?,
            self.place_with(doc.track_id.as_deref().unwrap_or_default(), true, placed)?,
            self.place_with(doc.location_id.as_deref().unwrap_or_default(), true, placed)?,
        ])
    }

    /// Every string of `snapshot` in the section's order.
    fn place_all(
        &mut self,
        snapshot: &'a Snapshot,
        mut placed: impl FnMut(&str, bool) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        for event in snapshot.events() {
            self.place_with(event, true, &mut placed)?;
        }
        for doc in snapshot.docs() {
            self.place_doc_with(doc, &mut placed)?;
        }
        Ok(())
    }
}

/// A writer that keeps the CRC-32 of what went through it.
struct Checksummed<W> {
    out: W,
    crc: crc32fast::Hasher,
}

impl<W: Write> Checksummed<W> {
    fn put(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.crc.update(bytes);
        self.out.write_all(bytes)
    }

    fn put_leb128(&mut self, mut value: u32) -> std::io::Result<()> {
        let mut bytes = [0u8; 5];
        let mut len = 0;
        loop {
            let low = (value & 0x7f) as u8;
            value >>= 7;
            if value == 0 {
                bytes[len] = low;
                len += 1;
                break;
            }
            bytes[len] = low | 0x80;
            len += 1;
        }
        self.put(&bytes[..len])
    }

    fn put_u32s(&mut self, values: &[u32]) -> std::io::Result<()> {
        for v in values {
            self.put(&v.to_le_bytes())?;
        }
        Ok(())
    }
}

fn too_large(what: &'static str) -> std::io::Error {
    std::io::Error::other(StoredSnapshotError::TooLarge(what))
}

fn to_u32(n: usize, what: &'static str) -> std::io::Result<u32> {
    u32::try_from(n).map_err(|_| too_large(what))
}

/// Hands the front-coded vocabulary of `snapshot` to `out` piece by piece; its length.
fn front_coded(
    snapshot: &Snapshot,
    mut out: impl FnMut(&[u8]) -> std::io::Result<()>,
) -> std::io::Result<usize> {
    let mut len = 0;
    let mut previous = "";
    for (_, term) in snapshot.vocabulary.terms() {
        let shared = previous
            .bytes()
            .zip(term.bytes())
            .take(MAX_SHARED)
            .take_while(|(a, b)| a == b)
            .count();
        let rest = &term.as_bytes()[shared..];
        out(&[shared as u8])?;
        out(rest)?;
        out(&[0])?;
        len += 1 + rest.len() + 1;
        previous = term;
    }
    Ok(len)
}

/// The vocabulary's text (every term after a NUL) and each term's offset in it, from the
/// front-coded `bytes` of `terms` terms, which must ascend strictly.
fn front_decoded(bytes: &[u8], terms: usize) -> Result<(String, Vec<u32>)> {
    const BAD: StoredSnapshotError = StoredSnapshotError::Malformed("the vocabulary's coding");
    const UNORDERED: StoredSnapshotError = StoredSnapshotError::Malformed("the vocabulary's order");
    // Every term takes at least two bytes: a count beyond them is refused before allocating.
    if terms > bytes.len() / 2 {
        return Err(BAD);
    }
    let mut text: Vec<u8> = Vec::with_capacity(bytes.len() * 2);
    let mut offsets = Vec::with_capacity(terms);
    let mut previous = 0..0;
    let mut at = 0;
    for _ in 0..terms {
        let shared = usize::from(*bytes.get(at).ok_or(BAD)?);
        let end = at + 1 + memchr::memchr(0, bytes.get(at + 1..).ok_or(BAD)?).ok_or(BAD)?;
        if shared > previous.len() {
            return Err(BAD);
        }
        let rest = &bytes[at + 1..end];
        // Both terms begin with the same `shared` bytes, so the order is that of what follows:
        // usually told by the first byte, where comparing whole terms compared their prefixes
        // again (a tenth of a 20,000-entity snapshot's read).
        if !offsets.is_empty() && rest <= &text[previous.start + shared..previous.end] {
            return Err(UNORDERED);
        }
        text.push(0);
        let start = text.len();
        text.extend_from_within(previous.start..previous.start + shared);
        text.extend_from_slice(rest);
        // Shared prefixes could make a small crafted file expand a hundredfold.
        if text.len() > bytes.len().saturating_mul(MAX_EXPANSION) {
            return Err(BAD);
        }
        offsets.push(u32::try_from(start).map_err(|_| BAD)?);
        previous = start..text.len();
        at = end + 1;
    }
    if at != bytes.len() {
        return Err(BAD);
    }
    let text = String::from_utf8(text)
        .map_err(|_| StoredSnapshotError::Malformed("the vocabulary is not UTF-8"))?;
    Ok((text, offsets))
}

fn leb128_len(value: u32) -> usize {
    match value {
        0..0x80 => 1,
        0x80..0x4000 => 2,
        0x4000..0x20_0000 => 3,
        0x20_0000..0x1000_0000 => 4,
        _ => 5,
    }
}

/// Exactly `count` LEB128 numbers filling `bytes`.
fn leb128s(bytes: &[u8], count: usize) -> Result<Vec<u32>> {
    const BAD: StoredSnapshotError = StoredSnapshotError::Malformed("a number's coding");
    if count > bytes.len() {
        return Err(BAD);
    }
    let mut numbers = Leb128 { bytes };
    let values = (0..count)
        .map(|_| numbers.next().ok_or(BAD))
        .collect::<Result<Vec<u32>>>()?;
    if numbers.bytes.is_empty() {
        Ok(values)
    } else {
        Err(BAD)
    }
}

/// Reads LEB128 numbers (`None`: none left, or one longer than a u32).
struct Leb128<'a> {
    bytes: &'a [u8],
}

impl Iterator for Leb128<'_> {
    type Item = u32;

    /// One number of at most five bytes, unrolled (a snapshot's read decodes every word of every
    /// document: at 20,000 entities a tenth of its instructions went to the loop's counting).
    fn next(&mut self) -> Option<u32> {
        let bytes = self.bytes;
        let (value, len) = match *bytes {
            [b0, ..] if b0 < 0x80 => (u32::from(b0), 1),
            [b0, b1, ..] if b1 < 0x80 => (low7(b0) | u32::from(b1) << 7, 2),
            [b0, b1, b2, ..] if b2 < 0x80 => (low7(b0) | low7(b1) << 7 | u32::from(b2) << 14, 3),
            [b0, b1, b2, b3, ..] if b3 < 0x80 => (
                low7(b0) | low7(b1) << 7 | low7(b2) << 14 | u32::from(b3) << 21,
                4,
            ),
            // The fifth byte holds the last four bits, and ends the number.
            [b0, b1, b2, b3, b4, ..] if b4 <= 0x0f => (
                low7(b0) | low7(b1) << 7 | low7(b2) << 14 | low7(b3) << 21 | u32::from(b4) << 28,
                5,
            ),
            _ => return None,
        };
        self.bytes = bytes.get(len..)?;
        Some(value)
    }
}

fn low7(byte: u8) -> u32 {
    u32::from(byte & 0x7f)
}

const OVERFLOW: StoredSnapshotError = StoredSnapshotError::Malformed("a count out of range");

fn utf8(bytes: &[u8], what: &'static str) -> Result<String> {
    String::from_utf8(bytes.to_vec()).map_err(|_| StoredSnapshotError::Malformed(what))
}

/// Bounds-checked little-endian reads: running past the end is an error, never a panic.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes, at: 0 }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self.at.checked_add(n).ok_or(OVERFLOW)?;
        let taken = self
            .bytes
            .get(self.at..end)
            .ok_or(StoredSnapshotError::Malformed("a section past the end"))?;
        self.at = end;
        Ok(taken)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
        self.take(N)?.try_into().map_err(|_| OVERFLOW)
    }

    fn u16(&mut self) -> Result<u16> {
        self.array().map(u16::from_le_bytes)
    }

    fn u32(&mut self) -> Result<u32> {
        self.array().map(u32::from_le_bytes)
    }

    fn u64(&mut self) -> Result<u64> {
        self.array().map(u64::from_le_bytes)
    }

    fn i64(&mut self) -> Result<i64> {
        self.array().map(i64::from_le_bytes)
    }

    fn u32s(&mut self, count: usize) -> Result<Vec<u32>> {
        let bytes = self.take(count.checked_mul(4).ok_or(OVERFLOW)?)?;
        Ok(bytes
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::{joined_compounds, tokenize};
    use crate::snapshot::IndexedDoc;

    const KEY: &[u8] = b"content 7";

    fn doc(rowid: i64, id: &str, title: &str, people: &str, track: Option<&str>) -> IndexedDoc {
        IndexedDoc {
            rowid,
            event_id: if rowid % 2 == 0 { "egov" } else { "36c3" }.into(),
            kind: Some(if track.is_some() {
                EntityKind::Session
            } else {
                EntityKind::Speaker
            }),
            id: id.into(),
            title: title.into(),
            people: people.into(),
            place: "Saal Grün".into(),
            start: track.map(|_| 1_800_000_000 + rowid * 3600),
            end: track.map(|_| 1_800_002_700 + rowid * 3600),
            day: track.and_then(|_| NaiveDate::from_ymd_opt(2027, 2, 1)),
            track_id: track.map(str::to_string),
            location_id: track.map(|_| "saal".to_string()),
        }
    }

    fn snapshot() -> Snapshot {
        let docs = vec![
            doc(
                1,
                "s1",
                "E-Rechnungsplattform für Kommunen",
                "Anna Schäfer",
                Some("finanzen"),
            ),
            doc(2, "p1", "Anna Schäfer", "", None),
            doc(
                4,
                "s2",
                "Straßenbau und Bürgeramt",
                "Jörg Groß, Anna Schäfer",
                Some("bau"),
            ),
            doc(7, "s3", "Cybersicherheit", "", Some("finanzen")),
        ];
        let mut words: Vec<(String, u32)> = Vec::new();
        for d in &docs {
            for text in [&d.title, &d.people, &d.place] {
                let tokens = tokenize(text);
                let joined = joined_compounds(&tokens);
                words.extend(tokens.into_iter().map(|t| (t.text, 1)));
                words.extend(joined.into_iter().map(|w| (w, 1)));
            }
        }
        Snapshot::build(Vocabulary::from_terms(words), docs)
    }

    /// The CRC recomputed, so a test reaches the checks behind the checksum (a file crafted on
    /// purpose, not damaged by accident).
    fn resealed(mut bytes: Vec<u8>) -> Vec<u8> {
        let end = bytes.len() - TRAILER_BYTES;
        let crc = crc32fast::hash(&bytes[..end]);
        bytes[end..].copy_from_slice(&crc.to_le_bytes());
        bytes
    }

    #[test]
    fn leb128_reads_every_length_and_refuses_overlong_or_cut_numbers() {
        for value in [
            0,
            0x7f,
            0x80,
            0x3fff,
            0x4000,
            0x1f_ffff,
            0x20_0000,
            u32::MAX,
        ] {
            let mut bytes = Vec::new();
            let mut out = Checksummed {
                out: &mut bytes,
                crc: crc32fast::Hasher::new(),
            };
            out.put_leb128(value).unwrap();
            out.put_leb128(1).unwrap();
            assert_eq!(bytes.len(), leb128_len(value) + 1);
            let mut numbers = Leb128 { bytes: &bytes };
            assert_eq!(numbers.next(), Some(value), "{value:#x}");
            assert_eq!(numbers.next(), Some(1), "after {value:#x}");
            assert_eq!(numbers.next(), None);
            // Cut before its last byte: nothing is read.
            let cut = &bytes[..leb128_len(value) - 1];
            assert_eq!(Leb128 { bytes: cut }.next(), None, "{value:#x} cut");
        }
        // Five bytes carrying more than 32 bits, and six bytes, are refused.
        assert_eq!(
            Leb128 {
                bytes: &[0xff, 0xff, 0xff, 0xff, 0x1f]
            }
            .next(),
            None
        );
        assert_eq!(
            Leb128 {
                bytes: &[0x80, 0x80, 0x80, 0x80, 0x80, 0x01]
            }
            .next(),
            None
        );
    }

    /// A snapshot whose only document holds `words`, each its own term.
    fn snapshot_of_terms(words: &[String]) -> Snapshot {
        let terms = words.iter().map(|w| (w.clone(), 1)).collect();
        Snapshot::build(
            Vocabulary::from_terms(terms),
            vec![doc(1, "s1", &words.join(" "), "", None)],
        )
    }

    #[test]
    fn terms_sharing_more_than_a_front_coded_prefix_read_back_in_order() {
        // Front coding shares at most 255 bytes: these terms share 300, so the order of the
        // next bytes must be compared past what the coding shared.
        let stem = "a".repeat(300);
        let words = vec![format!("{stem}b"), format!("{stem}bc"), format!("{stem}c")];
        let bytes = encode(&snapshot_of_terms(&words), KEY).unwrap();
        let read = decode(&bytes, KEY).unwrap();
        let terms: Vec<&str> = read.vocabulary.terms().map(|(_, t)| t).collect();
        assert_eq!(terms, words.iter().map(String::as_str).collect::<Vec<_>>());
    }

    #[test]
    fn a_term_repeating_or_shorter_than_its_extension_before_it_is_refused() {
        let words = vec!["abc".to_string(), "abd".to_string()];
        let bytes = encode(&snapshot_of_terms(&words), KEY).unwrap();
        let body = HEADER_BYTES + KEY.len();
        let vocabulary = body + COUNTS * 4;
        // "abc" then "ab" + "d": [0]abc[0] [2]d[0].
        assert_eq!(&bytes[vocabulary..vocabulary + 8], b"\0abc\0\x02d\0");
        let refused = |second: &[u8]| {
            let mut crafted = bytes.clone();
            crafted[vocabulary + 5..vocabulary + 8].copy_from_slice(second);
            decode(&resealed(crafted), KEY).err()
        };
        let order = Some(StoredSnapshotError::Malformed("the vocabulary's order"));
        // "ab" + "c": "abc" again.
        assert_eq!(refused(b"\x02c\0"), order);
        // "ab" + "b": before "abc".
        assert_eq!(refused(b"\x02b\0"), order);
        // "abc" + "" would be a repeat too (the coding's length check refuses it first).
        assert!(refused(b"\x03\0\0").is_some());
        // The untouched bytes read.
        assert_eq!(refused(b"\x02d\0"), None);
    }

    #[test]
    fn a_snapshot_reads_back_as_it_was_written() {
        let original = snapshot();
        let bytes = encode(&original, KEY).unwrap();
        let read = decode(&bytes, KEY).unwrap();
        // The encoding holds every field: equal bytes again mean equal snapshots.
        assert_eq!(encode(&read, KEY).unwrap(), bytes);
        assert_eq!(read.doc_count(), 4);
        assert_eq!(read.vocabulary.len(), original.vocabulary.len());
        for (id, term) in original.vocabulary.terms() {
            assert_eq!(read.vocabulary.term(id), term);
        }
        let s2 = read.position_of(4).unwrap();
        let doc = read.doc(s2);
        assert_eq!(
            (
                doc.id.as_str(),
                doc.track_id.as_deref(),
                read.event_id(doc.event)
            ),
            ("s2", Some("bau"), "egov")
        );
        assert_eq!(doc.day, NaiveDate::from_ymd_opt(2027, 2, 1));
        assert_eq!(read.doc(read.position_of(2).unwrap()).start, None);
        let range = read.vocabulary.prefix_range("schaf");
        assert_eq!(read.postings(range.clone()), original.postings(range));
        assert_eq!(read.position_of(3), None);
        assert_eq!(key_of(&bytes).unwrap(), KEY);
    }

    #[test]
    fn an_empty_snapshot_reads_back() {
        let empty = Snapshot::build(Vocabulary::from_terms(Vec::new()), Vec::new());
        let read = decode(&encode(&empty, b"").unwrap(), b"").unwrap();
        assert_eq!((read.doc_count(), read.vocabulary.len()), (0, 0));
    }

    #[test]
    fn a_snapshot_of_other_content_is_stale() {
        let bytes = encode(&snapshot(), KEY).unwrap();
        assert_eq!(
            decode(&bytes, b"content 8").err(),
            Some(StoredSnapshotError::Stale)
        );
        assert_eq!(decode(&bytes, b"").err(), Some(StoredSnapshotError::Stale));
    }

    #[test]
    fn another_format_or_no_snapshot_is_refused() {
        let mut bytes = encode(&snapshot(), KEY).unwrap();
        bytes[8] = 2;
        assert_eq!(
            decode(&bytes, KEY).err(),
            Some(StoredSnapshotError::Format {
                found: 2,
                expected: FORMAT_VERSION
            })
        );
        assert_eq!(
            decode(b"SQLite format 3\0 and more", KEY).err(),
            Some(StoredSnapshotError::NotASnapshot)
        );
        assert!(decode(b"", KEY).is_err());
    }

    #[test]
    fn every_truncation_and_extension_is_refused() {
        let bytes = encode(&snapshot(), KEY).unwrap();
        for len in 0..bytes.len() {
            assert!(decode(&bytes[..len], KEY).is_err(), "cut at {len}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(matches!(
            decode(&longer, KEY),
            Err(StoredSnapshotError::Length { .. })
        ));
    }

    #[test]
    fn every_flipped_bit_is_refused() {
        let bytes = encode(&snapshot(), KEY).unwrap();
        for at in 0..bytes.len() {
            for bit in 0..8 {
                let mut damaged = bytes.clone();
                damaged[at] ^= 1 << bit;
                assert!(decode(&damaged, KEY).is_err(), "bit {bit} of byte {at}");
            }
        }
    }

    #[test]
    fn a_crafted_file_with_a_valid_checksum_never_panics() {
        // Past the checksum every byte is still checked for bounds: any value in any position
        // either reads back as a well-formed snapshot or is refused.
        let bytes = encode(&snapshot(), KEY).unwrap();
        let body = HEADER_BYTES + KEY.len();
        for at in body..bytes.len() - TRAILER_BYTES {
            for value in [0u8, 1, 0x7f, 0x80, 0xff] {
                let mut crafted = bytes.clone();
                crafted[at] = value;
                if let Ok(read) = decode(&resealed(crafted), KEY) {
                    for position in 0..read.doc_count() as u32 {
                        let doc = read.doc(position);
                        assert!(
                            doc.all_words()
                                .iter()
                                .all(|&w| (w as usize) < read.vocabulary.len())
                        );
                        assert!((doc.event as usize) < 2);
                    }
                }
            }
        }
    }

    #[test]
    fn crafted_bounds_are_refused() {
        let bytes = encode(&snapshot(), KEY).unwrap();
        let body = HEADER_BYTES + KEY.len();
        let set_u32 = |at: usize, value: u32| {
            let mut crafted = bytes.clone();
            crafted[at..at + 4].copy_from_slice(&value.to_le_bytes());
            decode(&resealed(crafted), KEY).err()
        };
        // Counts: terms, documents, events, words, vocabulary bytes, string bytes.
        for count in 0..COUNTS {
            assert!(
                set_u32(body + 4 * count, u32::MAX).is_some(),
                "count {count}"
            );
        }
        let count = |n: usize| {
            u32::from_le_bytes(bytes[body + 4 * n..body + 4 * n + 4].try_into().unwrap()) as usize
        };
        let terms = count(0);
        let vocabulary = body + COUNTS * 4;
        // The first term shares nothing; a term sharing more than the one before it holds.
        let mut crafted = bytes.clone();
        crafted[vocabulary] = 1;
        assert!(decode(&resealed(crafted), KEY).is_err(), "shared prefix");
        // Two terms out of order (the second term's first letter lowered below the first's).
        let mut crafted = bytes.clone();
        let first_end = bytes[vocabulary + 1..]
            .iter()
            .position(|&b| b == 0)
            .unwrap();
        let second = vocabulary + 1 + first_end + 1;
        assert_eq!(
            crafted[second], 0,
            "the second term shares nothing with the first"
        );
        crafted[second + 1] = b' ';
        assert!(decode(&resealed(crafted), KEY).is_err(), "order");
        let events = vocabulary + count(3) + count(4);
        let records = events + 2 * 8;
        let record = |field: usize| records + field;
        // rowid, event, kind, word count, splits, id span.
        let mut crafted = bytes.clone();
        crafted[record(0)..record(8)].copy_from_slice(&i64::MAX.to_le_bytes());
        assert!(decode(&resealed(crafted), KEY).is_err());
        assert!(set_u32(record(28), 2).is_some(), "event index");
        assert!(set_u32(record(36), 1000).is_some(), "word count");
        let mut crafted = bytes.clone();
        crafted[record(40)..record(42)].copy_from_slice(&u16::MAX.to_le_bytes());
        assert!(decode(&resealed(crafted), KEY).is_err(), "split");
        let mut crafted = bytes.clone();
        crafted[record(44)] = EntityKind::ALL.len() as u8;
        assert!(decode(&resealed(crafted), KEY).is_err(), "kind");
        assert!(set_u32(record(52), 1 << 20).is_some(), "id length");
        // A word id outside the vocabulary (LEB128 of `terms`).
        let words = records + 4 * RECORD_BYTES;
        let mut crafted = bytes.clone();
        crafted[words] = 0x80 | (terms & 0x7f) as u8;
        crafted[words + 1] = (terms >> 7) as u8;
        assert!(decode(&resealed(crafted), KEY).is_err(), "word id");
        // A number longer than a u32.
        let mut crafted = bytes.clone();
        crafted[words..words + 5].fill(0xff);
        assert!(decode(&resealed(crafted), KEY).is_err(), "long number");
    }

    proptest::proptest! {
        /// Many bytes changed at once, the checksum recomputed (the fuzz target's smoke): the
        /// read never panics, and what it accepts holds only ids in range.
        #[test]
        fn crafted_bytes_never_panic(
            changes in proptest::collection::vec((proptest::prelude::any::<usize>(), proptest::prelude::any::<u8>()), 1..12)
        ) {
            let mut crafted = encode(&snapshot(), KEY).unwrap();
            let body = HEADER_BYTES + KEY.len();
            let span = crafted.len() - TRAILER_BYTES - body;
            for (at, value) in changes {
                crafted[body + at % span] = value;
            }
            if let Ok(read) = decode(&resealed(crafted), KEY) {
                for position in 0..read.doc_count() as u32 {
                    let doc = read.doc(position);
                    proptest::prop_assert!(doc.all_words().iter().all(|&w| (w as usize) < read.vocabulary.len()));
                    proptest::prop_assert!((doc.event as usize) < read.events().len());
                }
            }
        }

        /// Arbitrary bytes, with or without the real header's start, are refused.
        #[test]
        fn arbitrary_bytes_are_refused(tail in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..512)) {
            proptest::prop_assert!(decode(&tail, KEY).is_err());
            let mut headed = MAGIC.to_vec();
            headed.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
            headed.extend_from_slice(&tail);
            proptest::prop_assert!(decode(&headed, KEY).is_err());
        }
    }
}
