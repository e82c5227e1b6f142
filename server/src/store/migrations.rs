//! The schema's history, one list for both engines (ADR 0021): each step's SQLite file (frozen
//! once released) and its PostgreSQL file. PostgreSQL starts at step 8 with the whole schema
//! of that step; steps before it have no PostgreSQL file.

pub struct Migration {
    pub sqlite: &'static str,
    pub postgres: Option<&'static str>,
}

pub const MIGRATIONS: &[Migration] = &[
    sqlite_only(include_str!("sql/0001_initial.sql")),
    sqlite_only(include_str!("sql/0002_roles_ops.sql")),
    sqlite_only(include_str!("sql/0003_access_code.sql")),
    sqlite_only(include_str!("sql/0004_event_access.sql")),
    sqlite_only(include_str!("sql/0005_publish_source.sql")),
    sqlite_only(include_str!("sql/0006_release.sql")),
    sqlite_only(include_str!("sql/0007_release_content.sql")),
    Migration {
        sqlite: include_str!("sql/0008_console.sql"),
        postgres: Some(include_str!("sql/postgres/0008_initial.sql")),
    },
    Migration {
        sqlite: include_str!("sql/0009_publish_key.sql"),
        postgres: Some(include_str!("sql/postgres/0009_publish_key.sql")),
    },
];

/// The schema version this build writes (the same number on both engines).
pub const KNOWN: i64 = MIGRATIONS.len() as i64;

const fn sqlite_only(sqlite: &'static str) -> Migration {
    Migration {
        sqlite,
        postgres: None,
    }
}
