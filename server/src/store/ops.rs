//! Organiser operations (`POST /v1/events/{event}/ops`): one named change to one entity,
//! checked against the version it was based on, applied as an ordinary change-log entry (so
//! attendees get it through the usual delta sync), and remembered by idempotency key so a
//! retried request is answered with the stored result instead of being applied twice.
//!
//! Everything that decides happens in one IMMEDIATE transaction on the writer: the key lookup,
//! the version check, the change-log entry and the stored result. A crash before the commit
//! leaves nothing; after it, a retry finds the stored result.

use std::path::Path;

use serde_json::value::RawValue;
use sha2::{Digest, Sha256};

use marktplatz_model::model::{AssetRef, Entity, EntityKind};
use marktplatz_model::ops::{CurrentVersion, Op, OpOutcome, OpRequest};
use marktplatz_model::wire::code;

use super::auth::Principal;
use super::blobs;
use super::change_log::{self, NewChange};
use super::db::{Db, now};
use super::engine::{Tx, args};
use super::error::{Result, StoreError};
use super::idempotent;
use super::overrides;
use super::thumbnails;

/// Stored results older than this are forgotten (a device retries within minutes or days);
/// their effects (`overrides`) as long.
pub use super::overrides::KEEP_RESULTS_SECS;

/// What became of a request.
#[derive(Debug, PartialEq, Eq)]
pub enum Applied {
    /// Applied now.
    New(OpOutcome),
    /// The key had been seen with the same request: the stored result, nothing applied.
    Replayed(OpOutcome),
}

impl Applied {
    pub fn outcome(&self) -> &OpOutcome {
        match self {
            Applied::New(o) | Applied::Replayed(o) => o,
        }
    }
}

/// Parses a request body; the errors are the client's (400).
pub fn parse_request(body: &[u8]) -> Result<OpRequest> {
    serde_json::from_slice(body).map_err(|e| StoreError::Malformed {
        code: code::MALFORMED_OP,
        message: format!("the operation cannot be read: {e}"),
    })
}

/// Applies one operation for `principal` (blocking: call off the async runtime). `body` is the
/// request exactly as received: a replay must send the same bytes' meaning (its hash is kept).
pub fn apply(
    db: &Db,
    data_dir: &Path,
    event_id: &str,
    principal: &Principal,
    key: &str,
    body: &[u8],
) -> Result<Applied> {
    let request_hash = Sha256::digest(body).to_vec();
    let subject = principal.subject.clone();
    // A replay answers before any work (a photo's thumbnail is not made again).
    if let Some(done) = db.read_blocking(|tx| stored(tx, event_id, &subject, key, &request_hash))? {
        return Ok(Applied::Replayed(done));
    }
    let request = parse_request(body)?;
    if request.event != event_id {
        return Err(StoreError::refused(
            code::EVENT_MISMATCH,
            format!(
                "the operation is for event '{}', but was sent to event '{event_id}'",
                request.event
            ),
        ));
    }
    request
        .op
        .check()
        .map_err(|e| StoreError::refused(code::INVALID_OP, e.to_string()))?;
    if request.op.creates() != (request.base == 0) {
        return Err(StoreError::refused(
            code::INVALID_OP,
            if request.base == 0 {
                format!(
                    "{} changes an existing entity: send the version it was based on as base",
                    request.op.name()
                )
            } else {
                format!("{} creates an entity: its base is 0", request.op.name())
            },
        ));
    }
    let (op, thumbnail) = match request.op {
        Op::PhotoAdd { .. } => prepare_photo(db, data_dir, request.op)?,
        mut op => {
            refer_to_stored(db, data_dir, &mut op)?;
            (op, None)
        }
    };
    let base = request.base;
    let event_id = event_id.to_string();
    let key = key.to_string();
    db.write_blocking(move |tx| {
        // The event's row lock first: a retry racing on another instance waits here and then
        // finds this one's stored result (PostgreSQL, READ COMMITTED: each statement sees what
        // committed before it began).
        let head = change_log::lock_head(tx, &event_id)?;
        if let Some(done) = stored(tx, &event_id, &subject, &key, &request_hash)? {
            return Ok(Applied::Replayed(done));
        }
        let (outcome, before, after) = apply_in(tx, &event_id, &head.epoch, base, &op, thumbnail)?;
        if outcome.changed {
            overrides::record(
                tx,
                &event_id,
                (&subject, &key),
                (outcome.kind, &outcome.id),
                before.as_deref(),
                after.as_deref(),
            )?;
        }
        let json = serde_json::to_string(&outcome)
            .map_err(|e| StoreError::internal("encoding an outcome", e))?;
        tx.execute(
            "INSERT INTO op_result (event_id, subject, key, request, outcome, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
            args![&event_id, &subject, &key, &request_hash, json, now()],
        )?;
        tx.execute(
            "DELETE FROM op_result WHERE created_at < $1",
            args![now() - KEEP_RESULTS_SECS],
        )?;
        Ok(Applied::New(outcome))
    })
}

