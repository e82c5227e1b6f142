//! Publishing a whole bundle: stores only what changed, entity by entity, in one transaction.
//!
//! Each entity's body is its canonical JSON (`Entity::to_json` of the parsed bundle), so a
//! republished file that only differs in layout changes nothing, and a changed session costs
//! exactly one log entry. Every publish is a snapshot of one source (`store::sources`): an
//! entity the source published before and no longer does becomes a tombstone, unless another
//! source still names it; entities no source names (organiser operations) are never removed.
//! A field changed since the source's last publish (a phone's edit) and left alone by the
//! file keeps its edit (`store::merge`). One [`plan`] is both the preview and the publish;
//! a plan with refusals (most sessions removed, the days changed) needs confirmation.

use std::path::Path;

use marktplatz_model::bundle::Bundle;
use marktplatz_model::model::{AssetRef, EntityKind};
use marktplatz_model::preview::{
    CONFIRM_PARAM, CONFIRM_YES, EntityChange, EntityRef, FieldEdit, Preview, REFUSAL_CHANGES_DAYS,
    REFUSAL_REMOVES_MOST_SESSIONS, Refusal, WARNING_KEPT_BY_OTHER_SOURCE, Warning, field_changes,
};
use marktplatz_model::source::{MAX_NOTE_CHARS, MAX_SOURCE_CHARS, is_valid_source};
use marktplatz_model::wire::{PublishOutcome, code};

use super::blobs;
use super::change_log::{self, NewChange};
use super::db::Db;
use super::engine::Tx;
use super::error::{Result, StoreError};
use super::merge;
use super::overrides;
use super::publish_keys::{self, PublishKey};
use super::releases::{self, Publisher};
use super::sources;
pub use super::steps::{Encoded, Step};
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
    publish_bundle_keyed(
        db,
        data_dir,
        event_id,
        by,
        bundle,
        tombstone_retention_secs,
        None,
    )
}

/// [`publish_bundle`], once per `key` when one is given: a publish sent again with the same
/// key (a retry after a lost answer, on any instance) is answered with the stored outcome and
/// records nothing (`publish_keys`).
pub fn publish_bundle_keyed(
    db: &Db,
    data_dir: &Path,
    event_id: &str,
    by: &Publisher,
    bundle: Bundle,
    tombstone_retention_secs: Option<i64>,
    key: Option<PublishKey>,
) -> Result<PublishOutcome> {
    let keyed = match key {
        Some(key) => Some((publish_keys::request_hash(by, &bundle)?, key)),
        None => None,
    };
    let (entities, thumbnails_made) = prepare(db, data_dir, event_id, by, bundle)?;
    let event_id = event_id.to_string();
    let by = by.clone();
    db.write_blocking(move |tx| {
        change_log::ensure_event(tx, &event_id)?;
        if let Some((hash, key)) = &keyed {
            // Under the event's row lock: a retry racing on another instance waits here and
            // then finds the first one's outcome.
            change_log::lock_head(tx, &event_id)?;
            if let Some(done) = publish_keys::stored(tx, &event_id, key, hash)? {
                return Ok(done);
            }
        }
        let mut outcome = apply(tx, &event_id, &by, &entities, tombstone_retention_secs)?;
        outcome.thumbnails_made = thumbnails_made;
        if let Some((hash, key)) = &keyed {
            publish_keys::remember(tx, &event_id, key, hash, &outcome)?;
        }
        Ok(outcome)
    })
}

/// Plans the publish of `entities` as `by.source`, refuses it if it needs confirmation, and
/// applies it: the source's record, the change log, the release. Inside the writer's
/// transaction.
fn apply(
    tx: &Tx<'_>,
    event_id: &str,
    by: &Publisher,
    entities: &[Encoded],
    tombstone_retention_secs: Option<i64>,
) -> Result<PublishOutcome> {
    // Locked before planning: the plan, the seqs and the release number all rest on this
    // event's state staying as read until the commit (another instance waits here).
    change_log::lock_head(tx, event_id)?;
    let plan = plan(tx, event_id, &by.source, entities)?;
    if !plan.refusals.is_empty() && !by.confirmed {
        let preview = plan.preview(change_log::require_head(tx, event_id)?.seq)?;
        return Err(StoreError::ConfirmationRequired {
            message: confirmation_message(&preview),
            preview: Box::new(preview),
        });
    }
    let mut outcome = plan.outcome.clone();
    sources::record(tx, event_id, &by.source, entities)?;
    outcome.seq = change_log::append(tx, event_id, &plan.changes())?;
    if let Some(secs) = tombstone_retention_secs {
        change_log::purge_tombstones(tx, event_id, secs)?;
    }
    outcome.epoch = change_log::require_head(tx, event_id)?.epoch;
    let release = releases::record(tx, event_id, by, &outcome, entities)?;
    overrides::mark(tx, event_id, release, &plan.steps)?;
    Ok(outcome)
}

