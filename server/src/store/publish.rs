//! Publishing a whole bundle: stores only what changed, entity by entity, in one transaction.
//!
//! Each entity's body is its canonical JSON (`Entity::to_json` of the parsed bundle), so a
//! republished file that only differs in layout changes nothing, and a changed session costs
//! exactly one log entry. Every publish is a snapshot of one source (`store::sources`): an
//! entity the source published before and no longer does becomes a tombstone, unless another
//! source still names it; entities no source names (organiser operations) are never removed.

use std::collections::BTreeSet;
use std::path::Path;

use marktplatz_model::bundle::Bundle;
use marktplatz_model::model::{AssetRef, EntityKind};
use marktplatz_model::source::{
    EntityRef, MAX_NOTE_CHARS, MAX_SOURCE_CHARS, Preview, is_valid_source,
};
use marktplatz_model::wire::{PublishOutcome, code};

use super::blobs;
use super::change_log::{self, NewChange};
use super::db::Db;
use super::error::{Result, StoreError};
use super::releases::{self, Publisher};
use super::sources;
use super::thumbnails;

/// Parses, checks and publishes a bundle for `event_id` (blocking: call off the async runtime).
pub fn publish_bundle_text(
    db: &Db,
    data_dir: &Path,
    event_id: &str,
    by: &Publisher,
    text: &str,
    tombstone_retention_secs: Option<i64>,
) -> Result<PublishOutcome> {
    let bundle = Bundle::from_json(text)?;
    publish_bundle(db, data_dir, event_id, by, bundle, tombstone_retention_secs)
}

pub fn publish_bundle(
    db: &Db,
    data_dir: &Path,
    event_id: &str,
    by: &Publisher,
    bundle: Bundle,
    tombstone_retention_secs: Option<i64>,
) -> Result<PublishOutcome> {
    let (entities, thumbnails_made) = prepare(db, data_dir, event_id, by, bundle)?;
    let event_id = event_id.to_string();
    let by = by.clone();
    db.write_blocking(move |tx| {
        change_log::ensure_event(tx, &event_id)?;
        let plan = plan(tx, &event_id, &by.source, &entities)?;
        let mut outcome = plan.outcome;
        outcome.thumbnails_made = thumbnails_made;
        sources::record(tx, &event_id, &by.source, &entities)?;
        outcome.seq = change_log::append(tx, &event_id, &plan.changes)?;
        if let Some(secs) = tombstone_retention_secs {
            change_log::purge_tombstones(tx, &event_id, secs)?;
        }
        outcome.epoch = change_log::require_head(tx, &event_id)?.epoch;
        releases::record(tx, &event_id, &by, &outcome)?;
        Ok(outcome)
    })
}

/// What publishing `text` as `by` would do, entity by entity; stores no content, source or
/// release (gallery thumbnails, a cache of the images, are made as for a publish).
pub fn preview_bundle_text(
    db: &Db,
    data_dir: &Path,
    event_id: &str,
    by: &Publisher,
    text: &str,
) -> Result<Preview> {
    let bundle = Bundle::from_json(text)?;
    let (entities, thumbnails_made) = prepare(db, data_dir, event_id, by, bundle)?;
    let plan = db.read_blocking(|tx| plan(tx, event_id, &by.source, &entities))?;
    let named = |change: &NewChange| EntityRef {
        kind: change.kind.as_str().to_string(),
        id: change.id.clone(),
    };
    let mut preview = Preview {
        outcome: PublishOutcome {
            thumbnails_made,
            ..plan.outcome
        },
        ..Preview::default()
    };
    preview.outcome.seq = db
        .read_blocking(|tx| change_log::head(tx, event_id))?
        .map_or(0, |head| head.seq);
    for change in &plan.changes {
        match (
            &change.body,
            plan.live.contains(&(change.kind, change.id.clone())),
        ) {
            (None, _) => preview.removed.push(named(change)),
            (Some(_), true) => preview.updated.push(named(change)),
            (Some(_), false) => preview.added.push(named(change)),
        }
    }
    Ok(preview)
}

/// An entity of the bundle: kind, id and canonical body.
type Encoded = (EntityKind, String, String);

/// The changes a publish of `entities` as `source` makes, and its counts.
struct Plan {
    changes: Vec<NewChange>,
    outcome: PublishOutcome,
    /// The entities live before it.
    live: BTreeSet<(EntityKind, String)>,
}

