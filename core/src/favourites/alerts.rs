//! Change alerts: a favourited session moved, changed place, was renamed, cancelled or removed.
//!
//! The sync (through the device's `PullHooks`, `crate::device`) calls [`record_change_alerts`]
//! with the changes of each applied page (inside the content transaction, just before it
//! commits), and [`notify_alerts`] once it committed. Each favourited session has a baseline in
//! user.db (`favourite.known`: the state last seen); a change that differs from it opens an
//! unseen alert or folds into the open one, which keeps the oldest `old` and the latest `new`.
//! A change back to the `old` state removes the alert: the attendee sees the net change once.
//!
//! Recording is idempotent: the baseline moves to the new state in the same user.db transaction
//! as the alert, so applying the same page again (after a crash before content.db committed)
//! finds nothing new.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction, params};

use super::known::{KnownName, KnownSession};
use super::{FavouriteKind, clock_of, store_known, stored_known};
use crate::error::{Result, SqliteContext};
use crate::listeners::Listeners;
use crate::store::{AppliedChange, Store};
use marktplatz_model::model::{Entity, EntityKind, Location, SessionStatus};
use marktplatz_model::time::EventClock;

/// Drops the unseen alert of a session (its favourite was removed), in the caller's user.db
/// transaction; the caller tells the listeners once it committed.
pub(super) fn drop_unseen(tx: &Transaction<'_>, event_id: &str, session_id: &str) -> Result<()> {
    tx.prepare_cached(
        "DELETE FROM alert WHERE event_id = ?1 AND session_id = ?2 AND seen_at IS NULL",
    )
    .and_then(|mut s| s.execute(params![event_id, session_id]))
    .context("removing the favourite's alert")?;
    Ok(())
}

/// Who is told when an event's alerts change: held beside the store by whoever shows alerts
/// (the [`crate::device::Device`]), passed to every call that can change them.
pub type AlertListeners = Listeners<AlertNotice>;

/// What the shells are told when alerts change (recorded, folded, or marked seen).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlertNotice {
    pub event_id: String,
    /// Unseen alerts of the event after the change.
    pub unseen: u32,
}

/// The result of recording a page's changes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AlertsRecorded {
    /// Alerts opened, updated or dissolved (a change back to the old state).
    pub changed: u32,
}

/// One aspect of a net change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AlertChange {
    /// Start or end time changed.
    Moved,
    /// Another location.
    Relocated,
    Retitled,
    Cancelled,
    /// A cancelled session is back on.
    Reinstated,
    Removed,
    /// A removed session is back in the programme.
    Restored,
}

impl AlertChange {
    pub fn as_str(self) -> &'static str {
        match self {
            AlertChange::Moved => "moved",
            AlertChange::Relocated => "relocated",
            AlertChange::Retitled => "retitled",
            AlertChange::Cancelled => "cancelled",
            AlertChange::Reinstated => "reinstated",
            AlertChange::Removed => "removed",
            AlertChange::Restored => "restored",
        }
    }
}

/// A net change to a favourited session, with the values before and after.
#[derive(Clone, Debug, PartialEq)]
pub struct ChangeAlert {
    pub id: i64,
    pub event_id: String,
    pub session_id: String,
    pub changes: Vec<AlertChange>,
    /// The session as last seen before the first unseen change.
    pub old: KnownSession,
    /// The session after the latest change (`removed` set when it was removed).
    pub new: KnownSession,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub seen_at: Option<DateTime<Utc>>,
}