/// Publishes again what release `to` published, as that release's source (`by.source` is
/// replaced by it; an empty note becomes "revert to release N"): new changes that bring the
/// source's content back to release `to`, so devices sync forward. Planned, guarded and
/// recorded as a release like any publish.
pub fn revert(
    db: &Db,
    event_id: &str,
    to: u64,
    by: &Publisher,
    tombstone_retention_secs: Option<i64>,
) -> Result<PublishOutcome> {
    check_publisher(by)?;
    let event_id = event_id.to_string();
    let by = by.clone();
    db.write_blocking(move |tx| {
        change_log::lock_head(tx, &event_id)?;
        let (by, entities) = reverting(tx, &event_id, to, by)?;
        apply(tx, &event_id, &by, &entities, tombstone_retention_secs)
    })
}

/// What [`revert`] to release `to` would do; stores nothing.
pub fn preview_revert(db: &Db, event_id: &str, to: u64, by: &Publisher) -> Result<Preview> {
    check_publisher(by)?;
    db.read_blocking(|tx| {
        let seq = change_log::require_head(tx, event_id)?.seq;
        let (by, entities) = reverting(tx, event_id, to, by.clone())?;
        plan(tx, event_id, &by.source, &entities)?.preview(seq)
    })
}

/// Release `to`'s snapshot, and `by` publishing as its source.
fn reverting(
    tx: &Tx<'_>,
    event_id: &str,
    to: u64,
    mut by: Publisher,
) -> Result<(Publisher, Vec<Encoded>)> {
    let (source, entities) = releases::content(tx, event_id, to)?;
    by.source = source;
    if by.note.is_empty() {
        by.note = format!("revert to release {to}");
    }
    Ok((by, entities))
}

/// What publishing `text` as `by` would do, field by field; stores no content, source or
/// release (gallery thumbnails, a cache of the images, are made as for a publish). The same
/// [`plan`] the publish applies.
pub fn preview_bundle_text(
    db: &Db,
    data_dir: &Path,
    event_id: &str,
    by: &Publisher,
    text: &str,
) -> Result<Preview> {
    let bundle = Bundle::from_json(text)?;
    let (entities, thumbnails_made) = prepare(db, data_dir, event_id, by, bundle)?;
    let mut preview = db.read_blocking(|tx| {
        let seq = change_log::head(tx, event_id)?.map_or(0, |head| head.seq);
        plan(tx, event_id, &by.source, &entities)?.preview(seq)
    })?;
    preview.outcome.thumbnails_made = thumbnails_made;
    Ok(preview)
}

/// The refused publish's message: its refusals, and how to confirm.
fn confirmation_message(preview: &Preview) -> String {
    let reasons: Vec<&str> = preview
        .refusals
        .iter()
        .map(|r| r.message.as_str())
        .collect();
    format!(
        "this publish needs confirmation: {}; check the preview and publish again with ?{CONFIRM_PARAM}={CONFIRM_YES}",
        reasons.join("; ")
    )
}

/// Everything a publish of one source would do: built once by [`plan`], rendered by
/// [`Plan::preview`] and applied by [`publish_bundle`], so a dry run is the publish.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    /// The entities that change, in the order they are logged.
    pub steps: Vec<Step>,
    pub outcome: PublishOutcome,
    pub kept: Vec<FieldEdit>,
    pub overridden: Vec<FieldEdit>,
    pub warnings: Vec<Warning>,
    pub refusals: Vec<Refusal>,
}

impl Plan {
    fn changes(&self) -> Vec<NewChange> {
        self.steps
            .iter()
            .map(|step| NewChange {
                kind: step.kind,
                id: step.id.clone(),
                body: step.after.clone(),
            })
            .collect()
    }

    /// The plan as organisers read it; `seq`: the event's head now.
    pub fn preview(&self, seq: u64) -> Result<Preview> {
        let mut preview = Preview {
            outcome: PublishOutcome {
                seq,
                ..self.outcome.clone()
            },
            kept: self.kept.clone(),
            overridden: self.overridden.clone(),
            warnings: self.warnings.clone(),
            refusals: self.refusals.clone(),
            ..Preview::default()
        };
        for step in &self.steps {
            let entity = EntityRef {
                kind: step.kind.as_str().to_string(),
                id: step.id.clone(),
            };
            match (&step.before, &step.after) {
                (_, None) => preview.removed.push(entity),
                (None, Some(_)) => preview.added.push(entity),
                (Some(before), Some(after)) => preview.updated.push(EntityChange {
                    fields: field_changes(&json_of(before)?, &json_of(after)?),
                    kind: entity.kind,
                    id: entity.id,
                }),
            }
        }
        Ok(preview)
    }
}

fn json_of(body: &str) -> Result<serde_json::Value> {
    serde_json::from_str(body).map_err(|e| StoreError::internal("reading a stored entity", e))
}

