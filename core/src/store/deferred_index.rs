//! The session list indexes a first sync builds once, at its end (issue 23, ADR 0010 part 5).
//!
//! Written row by row, each session went into four wide secondary indexes (and each of its
//! speaker links into one more) at a random place, the time per page growing with the file.
//! When no other event's sessions are stored, a first sync drops them before its first page
//! (keeping each definition in `deferred_index`, in the same transaction) and creates them after
//! its last: one sorted build each, with packed pages. Lists read without them are only slower,
//! so a sync cut short is still read correctly; any other write, and the store's next open,
//! creates them again.

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use crate::error::{Result, SqliteContext};

/// Indexes that only serve lists of one event's sessions and speakers (content v6).
const DEFERRED: [&str; 4] = [
    "session_by_start",
    "session_by_location",
    "session_by_track",
    "session_speaker_by_speaker",
];

/// Whether a first sync into `event_id` may build the indexes at its end: no other event's
/// sessions would be listed without them meanwhile.
pub(super) fn may_defer(conn: &Connection, event_id: &str) -> Result<bool> {
    conn.prepare_cached(
        "SELECT NOT (EXISTS (SELECT 1 FROM session WHERE event_id < ?1)
                  OR EXISTS (SELECT 1 FROM session WHERE event_id > ?1))",
    )
    .and_then(|mut s| s.query_row([event_id], |r| r.get(0)))
    .context("looking for other events' sessions")
}

/// Drops the indexes that still exist, keeping their definitions.
pub(super) fn drop_all(conn: &Connection) -> Result<()> {
    for name in DEFERRED {
        let sql: Option<String> = conn
            .prepare_cached("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?1")
            .and_then(|mut s| s.query_row([name], |r| r.get(0)).optional())
            .context("reading an index definition")?;
        let Some(sql) = sql else { continue };
        conn.prepare_cached("INSERT OR REPLACE INTO deferred_index (name, sql) VALUES (?1, ?2)")
            .and_then(|mut s| s.execute(params![name, sql]))
            .context("keeping an index definition")?;
        conn.execute_batch(&format!("DROP INDEX {name}"))
            .context("deferring an index")?;
    }
    Ok(())
}

/// Creates every dropped index again; a no-op (one lookup) when none is.
pub(super) fn restore(conn: &Connection) -> Result<()> {
    let dropped: Vec<(String, String)> = {
        let mut stmt = conn
            .prepare_cached("SELECT name, sql FROM deferred_index")
            .context("reading deferred indexes")?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .context("reading deferred indexes")?;
        rows.collect::<rusqlite::Result<_>>()
            .context("reading deferred indexes")?
    };
    for (name, sql) in dropped {
        conn.execute_batch(&sql)
            .context("building a deferred index")?;
        conn.prepare_cached("DELETE FROM deferred_index WHERE name = ?1")
            .and_then(|mut s| s.execute([name]))
            .context("building a deferred index")?;
    }
    Ok(())
}

/// At open, before any migration (which may change these indexes): creates what a first sync cut
/// short left dropped. A database older than the table has none.
pub(super) fn restore_at_open(conn: &mut Connection) -> Result<()> {
    let has_table: bool = conn
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'deferred_index')",
            [],
            |r| r.get(0),
        )
        .context("looking for deferred indexes")?;
    let pending = has_table
        && conn
            .query_row("SELECT EXISTS (SELECT 1 FROM deferred_index)", [], |r| {
                r.get(0)
            })
            .context("looking for deferred indexes")?;
    if !pending {
        return Ok(());
    }
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .context("building deferred indexes")?;
    restore(&tx)?;
    tx.commit().context("building deferred indexes")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::store::Store;

    fn indexes(store: &Store) -> Vec<(String, String)> {
        store
            .read(|tx| {
                tx.prepare(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name IN
                       ('session_by_start', 'session_by_location',
                        'session_by_track', 'session_speaker_by_speaker') ORDER BY name",
                )
                .and_then(|mut s| s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
                .context("test")
            })
            .unwrap()
    }

    /// A first sync's page leaves the indexes dropped; the next other write, its last page, or
    /// the next open creates them again, each as it was.
    #[test]
    fn deferred_indexes_come_back_with_any_other_write_the_last_page_or_the_next_open() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let all = indexes(&store);
        assert_eq!(all.len(), DEFERRED.len());
        let first_page = |tx: &mut crate::store::ContentTx<'_>| {
            tx.defer_derived();
            tx.defer_indexes("mp-nordwest")
        };

        assert!(store.write_content(first_page).unwrap());
        assert_eq!(indexes(&store), []);
        assert!(store.write_content(first_page).unwrap(), "the next page");
        assert_eq!(indexes(&store), []);
        store.write_content(|_| Ok(())).unwrap();
        assert_eq!(indexes(&store), all, "another write");

        store.write_content(first_page).unwrap();
        store
            .write_content(|tx| {
                tx.defer_derived();
                tx.defer_indexes("mp-nordwest")?;
                tx.build_derived("mp-nordwest")
            })
            .unwrap();
        assert_eq!(indexes(&store), all, "the last page");

        store.write_content(first_page).unwrap();
        drop(store);
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(indexes(&store), all, "the next open");
    }
}