fn plan(
    tx: &rusqlite::Transaction<'_>,
    event_id: &str,
    source: &str,
    entities: &[Encoded],
) -> Result<Plan> {
    let live = change_log::live_bodies(tx, event_id)?;
    let mut previous = sources::published_by(tx, event_id, source)?;
    let mut outcome = PublishOutcome::default();
    let mut changes = Vec::new();
    for (kind, id, body) in entities {
        let key = (*kind, id.clone());
        previous.remove(&key);
        match live.get(&key) {
            Some(old) if old == body => outcome.unchanged += 1,
            Some(_) => outcome.updated += 1,
            None => outcome.added += 1,
        }
        if live.get(&key) != Some(body) {
            changes.push(NewChange {
                kind: *kind,
                id: id.clone(),
                body: Some(body.clone()),
            });
        }
    }
    // What this source published before and no longer does, unless another source still
    // names it (or an operation already removed it).
    let kept = sources::named_by_others(tx, event_id, source)?;
    let gone: BTreeSet<(EntityKind, String)> = previous
        .into_keys()
        .filter(|key| live.contains_key(key) && !kept.contains(key))
        .collect();
    for (kind, id) in gone {
        outcome.removed += 1;
        changes.push(NewChange {
            kind,
            id,
            body: None,
        });
    }
    Ok(Plan {
        changes,
        outcome,
        live: live.into_keys().collect(),
    })
}

/// Checks the request and the bundle, makes missing gallery thumbnails, and encodes each
/// entity's canonical body.
fn prepare(
    db: &Db,
    data_dir: &Path,
    event_id: &str,
    by: &Publisher,
    mut bundle: Bundle,
) -> Result<(Vec<Encoded>, u64)> {
    let source = by.source.as_str();
    if by.note.chars().count() > MAX_NOTE_CHARS {
        return Err(StoreError::Malformed {
            code: code::BAD_REQUEST,
            message: format!("the release note is longer than {MAX_NOTE_CHARS} characters"),
        });
    }
    if !is_valid_source(source) {
        return Err(StoreError::Malformed {
            code: code::BAD_REQUEST,
            message: format!(
                "'{source}' is not a source name (1 to {MAX_SOURCE_CHARS} letters, digits, '.', '_' or '-')"
            ),
        });
    }
    bundle.validate()?;
    if bundle.event.id != event_id {
        return Err(StoreError::refused(
            code::EVENT_MISMATCH,
            format!(
                "the bundle is for event '{}', but was sent to event '{event_id}'",
                bundle.event.id
            ),
        ));
    }
    check_assets(db, &bundle)?;
    let thumbnails_made = thumbnails::fill_gallery_thumbnails(db, data_dir, &mut bundle)?;

    let mut entities = Vec::with_capacity(bundle.entity_count());
    for entity in bundle.entities() {
        let body = entity.to_json().map_err(|e| {
            StoreError::internal(
                "encoding an entity",
                format!("{} '{}': {e}", entity.kind(), entity.id()),
            )
        })?;
        entities.push((entity.kind(), entity.id().to_string(), body));
    }
    Ok((entities, thumbnails_made))
}

/// Every referenced asset must be on the server already, with the size the bundle claims.
fn check_assets(db: &Db, bundle: &Bundle) -> Result<()> {
    let refs: Vec<(String, AssetRef)> = bundle
        .entities()
        .iter()
        .flat_map(|entity| {
            let name = format!("{} '{}'", entity.kind(), entity.id());
            entity
                .assets()
                .into_iter()
                .map(move |a| (name.clone(), a.clone()))
        })
        .collect();
    db.read_blocking(|tx| {
        let mut missing = Vec::new();
        for (name, asset) in &refs {
            match blobs::meta(tx, &asset.sha256)? {
                None => {
                    if !missing.contains(&asset.sha256) {
                        missing.push(asset.sha256.clone());
                    }
                }
                Some(meta) if meta.bytes != asset.bytes => {
                    return Err(StoreError::refused(
                        code::INVALID_BUNDLE,
                        format!(
                            "{name}: asset {} has {} bytes on the server, the bundle says {}",
                            asset.sha256, meta.bytes, asset.bytes
                        ),
                    ));
                }
                Some(_) => {}
            }
        }
        if missing.is_empty() {
            Ok(())
        } else {
            Err(StoreError::refused(
                code::MISSING_ASSETS,
                format!(
                    "upload these assets first (PUT /v1/assets/<sha256>): {}",
                    missing.join(", ")
                ),
            ))
        }
    })
}