impl ChangeAlert {
    /// The aspects in which `new` differs from `old`.
    pub fn changes_between(old: &KnownSession, new: &KnownSession) -> Vec<AlertChange> {
        match (old.removed, new.removed) {
            (false, true) => return vec![AlertChange::Removed],
            (true, false) => {
                let mut changes = vec![AlertChange::Restored];
                if new.status == SessionStatus::Cancelled {
                    changes.push(AlertChange::Cancelled);
                }
                return changes;
            }
            _ => {}
        }
        let mut changes = Vec::new();
        match (old.status, new.status) {
            (SessionStatus::Scheduled, SessionStatus::Cancelled) => {
                changes.push(AlertChange::Cancelled)
            }
            (SessionStatus::Cancelled, SessionStatus::Scheduled) => {
                changes.push(AlertChange::Reinstated)
            }
            _ => {}
        }
        if old.start != new.start || old.end != new.end {
            changes.push(AlertChange::Moved);
        }
        if old.location_id != new.location_id {
            changes.push(AlertChange::Relocated);
        }
        if old.title != new.title {
            changes.push(AlertChange::Retitled);
        }
        changes
    }
}

/// What the baseline of one favourite is compared with.
enum Observed {
    Session {
        id: String,
        /// The state before the change as the change itself reports it: the baseline for a
        /// favourite that has none yet (one from before alerts existed).
        reported_old: Option<Box<KnownSession>>,
        new: Box<KnownSession>,
    },
    Named {
        kind: FavouriteKind,
        id: String,
        new: KnownName,
    },
}

/// Records alerts for the favourited sessions among one applied page's `changes`, in its own
/// user.db transaction. Safe to call again with the same page (no second alert). Returns how
/// many alerts changed.
///
/// Listeners are not called here: the caller is inside its content transaction, and a
/// listener may read (or write) the store. Once that transaction committed, the caller calls
/// [`notify_alerts`] if anything changed.
pub fn record_change_alerts(
    store: &Store,
    event_id: &str,
    changes: &[AppliedChange],
) -> Result<AlertsRecorded> {
    let relevant = changes.iter().any(|c| {
        matches!(
            c.kind,
            EntityKind::Session | EntityKind::Speaker | EntityKind::Exhibitor
        ) && !c.is_noop()
    });
    if !relevant {
        return Ok(AlertsRecorded::default());
    }
    let (clock, locations) = page_context(store, event_id, changes)?;
    let mut observed = Vec::new();
    for change in changes.iter().filter(|c| !c.is_noop()) {
        let snapshot = |entity: &Option<Entity>| match entity {
            Some(Entity::Session(s)) => {
                Some(KnownSession::from_session(s, clock.as_ref(), &locations))
            }
            _ => None,
        };
        match change.kind {
            EntityKind::Session => {
                let reported_old = snapshot(&change.old);
                let new = match snapshot(&change.new) {
                    Some(new) => new,
                    None => match &reported_old {
                        Some(old) => old.clone().into_removed(),
                        // Deleting what was never there: nothing to say.
                        None => continue,
                    },
                };
                observed.push(Observed::Session {
                    id: change.id.clone(),
                    reported_old: reported_old.map(Box::new),
                    new: Box::new(new),
                });
            }
            EntityKind::Speaker | EntityKind::Exhibitor => {
                let kind = if change.kind == EntityKind::Speaker {
                    FavouriteKind::Speaker
                } else {
                    FavouriteKind::Exhibitor
                };
                let name = |e: &Option<Entity>| match e {
                    Some(Entity::Speaker(s)) => Some(s.name.clone()),
                    Some(Entity::Exhibitor(x)) => Some(x.name.clone()),
                    _ => None,
                };
                let new = match (name(&change.new), name(&change.old)) {
                    (Some(title), _) => KnownName {
                        title,
                        removed: false,
                    },
                    (None, Some(title)) => KnownName {
                        title,
                        removed: true,
                    },
                    (None, None) => continue,
                };
                observed.push(Observed::Named {
                    kind,
                    id: change.id.clone(),
                    new,
                });
            }
            _ => {}
        }
    }
    fold_observed(store, event_id, observed)
}

