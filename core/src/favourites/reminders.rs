//! Reminders: the local notifications the shells should have scheduled, computed from the
//! favourites and the lead time setting.
//!
//! The shells call [`reminders`] after anything that may change them (a sync, a favourite
//! toggled, the setting changed) and replace what they had scheduled: each reminder's `key` and
//! `notification_id` are stable per session, so rescheduling a moved session replaces its old
//! notification instead of adding a second one.

use chrono::{DateTime, Duration, Utc};
use rusqlite::OptionalExtension;
use sha2::{Digest, Sha256};

use super::FavouriteState;
use crate::error::{Error, Result, SqliteContext};
use crate::store::Store;

pub const DEFAULT_REMINDER_LEAD_MINUTES: u32 = 10;
/// A day: anything longer is not a reminder any more.
pub const MAX_REMINDER_LEAD_MINUTES: u32 = 24 * 60;
const LEAD_SETTING: &str = "reminder_lead_minutes";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reminder {
    /// `event/session`: stable across moves, for the shell's notification tag.
    pub key: String,
    /// A stable positive number derived from `key` (Android notification ids are `int`).
    pub notification_id: i32,
    pub event_id: String,
    pub session_id: String,
    pub fire_at: DateTime<Utc>,
    pub session_start: DateTime<Utc>,
    /// The session title (the notification's title).
    pub title: String,
    /// `HH:MM · place` in the event's timezone (the notification's text; no words to translate).
    pub text: String,
}

pub fn reminder_lead_minutes(store: &Store) -> Result<u32> {
    let stored: Option<String> = store.read_user(|tx| {
        tx.prepare_cached("SELECT value FROM setting WHERE key = ?1")
            .and_then(|mut s| s.query_row([LEAD_SETTING], |r| r.get(0)).optional())
            .context("reading the reminder setting")
    })?;
    match stored {
        None => Ok(DEFAULT_REMINDER_LEAD_MINUTES),
        Some(text) => text.trim().parse::<u32>().map_err(|e| {
            Error::malformed(
                format!("the setting {LEAD_SETTING} in user.db ('{text}')"),
                e,
            )
        }),
    }
}

pub fn set_reminder_lead_minutes(store: &Store, minutes: u32) -> Result<()> {
    if minutes > MAX_REMINDER_LEAD_MINUTES {
        return Err(Error::invalid(
            "setting",
            LEAD_SETTING,
            format!("{minutes} minutes is more than a day ({MAX_REMINDER_LEAD_MINUTES})"),
        ));
    }
    store.write_user(|tx| {
        tx.prepare_cached(
            "INSERT INTO setting (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = ?2",
        )
        .and_then(|mut s| s.execute([LEAD_SETTING, &minutes.to_string()]))
        .context("saving the reminder setting")?;
        Ok(())
    })
}

/// The reminders still to fire after `now`, by firing time: one per favourited session that
/// is scheduled (not cancelled or removed), `lead` minutes before it starts.
pub fn reminders(store: &Store, event_id: &str, now: DateTime<Utc>) -> Result<Vec<Reminder>> {
    let lead = Duration::minutes(i64::from(reminder_lead_minutes(store)?));
    let mut list: Vec<Reminder> = super::favourite_sessions(store, event_id)?
        .into_iter()
        .filter(|(_, state, _)| *state == FavouriteState::Present)
        .map(|(session, _, _)| {
            let key = format!("{event_id}/{}", session.id);
            Reminder {
                notification_id: notification_id(&key),
                key,
                event_id: event_id.to_string(),
                fire_at: session.start - lead,
                session_start: session.start,
                text: match &session.location_name {
                    Some(place) => format!("{} · {place}", session.local_start),
                    None => session.local_start.clone(),
                },
                session_id: session.id,
                title: session.title,
            }
        })
        .filter(|r| r.fire_at > now)
        .collect();
    list.sort_by(|a, b| (a.fire_at, &a.key).cmp(&(b.fire_at, &b.key)));
    Ok(list)
}

fn notification_id(key: &str) -> i32 {
    let digest = Sha256::digest(key.as_bytes());
    let value = u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]]);
    (value & 0x7fff_ffff) as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notification_ids_are_stable_and_positive() {
        let id = notification_id("fair/s1");
        assert_eq!(id, notification_id("fair/s1"));
        assert!(id >= 0);
        assert_ne!(id, notification_id("fair/s2"));
    }
}
