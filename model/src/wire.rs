//! The sync protocol's JSON types and conventions, shared by the server and the device.
//!
//! The protocol is described in `docs/adr/0002-sync-protocol.md`. In short: each event has a
//! change log whose `seq` grows strictly in commit order; a device asks for the changes after
//! its cursor (`changes?epoch=E&since=S`) and applies each page in one transaction together with
//! its new cursor. Entity bodies travel as the JSON the organiser published, so the server can
//! send what it stored without re-serialising it ([`RawValue`]).

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::assets::sha256_hex;
use crate::error::{Error, Result};
use crate::model::{Entity, EntityKind};

/// Path prefix of every endpoint of this protocol version.
pub const API_PREFIX: &str = "/v1";

/// Largest page a device will read (a server's pages are far smaller; this only guards memory).
pub const MAX_PAGE_BYTES: usize = 16 * 1024 * 1024;

/// Largest text field of any entity, in UTF-8 bytes. One limit set for the whole contract:
/// checked at publish (bundle and server), in organiser operations, and by the device.
pub const MAX_TEXT_FIELD_BYTES: usize = 128 * 1024;

/// Largest entity, as its JSON body in bytes. A page always fits at least one entity, so no
/// published entity can make a page a device refuses.
pub const MAX_ENTITY_BYTES: usize = 512 * 1024;

/// Response header of a changes page naming its `next` cursor, readable before the body: a
/// device that cannot take a page (over [`MAX_PAGE_BYTES`]) steps past it to there.
pub const PAGE_NEXT_HEADER: &str = "x-marktplatz-page-next";

/// Response header of a changes page naming its epoch (beside [`PAGE_NEXT_HEADER`]).
pub const PAGE_EPOCH_HEADER: &str = "x-marktplatz-page-epoch";

/// Checks an entity's JSON against [`MAX_TEXT_FIELD_BYTES`] and [`MAX_ENTITY_BYTES`]; the
/// error names the entity (`what`) and the field (a JSON path such as `speakers[2].bio`).
pub fn check_entity_limits(what: &str, body: &serde_json::Value) -> Result<()> {
    let size = serde_json::to_vec(body)
        .map_err(|e| Error::malformed(what, e))?
        .len();
    if size > MAX_ENTITY_BYTES {
        return Err(Error::invalid(
            what,
            "(whole entity)",
            format!("is {size} bytes, more than the {MAX_ENTITY_BYTES} bytes allowed"),
        ));
    }
    check_text_fields(what, "", body)
}

/// [`check_entity_limits`] for a typed entity, named by its kind and id.
pub fn check_entity(entity: &Entity) -> Result<()> {
    let what = format!("{} '{}'", entity.kind().as_str(), entity.id());
    let body = entity.to_json().map_err(|e| Error::malformed(&what, e))?;
    let value: serde_json::Value =
        serde_json::from_str(&body).map_err(|e| Error::malformed(&what, e))?;
    check_entity_limits(&what, &value)
}

fn check_text_fields(what: &str, path: &str, value: &serde_json::Value) -> Result<()> {
    match value {
        serde_json::Value::String(text) if text.len() > MAX_TEXT_FIELD_BYTES => {
            Err(Error::invalid(
                what,
                path,
                format!(
                    "is {} bytes, more than the {MAX_TEXT_FIELD_BYTES} bytes allowed for a text field",
                    text.len()
                ),
            ))
        }
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(n, item)| check_text_fields(what, &format!("{path}[{n}]"), item)),
        serde_json::Value::Object(fields) => fields.iter().try_for_each(|(key, item)| {
            let path = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            check_text_fields(what, &path, item)
        }),
        _ => Ok(()),
    }
}

/// `GET /v1/events/{event}/head`: where the event's change log stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Head {
    pub event: String,
    /// Changes when the server's history is reset or restored; cursors of another epoch are void.
    pub epoch: String,
    /// The seq of the latest change (0 for an event without content).
    pub seq: u64,
    /// Cursors below this may have missed a deleted entity: they must re-bootstrap (410).
    pub min_retained_seq: u64,
}

/// `GET /v1/events`: the events a server offers to anyone, for a device's event picker. Only
/// events with content and without an access code are listed: a protected event is not even
/// named (its attendees get its id with the code).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventList {
    pub events: Vec<ListedEvent>,
}

