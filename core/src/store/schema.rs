//! Schemas of the two device databases and the migration runner.
//!
//! Each database carries its schema version in `PRAGMA user_version`. Migrations are SQL files
//! applied in order inside one IMMEDIATE transaction, so a crash mid-migration leaves the old
//! version intact. A file from a newer build is refused, never touched.

use rusqlite::{Connection, TransactionBehavior};

use crate::error::{Error, Result, SqliteContext};

pub struct Schema {
    pub name: &'static str,
    /// `migrations[i]` takes the database from version `i` to `i + 1`.
    pub migrations: &'static [&'static str],
}

impl Schema {
    pub fn latest_version(&self) -> i64 {
        self.migrations.len() as i64
    }
}

pub const CONTENT: Schema = Schema {
    name: "content.db",
    migrations: &[
        include_str!("sql/content/0001_initial.sql"),
        include_str!("sql/content/0002_search.sql"),
        include_str!("sql/content/0003_sync.sql"),
        include_str!("sql/content/0004_entity_version.sql"),
        include_str!("sql/content/0005_session_list.sql"),
        include_str!("sql/content/0006_first_sync.sql"),
        include_str!("sql/content/0007_deferred_index.sql"),
        include_str!("sql/content/0008_exhibitor_topic_key.sql"),
        include_str!("sql/content/0009_search_hash_size.sql"),
        include_str!("sql/content/0010_session_refs.sql"),
        include_str!("sql/content/0011_body_dictionary.sql"),
    ],
};

pub const USER: Schema = Schema {
    name: "user.db",
    migrations: &[
        include_str!("sql/user/0001_initial.sql"),
        include_str!("sql/user/0002_favourites.sql"),
        include_str!("sql/user/0003_outbox.sql"),
        include_str!("sql/user/0004_alert_notified.sql"),
        include_str!("sql/user/0005_access_code.sql"),
        include_str!("sql/user/0006_announcement_notified.sql"),
        include_str!("sql/user/0007_outbox_overridden.sql"),
    ],
};

pub fn user_version(conn: &Connection) -> Result<i64> {
    conn.pragma_query_value(None, "user_version", |row| row.get(0))
        .context("reading the schema version")
}

/// Brings `conn` to the schema's latest version. Returns the version it found.
pub fn migrate(conn: &mut Connection, schema: &Schema) -> Result<i64> {
    let latest = schema.latest_version();
    let found = user_version(conn)?;
    check_not_newer(schema, found)?;
    if found == latest {
        return Ok(found);
    }
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .context("starting a migration")?;
    // Another process may have migrated between our read and the lock.
    let locked_version = user_version(&tx)?;
    check_not_newer(schema, locked_version)?;
    for (index, sql) in schema
        .migrations
        .iter()
        .enumerate()
        .skip(locked_version as usize)
    {
        tx.execute_batch(sql).context(&format!(
            "migrating {} to version {}",
            schema.name,
            index + 1
        ))?;
    }
    tx.pragma_update(None, "user_version", latest)
        .context("recording the schema version")?;
    tx.commit().context("committing a migration")?;
    Ok(found)
}

fn check_not_newer(schema: &Schema, found: i64) -> Result<()> {
    if found > schema.latest_version() {
        return Err(Error::NewerSchema {
            db: schema.name,
            found,
            supported: schema.latest_version(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrates_empty_database_to_latest() {
        for schema in [&CONTENT, &USER] {
            let mut conn = Connection::open_in_memory().unwrap();
            assert_eq!(migrate(&mut conn, schema).unwrap(), 0);
            assert_eq!(user_version(&conn).unwrap(), schema.latest_version());
            // A second run is a no-op.
            assert_eq!(migrate(&mut conn, schema).unwrap(), schema.latest_version());
        }
    }

    #[test]
    fn newer_version_is_refused_and_left_alone() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        let err = migrate(&mut conn, &USER).unwrap_err();
        assert!(matches!(err, Error::NewerSchema { found: 99, .. }), "{err}");
        assert!(err.to_string().contains("newer"), "{err}");
        assert_eq!(user_version(&conn).unwrap(), 99);
    }

    #[test]
    fn failing_migration_changes_nothing() {
        static BROKEN: Schema = Schema {
            name: "broken.db",
            migrations: &[
                "CREATE TABLE a (x);",
                "CREATE TABLE b (y); THIS IS NOT SQL;",
            ],
        };
        let mut conn = Connection::open_in_memory().unwrap();
        assert!(migrate(&mut conn, &BROKEN).is_err());
        assert_eq!(user_version(&conn).unwrap(), 0);
        let tables: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(tables, 0, "the failed migration left tables behind");
    }
}
