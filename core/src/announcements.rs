//! Which announcements to post as a notification: urgent ones, each once, while they are shown
//! (published, not expired, not retracted), and never the backlog an event held when this
//! device started watching it. The shells call [`take_announcements_to_notify`] after every
//! sync and every page a follow applied, and post one notification per announcement returned.
//!
//! Watching starts at the first call after the event's content is complete (its first sync
//! ended): the urgent announcements shown then are recorded as passed over. From then on an
//! urgent announcement not recorded yet is returned and recorded as posted, in one user.db
//! transaction, so a second call (or a second thread) never returns it again. A retracted
//! announcement is gone from the content and an expired one is no longer shown: neither is
//! returned. Tables: `announcement_watch`, `announcement_notified` (user.db, v6).

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction, params};

use crate::error::{Result, SqliteContext};
use crate::store::Store;
use marktplatz_model::model::{Announcement, Priority};

/// The urgent announcements of `event_id` to post now (at `at`), recorded as posted.
pub fn take_announcements_to_notify(
    store: &Store,
    event_id: &str,
    at: DateTime<Utc>,
) -> Result<Vec<Announcement>> {
    if !store.has_complete_content(event_id)? {
        // Mid first sync: what arrives now is backlog, decided once the content is complete.
        return Ok(Vec::new());
    }
    let urgent: Vec<Announcement> = store
        .announcements(event_id, at)?
        .into_iter()
        .filter(|a| a.priority == Priority::Urgent)
        .collect();
    store.write_user(|tx| {
        let watching = watching_since(tx, event_id)?.is_some();
        if !watching {
            start_watching(tx, event_id, at)?;
        }
        let dealt_with = dealt_with(tx, event_id)?;
        let mut to_post = Vec::new();
        for announcement in urgent {
            if dealt_with.contains(&announcement.id) {
                continue;
            }
            record(tx, event_id, &announcement.id, watching, at)?;
            if watching {
                to_post.push(announcement);
            }
        }
        Ok(to_post)
    })
}

fn watching_since(tx: &Transaction<'_>, event_id: &str) -> Result<Option<i64>> {
    tx.prepare_cached("SELECT since FROM announcement_watch WHERE event_id = ?1")
        .and_then(|mut s| s.query_row([event_id], |r| r.get(0)).optional())
        .context("reading since when announcements are watched")
}

fn start_watching(tx: &Transaction<'_>, event_id: &str, at: DateTime<Utc>) -> Result<()> {
    tx.prepare_cached("INSERT INTO announcement_watch (event_id, since) VALUES (?1, ?2)")
        .and_then(|mut s| s.execute(params![event_id, at.timestamp()]))
        .context("starting to watch announcements")?;
    Ok(())
}

fn dealt_with(tx: &Transaction<'_>, event_id: &str) -> Result<HashSet<String>> {
    tx.prepare_cached("SELECT announcement_id FROM announcement_notified WHERE event_id = ?1")
        .and_then(|mut s| {
            s.query_map([event_id], |r| r.get(0))?
                .collect::<rusqlite::Result<HashSet<String>>>()
        })
        .context("listing announcements already notified")
}

fn record(
    tx: &Transaction<'_>,
    event_id: &str,
    announcement_id: &str,
    posted: bool,
    at: DateTime<Utc>,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO announcement_notified (event_id, announcement_id, posted, at)
         VALUES (?1, ?2, ?3, ?4)",
    )
    .and_then(|mut s| s.execute(params![event_id, announcement_id, posted, at.timestamp()]))
    .context("recording a notified announcement")?;
    Ok(())
}