/// One event of an [`EventList`]: enough to choose it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListedEvent {
    pub id: String,
    pub title: String,
    /// The event's first and last local day (none for an event without days yet).
    #[serde(default)]
    pub first_day: Option<chrono::NaiveDate>,
    #[serde(default)]
    pub last_day: Option<chrono::NaiveDate>,
}

/// Largest event list a device will read (a thousand events take well under 200 KiB).
pub const MAX_EVENT_LIST_BYTES: usize = 1024 * 1024;

/// `GET /v1/events/{event}/changes?epoch=E&since=S`: one page of the change log.
///
/// The page holds, in seq order, the latest version of every entity whose last change has a
/// seq in `(since, next]`; after applying it, the device's cursor is `next`.
#[derive(Debug, Serialize, Deserialize)]
pub struct Page {
    pub epoch: String,
    pub since: u64,
    pub next: u64,
    /// The log's head when the page was made (for progress bars; cached pages may be behind).
    pub head: u64,
    /// More pages follow: ask again with `since = next`.
    pub more: bool,
    pub changes: Vec<Change>,
}

/// One entity's latest state: an upsert (with `body`), a patch of the version the device
/// most likely holds (`base`, `patch`, `sha`), or a tombstone (none of these).
#[derive(Debug, Serialize, Deserialize)]
pub struct Change {
    pub seq: u64,
    pub kind: EntityKind,
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Box<RawValue>>,
    /// [`short_hash`] of the body the patch applies to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<String>,
    /// A JSON merge patch (RFC 7386) turning the base body into the new one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patch: Option<Box<RawValue>>,
    /// [`short_hash`] of the new body, to check the patched result.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha: Option<String>,
}

/// A change checked and decoded, ready to be applied.
#[derive(Clone, Debug, PartialEq)]
pub enum DecodedChange {
    Upsert {
        seq: u64,
        entity: Box<Entity>,
        /// The body exactly as received; stored as is.
        body: String,
    },
    /// Applies to the stored body only if that hashes to `base`; otherwise the page must be
    /// fetched again with full bodies (`full=1`).
    Patch {
        seq: u64,
        kind: EntityKind,
        id: String,
        base: String,
        patch: serde_json::Value,
        sha: String,
    },
    Delete {
        seq: u64,
        kind: EntityKind,
        id: String,
    },
}

impl DecodedChange {
    pub fn seq(&self) -> u64 {
        match self {
            DecodedChange::Upsert { seq, .. }
            | DecodedChange::Patch { seq, .. }
            | DecodedChange::Delete { seq, .. } => *seq,
        }
    }
}

impl Page {
    /// Checks the page against what was asked (`epoch` when known, `since`) and decodes every
    /// body. Any inconsistency is a [`Error::Protocol`] naming the change; nothing is applied.
    pub fn decode(&self, expected_epoch: Option<&str>, since: u64) -> Result<Vec<DecodedChange>> {
        if let Some(epoch) = expected_epoch
            && epoch != self.epoch
        {
            return Err(Error::Protocol(format!(
                "a page from epoch '{}' arrived while the device follows epoch '{epoch}'",
                self.epoch
            )));
        }
        if self.since != since {
            return Err(Error::Protocol(format!(
                "asked for changes since {since}, the page starts at {}",
                self.since
            )));
        }
        if self.next < self.since || self.head < self.next {
            return Err(Error::Protocol(format!(
                "page bounds are inconsistent (since {}, next {}, head {})",
                self.since, self.next, self.head
            )));
        }
        if self.more && self.changes.is_empty() {
            return Err(Error::Protocol(
                "an empty page claims that more follow".to_string(),
            ));
        }
        let mut previous = self.since;
        let mut decoded = Vec::with_capacity(self.changes.len());
        for change in &self.changes {
            if change.seq <= previous || change.seq > self.next {
                return Err(Error::Protocol(format!(
                    "{} '{}' has seq {}, outside the page ({}..={}) or out of order",
                    change.kind, change.id, change.seq, self.since, self.next
                )));
            }
            previous = change.seq;
            decoded.push(change.decode()?);
        }
        Ok(decoded)
    }
}

