//! What became of organiser operations after later publishes (table `op_effect`): each applied
//! operation's effect (the fields it set, with their values), and the release that undid it.
//! An operation is overridden by release N when publish N sets one of its fields to another
//! value or removes its entity; one a later operation set again is superseded, not overridden
//! (`docs/adr/0013-safe-publishing.md`).

use super::engine::{Tx, args};
use serde_json::{Map, Value};

use marktplatz_model::model::EntityKind;
use marktplatz_model::preview::{OverriddenOp, field_changes};

/// Effects are kept as long as the results of their operations (a device asks within days).
pub const KEEP_RESULTS_SECS: i64 = 30 * 24 * 3600;

use super::db::now;
use super::error::{Result, StoreError};
use super::steps::Step;

/// Remembers what the operation `key` of `subject` did to `kind` `id` (bodies before and
/// after; `None`: absent), and drops the fields it sets again from earlier operations.
pub fn record(
    tx: &Tx<'_>,
    event_id: &str,
    (subject, key): (&str, &str),
    (kind, id): (EntityKind, &str),
    before: Option<&str>,
    after: Option<&str>,
) -> Result<()> {
    let Some(after) = after else {
        return Ok(());
    };
    let old = before
        .map(parse)
        .transpose()?
        .unwrap_or_else(|| Value::Object(Map::new()));
    let fields: Map<String, Value> = field_changes(&old, &parse(after)?)
        .into_iter()
        .filter_map(|change| Some((change.field, change.new?)))
        .collect();
    if fields.is_empty() {
        return Ok(());
    }
    for (earlier, mut set) in active(tx, event_id, kind, id)? {
        set.retain(|field, _| !fields.contains_key(field));
        let (subject, key) = &earlier;
        if set.is_empty() {
            tx.execute(
                "DELETE FROM op_effect WHERE event_id = $1 AND subject = $2 AND key = $3",
                args![event_id, subject, key],
            )?;
        } else {
            tx.execute("UPDATE op_effect SET fields = $4 WHERE event_id = $1 AND subject = $2 AND key = $3", args![event_id, subject, key, Value::Object(set).to_string()])?;
        }
    }
    tx.execute(
        "INSERT INTO op_effect (event_id, subject, key, kind, id, fields, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (event_id, subject, key) DO UPDATE SET kind = excluded.kind,
           id = excluded.id, fields = excluded.fields, overridden_by = NULL,
           created_at = excluded.created_at",
        args![
            event_id,
            subject,
            key,
            kind.as_str(),
            id,
            Value::Object(fields).to_string(),
            now()
        ],
    )?;
    tx.execute(
        "DELETE FROM op_effect WHERE created_at < $1",
        args![now() - KEEP_RESULTS_SECS],
    )?;
    Ok(())
}

/// Marks the operations whose effect the publish `steps` (release `release`) undid.
pub fn mark(tx: &Tx<'_>, event_id: &str, release: u64, steps: &[Step]) -> Result<()> {
    let release = i64::try_from(release).unwrap_or(i64::MAX);
    for step in steps {
        let effects = active(tx, event_id, step.kind, &step.id)?;
        if effects.is_empty() {
            continue;
        }
        let after = step.after.as_deref().map(parse).transpose()?;
        for ((subject, key), fields) in effects {
            let undone = match &after {
                None => true,
                Some(body) => fields
                    .iter()
                    .any(|(field, value)| body.get(field) != Some(value)),
            };
            if undone {
                tx.execute(
                    "UPDATE op_effect SET overridden_by = $4
                     WHERE event_id = $1 AND subject = $2 AND key = $3",
                    args![event_id, subject, key, release],
                )?;
            }
        }
    }
    Ok(())
}

/// The operations of `subject` in `event_id` that a publish undid, by release.
pub fn overridden(tx: &Tx<'_>, event_id: &str, subject: &str) -> Result<Vec<OverriddenOp>> {
    tx.query_all(
        "SELECT key, overridden_by FROM op_effect
         WHERE event_id = $1 AND subject = $2 AND overridden_by IS NOT NULL
         ORDER BY overridden_by, created_at, key",
        args![event_id, subject],
        |r| {
            Ok(OverriddenOp {
                key: r.get(0)?,
                release: r.get_u64(1)?,
            })
        },
    )
}

/// The effects on an entity no publish has undone yet: (subject, key) and the fields set.
type Effects = Vec<((String, String), Map<String, Value>)>;

fn active(tx: &Tx<'_>, event_id: &str, kind: EntityKind, id: &str) -> Result<Effects> {
    let mut effects = Vec::new();
    tx.query_each(
        "SELECT subject, key, fields FROM op_effect
         WHERE event_id = $1 AND kind = $2 AND id = $3 AND overridden_by IS NULL",
        args![event_id, kind.as_str(), id],
        |row| {
            let fields: String = row.get(2)?;
            let Value::Object(fields) = parse(&fields)? else {
                return Err(StoreError::internal(
                    "reading an operation's effect",
                    "not an object",
                ));
            };
            effects.push(((row.get(0)?, row.get(1)?), fields));
            Ok(true)
        },
    )?;
    Ok(effects)
}

fn parse(body: &str) -> Result<Value> {
    serde_json::from_str(body).map_err(|e| StoreError::internal("reading a stored body", e))
}