/// Compares every favourite of the event with the content now on the device and records what
/// changed: the sync calls this after a re-bootstrap (epoch change, content reset), where
/// sessions removed meanwhile produce no change of their own. Does nothing while the event's
/// content is absent. Called outside any content transaction, it tells the listeners itself.
pub fn reconcile_favourites(
    store: &Store,
    listeners: &AlertListeners,
    event_id: &str,
) -> Result<AlertsRecorded> {
    if super::event_clock(store, event_id)?.is_none() {
        return Ok(AlertsRecorded::default());
    }
    let rows = super::favourite_rows(store, event_id)?;
    let session_ids: Vec<String> = rows
        .iter()
        .filter(|r| r.kind == FavouriteKind::Session)
        .map(|r| r.id.clone())
        .collect();
    let current: HashMap<String, KnownSession> = store
        .session_summaries(event_id, &session_ids)?
        .iter()
        .map(|s| (s.id.clone(), KnownSession::from_summary(s)))
        .collect();
    let mut observed = Vec::new();
    for row in rows {
        match row.kind {
            FavouriteKind::Session => {
                let new = match current.get(&row.id) {
                    Some(now) => now.clone(),
                    None => match row.known.as_deref().map(KnownSession::from_json) {
                        Some(last) => last?.into_removed(),
                        None => continue,
                    },
                };
                observed.push(Observed::Session {
                    id: row.id,
                    reported_old: None,
                    new: Box::new(new),
                });
            }
            FavouriteKind::Speaker | FavouriteKind::Exhibitor => {
                let new = match store.entity(event_id, row.kind.entity_kind(), &row.id)? {
                    Some(Entity::Speaker(s)) => KnownName {
                        title: s.name,
                        removed: false,
                    },
                    Some(Entity::Exhibitor(x)) => KnownName {
                        title: x.name,
                        removed: false,
                    },
                    _ => match row.known.as_deref().map(KnownName::from_json) {
                        Some(last) => KnownName {
                            removed: true,
                            ..last?
                        },
                        None => continue,
                    },
                };
                observed.push(Observed::Named {
                    kind: row.kind,
                    id: row.id,
                    new,
                });
            }
        }
    }
    let recorded = fold_observed(store, event_id, observed)?;
    if recorded.changed > 0 {
        notify_alerts(store, listeners, event_id)?;
    }
    Ok(recorded)
}

/// Alerts of an event, newest first; with `include_seen` also those already acknowledged.
pub fn alerts(store: &Store, event_id: &str, include_seen: bool) -> Result<Vec<ChangeAlert>> {
    store.read_user(|tx| {
        let mut stmt = tx
            .prepare_cached(
                "SELECT id, session_id, old, new, created_at, updated_at, seen_at FROM alert
                 WHERE event_id = ?1 AND (?2 OR seen_at IS NULL)
                 ORDER BY updated_at DESC, id DESC",
            )
            .context("listing alerts")?;
        let rows = stmt
            .query_map(params![event_id, include_seen], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, i64>(4)?,
                    r.get::<_, i64>(5)?,
                    r.get::<_, Option<i64>>(6)?,
                ))
            })
            .context("listing alerts")?;
        let mut alerts = Vec::new();
        for row in rows {
            let (id, session_id, old, new, created, updated, seen) =
                row.context("listing alerts")?;
            let old = KnownSession::from_json(&old)?;
            let new = KnownSession::from_json(&new)?;
            alerts.push(ChangeAlert {
                id,
                event_id: event_id.to_string(),
                session_id,
                changes: ChangeAlert::changes_between(&old, &new),
                old,
                new,
                created_at: instant(created),
                updated_at: instant(updated),
                seen_at: seen.map(instant),
            });
        }
        Ok(alerts)
    })
}

pub fn unseen_alerts(store: &Store, event_id: &str) -> Result<Vec<ChangeAlert>> {
    alerts(store, event_id, false)
}