impl Change {
    fn decode(&self) -> Result<DecodedChange> {
        for raw in [&self.body, &self.patch].into_iter().flatten() {
            crate::json::reject_duplicate_keys(raw.get()).map_err(|e| {
                Error::Protocol(format!("{} '{}' cannot be read: {e}", self.kind, self.id))
            })?;
        }
        if let Some(patch) = &self.patch {
            let (Some(base), Some(sha)) = (&self.base, &self.sha) else {
                return Err(Error::Protocol(format!(
                    "{} '{}' carries a patch without base or sha",
                    self.kind, self.id
                )));
            };
            let patch = serde_json::from_str(patch.get()).map_err(|e| {
                Error::Protocol(format!(
                    "{} '{}': unreadable patch: {e}",
                    self.kind, self.id
                ))
            })?;
            return Ok(DecodedChange::Patch {
                seq: self.seq,
                kind: self.kind,
                id: self.id.clone(),
                base: base.clone(),
                patch,
                sha: sha.clone(),
            });
        }
        let Some(body) = &self.body else {
            return Ok(DecodedChange::Delete {
                seq: self.seq,
                kind: self.kind,
                id: self.id.clone(),
            });
        };
        let entity = Entity::from_json(self.kind, body.get()).map_err(|e| {
            Error::Protocol(format!("{} '{}' cannot be read: {e}", self.kind, self.id))
        })?;
        if entity.id() != self.id {
            return Err(Error::Protocol(format!(
                "{} '{}' carries a body with id '{}'",
                self.kind,
                self.id,
                entity.id()
            )));
        }
        Ok(DecodedChange::Upsert {
            seq: self.seq,
            entity: Box::new(entity),
            body: body.get().to_string(),
        })
    }
}

/// A short content hash of an entity body (first 10 hex digits of its SHA-256): enough to
/// notice that a device's copy is not the version a patch was made for.
pub fn short_hash(body: &str) -> String {
    let mut full = sha256_hex(body.as_bytes());
    full.truncate(10);
    full
}

/// JSON merge patches (RFC 7386): how a changed entity travels when the device holds the
/// previous version. Arrays are replaced whole; `null` removes a member.
pub mod merge_patch {
    use serde_json::{Map, Value};

    /// The patch that turns `old` into `new`.
    pub fn diff(old: &Value, new: &Value) -> Value {
        match (old, new) {
            (Value::Object(old), Value::Object(new)) => {
                let mut patch = Map::new();
                for (key, new_value) in new {
                    match old.get(key) {
                        Some(old_value) if old_value == new_value => {}
                        Some(old_value @ Value::Object(_)) if new_value.is_object() => {
                            patch.insert(key.clone(), diff(old_value, new_value));
                        }
                        _ => {
                            patch.insert(key.clone(), new_value.clone());
                        }
                    }
                }
                for key in old.keys() {
                    if !new.contains_key(key) {
                        patch.insert(key.clone(), Value::Null);
                    }
                }
                Value::Object(patch)
            }
            _ => new.clone(),
        }
    }

    /// Applies `patch` to `target` in place.
    pub fn apply(target: &mut Value, patch: &Value) {
        let Value::Object(patch) = patch else {
            *target = patch.clone();
            return;
        };
        if !target.is_object() {
            *target = Value::Object(Map::new());
        }
        if let Value::Object(map) = target {
            for (key, value) in patch {
                if value.is_null() {
                    map.remove(key);
                } else {
                    apply(map.entry(key.clone()).or_insert(Value::Null), value);
                }
            }
        }
    }
}

/// The JSON body of every error answer: a stable machine-readable `code` and a message for
/// people. Sent with `Cache-Control: no-store`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub code: String,
    pub message: String,
}

