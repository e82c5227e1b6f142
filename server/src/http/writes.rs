//! The writes every front end shares: the HTTP API's routes and the organiser console call
//! these, so an operation or a publish is applied, announced to long-polls and logged the same
//! way whoever sent it (`docs/adr/0016-organiser-console.md`: no second write path).

use marktplatz_model::bundle::Bundle;
use marktplatz_model::source::Preview;
use marktplatz_model::wire::PublishOutcome;

use crate::http::state::AppState;
use crate::store::auth::Principal;
use crate::store::publish_keys::PublishKey;
use crate::store::releases::Publisher;
use crate::store::{self, ops, publish};

/// Applies one organiser operation (`body`: the request as received) and wakes the event's
/// long-polls when it changed something.
pub async fn apply_op(
    state: &AppState,
    event: &str,
    principal: Principal,
    key: String,
    body: Vec<u8>,
) -> store::Result<ops::Applied> {
    let (db, data_dir) = (state.db.clone(), state.config.data_dir.clone());
    let (applied_event, subject) = (event.to_string(), principal.subject.clone());
    let applied = store::blocking("applying an operation", move || {
        ops::apply(&db, &data_dir, &applied_event, &principal, &key, &body)
    })
    .await??;
    let outcome = applied.outcome();
    if outcome.changed {
        state.heads.wake(event);
    }
    tracing::info!(
        event,
        subject,
        kind = %outcome.kind,
        id = outcome.id,
        seq = outcome.seq,
        changed = outcome.changed,
        replayed = matches!(applied, ops::Applied::Replayed(_)),
        "operation"
    );
    Ok(applied)
}

/// Publishes the bundle `read` gives (run off the async runtime with the publish: parsing a
/// large bundle is work) as a release of `by.source`, and wakes the event's long-polls.
pub async fn publish(
    state: &AppState,
    event: &str,
    token_id: &str,
    by: Publisher,
    key: Option<PublishKey>,
    read: impl FnOnce() -> store::Result<Bundle> + Send + 'static,
) -> store::Result<PublishOutcome> {
    let (db, data_dir) = (state.db.clone(), state.config.data_dir.clone());
    let retention = state.config.tombstone_retention_secs;
    let published = event.to_string();
    let source = by.source.clone();
    let outcome = store::blocking("publishing", move || {
        publish::publish_bundle_keyed(&db, &data_dir, &published, &by, read()?, retention, key)
    })
    .await??;
    released(state, event, token_id, &source, None, &outcome);
    Ok(outcome)
}

/// What [`publish()`] of the bundle `text` would do, storing nothing.
pub async fn preview(
    state: &AppState,
    event: &str,
    by: Publisher,
    text: String,
) -> store::Result<Preview> {
    let (db, data_dir) = (state.db.clone(), state.config.data_dir.clone());
    let event = event.to_string();
    store::blocking("previewing", move || {
        publish::preview_bundle_text(&db, &data_dir, &event, &by, &text)
    })
    .await?
}

/// Publishes again what release `to` published, as that release's source
/// (`store::publish::revert`, guarded like a publish), and wakes the event's long-polls: the
/// API's `POST /v1/events/{e}/revert` and the console's releases page.
pub async fn revert(
    state: &AppState,
    event: &str,
    token_id: &str,
    to: u64,
    by: Publisher,
) -> store::Result<PublishOutcome> {
    let (db, retention) = (state.db.clone(), state.config.tombstone_retention_secs);
    let reverted = event.to_string();
    let outcome = store::blocking("reverting", move || {
        publish::revert(&db, &reverted, to, &by, retention)
    })
    .await??;
    released(state, event, token_id, "", Some(to), &outcome);
    Ok(outcome)
}

/// What [`revert()`] to release `to` would do, storing nothing.
pub async fn preview_revert(
    state: &AppState,
    event: &str,
    to: u64,
    by: Publisher,
) -> store::Result<Preview> {
    let db = state.db.clone();
    let event = event.to_string();
    store::blocking("previewing a revert", move || {
        publish::preview_revert(&db, &event, to, &by)
    })
    .await?
}

/// After a publish or a revert (`reverted_to`): wakes the event's long-polls and logs the
/// release.
fn released(
    state: &AppState,
    event: &str,
    token_id: &str,
    source: &str,
    reverted_to: Option<u64>,
    outcome: &PublishOutcome,
) {
    state.heads.wake(event);
    tracing::info!(
        event,
        token = token_id,
        source,
        reverted_to,
        seq = outcome.seq,
        added = outcome.added,
        updated = outcome.updated,
        removed = outcome.removed,
        "{}",
        if reverted_to.is_some() {
            "reverted"
        } else {
            "published"
        }
    );
}