/// Builds what publishing `entities` as `source` does to `event_id`, reading only.
pub fn plan(tx: &Tx<'_>, event_id: &str, source: &str, entities: &[Encoded]) -> Result<Plan> {
    let live = change_log::live_bodies(tx, event_id)?;
    let mut previous = sources::published_by(tx, event_id, source)?;
    let previous_sessions = previous
        .keys()
        .filter(|(kind, _)| *kind == EntityKind::Session)
        .count();
    let mut plan = Plan::default();
    for (kind, id, body) in entities {
        let key = (*kind, id.clone());
        let before = live.get(&key);
        // Not published by this source before but there already (another source's, or an
        // operation's): only what the file says is said.
        let base = previous_publication(&mut previous, &key)
            .or_else(|| before.map(|_| merge::unsaid(body)));
        let after = match (&base, before) {
            // Changed since the source's last publish (a phone's edit, another source) and
            // by the file: merge field by field.
            (Some(base), Some(now)) if now != base && now != body => {
                let merged = merge::merge(*kind, base, now, body);
                let edit = |field: &String| field_edit(*kind, id, field, now, body);
                plan.kept.extend(merged.kept.iter().map(edit));
                plan.overridden.extend(merged.overridden.iter().map(edit));
                merged.body
            }
            _ => body.clone(),
        };
        match before {
            Some(old) if *old == after => plan.outcome.unchanged += 1,
            Some(_) => plan.outcome.updated += 1,
            None => plan.outcome.added += 1,
        }
        if before != Some(&after) {
            plan.steps.push(Step {
                kind: *kind,
                id: id.clone(),
                before: before.cloned(),
                after: Some(after),
            });
        }
    }
    // What this source published before and no longer does, unless another source still
    // names it (or an operation already removed it).
    let kept = sources::named_by_others(tx, event_id, source)?;
    let mut gone: Vec<(EntityKind, String)> = previous
        .into_keys()
        .filter(|key| live.contains_key(key))
        .collect();
    gone.sort();
    let mut removed_sessions = 0;
    for (kind, id) in gone {
        if kept.contains(&(kind, id.clone())) {
            plan.warnings.push(Warning {
                code: WARNING_KEPT_BY_OTHER_SOURCE.into(),
                kind: kind.as_str().to_string(),
                message: format!(
                    "{kind} '{id}' is no longer in this file, but another source names it: it stays"
                ),
                id,
            });
            continue;
        }
        if kind == EntityKind::Session {
            removed_sessions += 1;
        }
        plan.outcome.removed += 1;
        plan.steps.push(Step {
            before: live.get(&(kind, id.clone())).cloned(),
            kind,
            id,
            after: None,
        });
    }
    if removed_sessions * 2 > previous_sessions {
        plan.refusals.push(Refusal {
            code: REFUSAL_REMOVES_MOST_SESSIONS.into(),
            message: format!(
                "it would remove {removed_sessions} of the {previous_sessions} sessions source '{source}' published last (the wrong file?)"
            ),
            removed: removed_sessions as u64,
            of: previous_sessions as u64,
        });
    }
    if let Some(refusal) = days_refusal(&plan.steps)? {
        plan.refusals.push(refusal);
    }
    Ok(plan)
}

/// The source's previous publication of the entity the file names as `key`: the one place
/// where an incoming entity is matched to what its source published before (today by kind and
/// id). Taken out of `previous`, so what is left there is what the file no longer names.
fn previous_publication(
    previous: &mut sources::Published,
    key: &(EntityKind, String),
) -> Option<String> {
    previous.remove(key)
}

/// A field edit as the preview names it: the value stored now and the file's.
fn field_edit(kind: EntityKind, id: &str, field: &String, now: &str, file: &str) -> FieldEdit {
    let value = |body: &str| {
        serde_json::from_str::<serde_json::Value>(body)
            .ok()
            .and_then(|v| v.get(field).cloned())
    };
    FieldEdit {
        kind: kind.as_str().to_string(),
        id: id.to_string(),
        field: field.clone(),
        edit: value(now),
        file: value(file),
    }
}

/// A publish that changes the event's days (not its first publish) needs confirmation: the
/// wrong file dropped on the wrong event changes them first.
fn days_refusal(steps: &[Step]) -> Result<Option<Refusal>> {
    let Some(step) = steps.iter().find(|s| s.kind == EntityKind::Event) else {
        return Ok(None);
    };
    let (Some(before), Some(after)) = (&step.before, &step.after) else {
        return Ok(None);
    };
    let days = |body: &str| -> Result<serde_json::Value> {
        Ok(json_of(body)?.get("days").cloned().unwrap_or_default())
    };
    let (old, new) = (days(before)?, days(after)?);
    Ok((old != new).then(|| Refusal {
        code: REFUSAL_CHANGES_DAYS.into(),
        message: format!("it would change the event's days from {old} to {new}"),
        removed: 0,
        of: 0,
    }))
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
    check_publisher(by)?;
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

/// The release note and the source name must be acceptable.
fn check_publisher(by: &Publisher) -> Result<()> {
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
    Ok(())
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