/// Stable error codes (the contract; messages may change).
pub mod code {
    pub const NOT_FOUND: &str = "not_found";
    pub const EVENT_NOT_FOUND: &str = "event_not_found";
    pub const ASSET_NOT_FOUND: &str = "asset_not_found";
    pub const BAD_REQUEST: &str = "bad_request";
    /// The `epoch` asked for is not the event's current one: re-bootstrap.
    pub const EPOCH_MISMATCH: &str = "epoch_mismatch";
    /// The cursor is older than the retention horizon: re-bootstrap.
    pub const CURSOR_EXPIRED: &str = "cursor_expired";
    pub const UNAUTHORIZED: &str = "unauthorized";
    pub const FORBIDDEN: &str = "forbidden";
    pub const MALFORMED_BUNDLE: &str = "malformed_bundle";
    pub const INVALID_BUNDLE: &str = "invalid_bundle";
    pub const EVENT_MISMATCH: &str = "event_mismatch";
    pub const MISSING_ASSETS: &str = "missing_assets";
    pub const HASH_MISMATCH: &str = "hash_mismatch";
    pub const PAYLOAD_TOO_LARGE: &str = "payload_too_large";
    pub const RANGE_NOT_SATISFIABLE: &str = "range_not_satisfiable";
    pub const TIMEOUT: &str = "timeout";
    pub const OVERLOADED: &str = "overloaded";
    pub const INTERNAL: &str = "internal";
    /// An organiser operation was based on a version that is not the current one (409); the
    /// answer carries the current version.
    pub const CONFLICT: &str = "conflict";
    /// An organiser operation that is not JSON or not an operation this server knows (400).
    pub const MALFORMED_OP: &str = "malformed_op";
    /// An organiser operation that breaks a rule (empty title, unknown station, ...) (422).
    pub const INVALID_OP: &str = "invalid_op";
    /// An idempotency key sent again with a different request (422).
    pub const KEY_REUSED: &str = "idempotency_key_reused";
    /// An upload that should be a photo is not a JPEG or PNG the server can read (422).
    pub const NOT_AN_IMAGE: &str = "not_an_image";
    /// An image that still carries location or personal metadata (EXIF, XMP, IPTC, comments,
    /// PNG text); organiser tools strip it before hashing and upload (422).
    pub const IMAGE_METADATA: &str = "image_metadata";
    /// Too many writes from one client or token: wait `Retry-After` seconds (429).
    pub const RATE_LIMITED: &str = "rate_limited";
    /// A write whose body did not arrive within the server's upload deadline (408).
    pub const REQUEST_TIMEOUT: &str = "request_timeout";
    /// The event is readable only with its access code (or a token for it), and none came (401).
    pub const ACCESS_CODE_REQUIRED: &str = "access_code_required";
    /// The access code sent for the event is not its code (401).
    pub const ACCESS_CODE_WRONG: &str = "access_code_wrong";
    /// A publish the guards refuse unless confirmed (`?confirm=yes`): it would remove more
    /// than half of its source's sessions or change the event's days (409); the answer carries
    /// the preview (`preview::ConfirmationRequired`).
    pub const CONFIRMATION_REQUIRED: &str = "confirmation_required";
}

/// The header carrying an event's access code on reads of a protected event.
pub const ACCESS_CODE_HEADER: &str = "x-marktplatz-access-code";

/// The longest access code (characters): it is typed on a phone.
pub const MAX_ACCESS_CODE_CHARS: usize = 64;

/// `PUT /v1/events/{event}/bundle` answers with what the publication changed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishOutcome {
    pub epoch: String,
    /// The log's head after publishing (unchanged when nothing changed).
    pub seq: u64,
    pub added: u64,
    pub updated: u64,
    pub removed: u64,
    pub unchanged: u64,
    /// Gallery thumbnails the server made.
    #[serde(default)]
    pub thumbnails_made: u64,
}

/// `POST /v1/assets/missing`: which of these hashes the server does not hold yet.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssetList {
    pub sha256: Vec<String>,
}

/// The path of a changes page: the first page of a snapshot of the current epoch when `epoch`
/// is `None`, else the page after cursor `since` of that epoch. Path segments rather than query
/// parameters: every poll carries this, and `changes/E/S` is 12 bytes shorter.
pub fn changes_path(event: &str, epoch: Option<&str>, since: u64) -> String {
    match epoch {
        Some(epoch) => format!("{API_PREFIX}/events/{event}/changes/{epoch}/{since}"),
        None => format!("{API_PREFIX}/events/{event}/changes"),
    }
}

/// The ETag of a changes page: epoch and the cursor after it. A device at cursor `S` sends
/// `If-None-Match: page_etag(E, S)` so an empty tail answers 304 in one round trip.
pub fn page_etag(epoch: &str, next: u64) -> String {
    format!("\"{epoch}.{next}\"")
}

/// The ETag of a head answer.
pub fn head_etag(head: &Head) -> String {
    format!("\"{}.{}.{}\"", head.epoch, head.seq, head.min_retained_seq)
}

/// The ETag of an asset: its hash (the bytes can never change).
pub fn asset_etag(sha256: &str) -> String {
    format!("\"{sha256}\"")
}