/// Marks the given alerts seen; returns how many were unseen.
pub fn mark_alerts_seen(
    store: &Store,
    listeners: &AlertListeners,
    event_id: &str,
    ids: &[i64],
) -> Result<usize> {
    let now = Utc::now().timestamp();
    let marked = store.write_user(|tx| {
        let mut stmt = tx
            .prepare_cached(
                "UPDATE alert SET seen_at = ?3 WHERE event_id = ?1 AND id = ?2 AND seen_at IS NULL",
            )
            .context("marking alerts seen")?;
        let mut marked = 0;
        for id in ids {
            marked += stmt
                .execute(params![event_id, id, now])
                .context("marking an alert seen")?;
        }
        Ok(marked)
    })?;
    if marked > 0 {
        notify_alerts(store, listeners, event_id)?;
    }
    Ok(marked)
}

pub fn mark_all_alerts_seen(
    store: &Store,
    listeners: &AlertListeners,
    event_id: &str,
) -> Result<usize> {
    let now = Utc::now().timestamp();
    let marked = store.write_user(|tx| {
        tx.prepare_cached("UPDATE alert SET seen_at = ?2 WHERE event_id = ?1 AND seen_at IS NULL")
            .and_then(|mut s| s.execute(params![event_id, now]))
            .context("marking alerts seen")
    })?;
    if marked > 0 {
        notify_alerts(store, listeners, event_id)?;
    }
    Ok(marked)
}

/// The unseen alerts not yet shown as a notification in their current form (new, or
/// changed since they were shown), marked as shown in the same transaction. The shells call
/// this after every sync and post one notification per alert returned, so the same change
/// is never announced twice, and a further change to it is announced again.
pub fn take_alerts_to_notify(store: &Store, event_id: &str) -> Result<Vec<ChangeAlert>> {
    let now = Utc::now().timestamp();
    let taken: Vec<i64> = store.write_user(|tx| {
        let ids = tx
            .prepare_cached(
                "SELECT id FROM alert
                 WHERE event_id = ?1 AND seen_at IS NULL AND notified_at IS NULL",
            )
            .and_then(|mut s| {
                s.query_map([event_id], |r| r.get(0))?
                    .collect::<rusqlite::Result<Vec<i64>>>()
            })
            .context("listing alerts to notify")?;
        let mut mark = tx
            .prepare_cached("UPDATE alert SET notified_at = ?2 WHERE id = ?1")
            .context("marking alerts notified")?;
        for id in &ids {
            mark.execute(params![id, now])
                .context("marking an alert notified")?;
        }
        Ok(ids)
    })?;
    if taken.is_empty() {
        return Ok(Vec::new());
    }
    Ok(alerts(store, event_id, false)?
        .into_iter()
        .filter(|alert| taken.contains(&alert.id))
        .collect())
}

pub fn unseen_alert_count(store: &Store, event_id: &str) -> Result<u32> {
    store.read_user(|tx| unseen_count(tx, event_id))
}

/// Tells the alert listeners the event's unseen count. Marking seen and removing a favourite
/// call this themselves; the sync calls it after committing a page that changed alerts.
/// Listeners run on the calling thread; one that panics is skipped.
pub fn notify_alerts(store: &Store, listeners: &AlertListeners, event_id: &str) -> Result<()> {
    if listeners.is_empty() {
        return Ok(());
    }
    let unseen = unseen_alert_count(store, event_id)?;
    listeners.emit(&AlertNotice {
        event_id: event_id.to_string(),
        unseen,
    });
    Ok(())
}

/// The event clock and locations to describe a page's sessions with: from the page itself
/// where it carries them (not committed yet), else from the content on the device.
fn page_context(
    store: &Store,
    event_id: &str,
    changes: &[AppliedChange],
) -> Result<(Option<EventClock>, HashMap<String, Location>)> {
    let mut clock = super::event_clock(store, event_id)?;
    let mut locations = super::location_map(store, event_id)?;
    for change in changes {
        match &change.new {
            Some(Entity::Event(event)) => clock = Some(clock_of(event)?),
            Some(Entity::Location(location)) => {
                locations.insert(location.id.clone(), location.clone());
            }
            _ => {}
        }
    }
    Ok((clock, locations))
}