/// The stored result for a key; a key sent again with another request is refused (422).
fn stored(
    tx: &Tx<'_>,
    event_id: &str,
    subject: &str,
    key: &str,
    request_hash: &[u8],
) -> Result<Option<OpOutcome>> {
    let row: Option<(Vec<u8>, String)> = tx.query_opt(
        "SELECT request, outcome FROM op_result WHERE event_id = $1 AND subject = $2 AND key = $3",
        args![event_id, subject, key],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    idempotent::replay(row, request_hash, "operation")
}

/// The photo must be on the server, be the size the operation says, and be a JPEG or PNG the
/// server can decode; the item then refers to the server's record of it. Returns the operation
/// and the thumbnail the server made for it.
fn prepare_photo(db: &Db, data_dir: &Path, op: Op) -> Result<(Op, Option<AssetRef>)> {
    let Op::PhotoAdd {
        id,
        image,
        caption,
        credit,
        taken_at,
    } = op
    else {
        return Ok((op, None));
    };
    let image = stored_image(db, data_dir, &image, "the photo")?;
    let (thumbnail, _) = thumbnails::thumbnail_for(db, data_dir, &image)?;
    let op = Op::PhotoAdd {
        id,
        image,
        caption,
        credit,
        taken_at,
    };
    Ok((op, Some(thumbnail)))
}

/// A hall plan or a logo the operation names, replaced by the server's record of it.
fn refer_to_stored(db: &Db, data_dir: &Path, op: &mut Op) -> Result<()> {
    match op {
        Op::VenueMap { map, .. } => *map = stored_image(db, data_dir, map, "the hall plan")?,
        Op::ExhibitorEdit {
            logo: Some(logo), ..
        } => *logo = stored_image(db, data_dir, logo, "the logo")?,
        _ => {}
    }
    Ok(())
}

/// The server's record of an image an operation refers to (a photo, the hall plan): it must be
/// on the server, be the size the operation says and be a JPEG or PNG by its first bytes; the
/// record carries the type recognised and the dimensions read at upload.
fn stored_image(db: &Db, data_dir: &Path, image: &AssetRef, what: &str) -> Result<AssetRef> {
    let meta = db
        .read_blocking(|tx| blobs::meta(tx, &image.sha256))?
        .ok_or_else(|| {
            StoreError::refused(
                code::MISSING_ASSETS,
                format!(
                    "upload {what} first (PUT /v1/assets/{}): {}",
                    image.sha256, image.sha256
                ),
            )
        })?;
    if meta.bytes != image.bytes {
        return Err(StoreError::refused(
            code::INVALID_OP,
            format!(
                "{what} {} has {} bytes on the server, the operation says {}",
                image.sha256, meta.bytes, image.bytes
            ),
        ));
    }
    let path = blobs::local_path(db, data_dir, &image.sha256)?;
    let head = read_head(&path).map_err(StoreError::io("reading an image"))?;
    let sniffed = marktplatz_model::assets::sniff_image(&head)
        .map_err(|e| StoreError::refused(code::NOT_AN_IMAGE, format!("{what}: {e}")))?;
    let mut stored = meta.asset_ref();
    stored.media_type = sniffed.to_string();
    Ok(stored)
}

fn read_head(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut head = Vec::with_capacity(64);
    std::fs::File::open(path)?.take(64).read_to_end(&mut head)?;
    Ok(head)
}

/// Checks the base and the references, applies the operation and appends the result to the
/// log. Runs inside the writer's transaction. Returns the outcome and the entity's bodies
/// before and after.
fn apply_in(
    tx: &Tx<'_>,
    event_id: &str,
    epoch: &str,
    base: u64,
    op: &Op,
    thumbnail: Option<AssetRef>,
) -> Result<(OpOutcome, Option<String>, Option<String>)> {
    let (kind, id) = op.target();
    let row = current(tx, event_id, kind, id)?;
    let (current_seq, current_body) = match &row {
        Some((seq, body)) => (*seq, body.clone()),
        None => (0, None),
    };
    let current_version = || -> Result<CurrentVersion> {
        Ok(CurrentVersion {
            kind,
            id: id.to_string(),
            seq: current_seq,
            body: current_body
                .as_ref()
                .map(|b| RawValue::from_string(b.clone()))
                .transpose()
                .map_err(|e| StoreError::internal("reading a stored entity", e))?,
        })
    };
    if op.creates() {
        if current_body.is_some() {
            return Err(StoreError::conflict(
                format!("{kind} '{id}' exists already"),
                current_version()?,
            ));
        }
    } else if row.is_none() {
        return Err(StoreError::NotFound(format!(
            "there is no {kind} '{id}' in event '{event_id}'"
        )));
    } else if current_body.is_none() {
        return Err(StoreError::conflict(
            format!("{kind} '{id}' was removed (at version {current_seq})"),
            current_version()?,
        ));
    } else if base != current_seq {
        return Err(StoreError::conflict(
            format!(
                "{kind} '{id}' was changed by someone else: the operation was based on version {base}, the server has version {current_seq}"
            ),
            current_version()?,
        ));
    }
    for (ref_kind, ref_id) in op.references() {
        let live = matches!(current(tx, event_id, ref_kind, ref_id)?, Some((_, Some(_))));
        if !live {
            return Err(StoreError::refused(
                code::INVALID_OP,
                format!("{}: there is no {ref_kind} '{ref_id}'", op.name()),
            ));
        }
    }
    let entity = current_body
        .as_deref()
        .map(|body| Entity::from_json(kind, body))
        .transpose()
        .map_err(|e| StoreError::internal("reading a stored entity", e))?;
    let mut new = op
        .apply(entity.as_ref())
        .map_err(|e| StoreError::refused(code::INVALID_OP, e.to_string()))?;
    // A new photo gets the thumbnail the server made; an edit keeps the one it has.
    if let (Some(Entity::GalleryItem(item)), Some(thumbnail)) = (&mut new, thumbnail) {
        item.thumbnail = Some(thumbnail);
    }
    let new_body = new
        .as_ref()
        .map(Entity::to_json)
        .transpose()
        .map_err(|e| StoreError::internal("encoding an entity", e))?;
    if new_body == current_body {
        let outcome = OpOutcome {
            epoch: epoch.to_string(),
            kind,
            id: id.to_string(),
            seq: current_seq,
            changed: false,
        };
        return Ok((outcome, current_body, new_body));
    }
    let seq = change_log::append(
        tx,
        event_id,
        &[NewChange {
            kind,
            id: id.to_string(),
            body: new_body.clone(),
        }],
    )?;
    let outcome = OpOutcome {
        epoch: epoch.to_string(),
        kind,
        id: id.to_string(),
        seq,
        changed: true,
    };
    Ok((outcome, current_body, new_body))
}

/// The entity's row: its seq and body (`None` body: a tombstone). `None`: never existed (or
/// its tombstone was purged).
fn current(
    tx: &Tx<'_>,
    event_id: &str,
    kind: EntityKind,
    id: &str,
) -> Result<Option<(u64, Option<String>)>> {
    tx.query_opt(
        "SELECT seq, body FROM entity WHERE event_id = $1 AND kind = $2 AND id = $3",
        args![event_id, kind.as_str(), id],
        |r| Ok((r.get_u64(0)?, r.get(1)?)),
    )
}

/// How many operations were applied for the event (one stored result each).
pub fn applied_count(tx: &Tx<'_>, event_id: &str) -> Result<u64> {
    tx.query_one(
        "SELECT count(*) FROM op_result WHERE event_id = $1",
        args![event_id],
        |r| r.get_u64(0),
    )
}