/// Event ids travel in URL paths: keep them to a safe alphabet.
pub fn is_valid_event_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 100
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assets::is_sha256;

    fn page(json: &str) -> Page {
        serde_json::from_str(json).unwrap()
    }

    const TRACK: &str = r#"{"id":"t1","name":"Digitale Verwaltung"}"#;

    #[test]
    fn decodes_upserts_and_tombstones_keeping_the_raw_body() {
        let p = page(&format!(
            r#"{{"epoch":"E","since":3,"next":9,"head":9,"more":false,"changes":[
                {{"seq":5,"kind":"track","id":"t1","body":{TRACK}}},
                {{"seq":9,"kind":"session","id":"s1"}}]}}"#
        ));
        let changes = p.decode(Some("E"), 3).unwrap();
        assert_eq!(changes.len(), 2);
        match &changes[0] {
            DecodedChange::Upsert { seq, entity, body } => {
                assert_eq!(*seq, 5);
                assert_eq!(entity.id(), "t1");
                assert_eq!(body, TRACK);
            }
            other => panic!("expected an upsert, got {other:?}"),
        }
        assert_eq!(
            changes[1],
            DecodedChange::Delete {
                seq: 9,
                kind: EntityKind::Session,
                id: "s1".into()
            }
        );
    }

    #[test]
    fn tombstones_serialise_without_body() {
        let change = Change {
            seq: 4,
            kind: EntityKind::Speaker,
            id: "sp".into(),
            body: None,
            base: None,
            patch: None,
            sha: None,
        };
        assert_eq!(
            serde_json::to_string(&change).unwrap(),
            r#"{"seq":4,"kind":"speaker","id":"sp"}"#
        );
    }

    #[test]
    fn rejects_pages_that_do_not_fit() {
        let ok = format!(
            r#"{{"epoch":"E","since":3,"next":5,"head":9,"more":true,"changes":[{{"seq":5,"kind":"track","id":"t1","body":{TRACK}}}]}}"#
        );
        assert!(page(&ok).decode(Some("E"), 3).is_ok());
        let cases = [
            (ok.clone(), Some("F"), 3, "epoch"),
            (ok.clone(), Some("E"), 2, "since 2"),
            (
                ok.replace(r#""seq":5"#, r#""seq":3"#),
                Some("E"),
                3,
                "seq 3",
            ),
            (
                ok.replace(r#""seq":5"#, r#""seq":7"#),
                Some("E"),
                3,
                "seq 7",
            ),
            (
                ok.replace(r#""id":"t1","body""#, r#""id":"t2","body""#),
                Some("E"),
                3,
                "id 't1'",
            ),
            (
                ok.replace(r#""name""#, r#""nom""#),
                Some("E"),
                3,
                "cannot be read",
            ),
            (
                ok.replace(r#""head":9"#, r#""head":4"#),
                Some("E"),
                3,
                "inconsistent",
            ),
            (
                ok.replace(r#""id":"t1","name""#, r#""id":"t1","x":1,"x":2,"name""#),
                Some("E"),
                3,
                "\"x\" appears twice",
            ),
        ];
        for (json, epoch, since, needle) in cases {
            let err = page(&json).decode(epoch, since).unwrap_err();
            assert!(matches!(err, Error::Protocol(_)), "{err}");
            assert!(err.to_string().contains(needle), "{needle}: {err}");
        }
    }

    #[test]
    fn merge_patches_round_trip() {
        let old: serde_json::Value = serde_json::from_str(
            r#"{"id":"s","title":"A","room":{"id":"r1","floor":1},"tags":["x"],"gone":1}"#,
        )
        .unwrap();
        let new: serde_json::Value = serde_json::from_str(
            r#"{"id":"s","title":"B","room":{"id":"r1","floor":2},"tags":["x","y"],"extra":null}"#,
        )
        .unwrap();
        let patch = merge_patch::diff(&old, &new);
        assert_eq!(
            patch,
            serde_json::json!({"title":"B","room":{"floor":2},"tags":["x","y"],"gone":null,"extra":null})
        );
        let mut patched = old.clone();
        merge_patch::apply(&mut patched, &patch);
        let mut expected = new.clone();
        // A merge patch cannot carry an explicit null: the member is absent instead.
        expected.as_object_mut().unwrap().remove("extra");
        assert_eq!(patched, expected);
        assert_eq!(short_hash("abc").len(), 10);
    }

    #[test]
    fn etags_and_ids() {
        assert_eq!(page_etag("ab", 7), "\"ab.7\"");
        assert!(is_sha256(&"a".repeat(64)));
        assert!(!is_sha256(&"A".repeat(64)));
        assert!(is_valid_event_id("marktplatz-nordwest-2027"));
        assert!(!is_valid_event_id("a/b"));
        assert!(!is_valid_event_id(""));
    }
}