fn fold_observed(store: &Store, event_id: &str, observed: Vec<Observed>) -> Result<AlertsRecorded> {
    if observed.is_empty() {
        return Ok(AlertsRecorded::default());
    }
    let now = Utc::now().timestamp();
    let recorded = store.write_user(|tx| {
        let mut recorded = AlertsRecorded::default();
        for item in &observed {
            match item {
                Observed::Session {
                    id,
                    reported_old,
                    new,
                } => {
                    if fold_session(tx, event_id, id, reported_old.as_deref(), new, now)? {
                        recorded.changed += 1;
                    }
                }
                Observed::Named { kind, id, new } => {
                    if stored_known(tx, event_id, *kind, id)?.is_some() {
                        store_known(tx, event_id, *kind, id, &new.to_json()?)?;
                    }
                }
            }
        }
        Ok(recorded)
    })?;
    Ok(recorded)
}

/// Folds one observed state of a session into its favourite's baseline and alert. Returns
/// whether an alert was opened, changed or dissolved.
fn fold_session(
    tx: &Transaction<'_>,
    event_id: &str,
    session_id: &str,
    reported_old: Option<&KnownSession>,
    new: &KnownSession,
    now: i64,
) -> Result<bool> {
    let Some(stored) = stored_known(tx, event_id, FavouriteKind::Session, session_id)? else {
        return Ok(false); // not a favourite
    };
    let baseline = match stored.as_deref().map(KnownSession::from_json).transpose()? {
        Some(known) => known,
        None => match reported_old {
            Some(old) => old.clone(),
            None => {
                // First sight of this favourite: remember it, nothing to compare with.
                store_known(
                    tx,
                    event_id,
                    FavouriteKind::Session,
                    session_id,
                    &new.to_json()?,
                )?;
                return Ok(false);
            }
        },
    };
    // The baseline keeps display fields fresh even when nothing watched changed.
    store_known(
        tx,
        event_id,
        FavouriteKind::Session,
        session_id,
        &new.to_json()?,
    )?;
    if baseline.watched() == new.watched() {
        return Ok(false);
    }
    let open: Option<(i64, String)> = tx
        .prepare_cached(
            "SELECT id, old FROM alert WHERE event_id = ?1 AND session_id = ?2 AND seen_at IS NULL",
        )
        .and_then(|mut s| {
            s.query_row(params![event_id, session_id], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()
        })
        .context("reading an alert")?;
    match open {
        Some((alert_id, old)) => {
            let old = KnownSession::from_json(&old)?;
            if old.watched() == new.watched() {
                tx.prepare_cached("DELETE FROM alert WHERE id = ?1")
                    .and_then(|mut s| s.execute([alert_id]))
                    .context("dissolving an alert")?;
            } else {
                let new = new.to_json()?;
                // A changed alert is news again: it is notified once more.
                tx.prepare_cached(
                    "UPDATE alert SET new = ?2, updated_at = ?3, notified_at = NULL WHERE id = ?1",
                )
                .and_then(|mut s| s.execute(params![alert_id, new, now]))
                .context("updating an alert")?;
            }
        }
        None => {
            let (old, new) = (baseline.to_json()?, new.to_json()?);
            tx.prepare_cached(
                "INSERT INTO alert (event_id, session_id, old, new, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
            )
            .and_then(|mut s| s.execute(params![event_id, session_id, old, new, now]))
            .context("recording an alert")?;
        }
    }
    Ok(true)
}

fn unseen_count(tx: &Transaction<'_>, event_id: &str) -> Result<u32> {
    tx.prepare_cached("SELECT count(*) FROM alert WHERE event_id = ?1 AND seen_at IS NULL")
        .and_then(|mut s| s.query_row([event_id], |r| r.get(0)))
        .context("counting alerts")
}

fn instant(ts: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(ts, 0).unwrap_or_default()
}
