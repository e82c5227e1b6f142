//! The server's SQLite database: one writer (SQLite serialises writers anyway; one connection
//! keeps seq assignment simple) and a pool of readers, all used from blocking threads.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

use crate::error::{ApiError, ApiResult};
use crate::heads::{HeadCache, generation_of};

pub const DB_FILE: &str = "marktplatz.db";
const MIGRATIONS: &[&str] = &[
    include_str!("sql/0001_initial.sql"),
    include_str!("sql/0002_roles_ops.sql"),
    include_str!("sql/0003_access_code.sql"),
];
const IDLE_READERS: usize = 8;
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Clone)]
pub struct Db {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
    /// Bumped after each committed write (shared with every `Db` of this process on the file).
    generation: Arc<AtomicU64>,
    heads: HeadCache,
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("cannot open {path}: {source}")]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error(
        "{path} was written by a newer marktplatz server (schema {found}, this build knows {known})"
    )]
    Newer {
        path: PathBuf,
        found: i64,
        known: i64,
    },
}

impl Db {
    /// Opens (creating and migrating) the database in the data directory.
    pub fn open(data_dir: &Path) -> Result<Db, DbError> {
        let path = data_dir.join(DB_FILE);
        let open_error = |source| DbError::Open {
            path: path.clone(),
            source,
        };
        let mut conn = Connection::open(&path).map_err(open_error)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(open_error)?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
        )
        .map_err(open_error)?;
        migrate(&mut conn, &path)?;
        Ok(Db {
            inner: Arc::new(Inner {
                generation: generation_of(&path),
                path,
                writer: Mutex::new(conn),
                readers: Mutex::new(Vec::new()),
                heads: HeadCache::default(),
            }),
        })
    }

    pub(crate) fn heads(&self) -> &HeadCache {
        &self.inner.heads
    }

    pub(crate) fn generation_counter(&self) -> &AtomicU64 {
        &self.inner.generation
    }

    /// Runs `f` in one IMMEDIATE transaction on the writer; commits only if it succeeds.
    pub fn write_blocking<T>(
        &self,
        f: impl FnOnce(&Transaction<'_>) -> ApiResult<T>,
    ) -> ApiResult<T> {
        let mut conn = lock(&self.inner.writer);
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        tx.commit()?;
        // After the commit: a head read before this bump is remembered as stale (heads.rs).
        self.inner.generation.fetch_add(1, Ordering::AcqRel);
        Ok(value)
    }

    /// Runs `f` in a read transaction on a pooled reader (a consistent snapshot).
    pub fn read_blocking<T>(
        &self,
        f: impl FnOnce(&Transaction<'_>) -> ApiResult<T>,
    ) -> ApiResult<T> {
        let mut conn = match lock(&self.inner.readers).pop() {
            Some(conn) => conn,
            None => self.open_reader()?,
        };
        let result = (|| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Deferred)?;
            let value = f(&tx)?;
            tx.finish()?;
            Ok(value)
        })();
        let mut idle = lock(&self.inner.readers);
        if idle.len() < IDLE_READERS {
            idle.push(conn);
        }
        result
    }

    /// [`Db::write_blocking`] on a blocking thread.
    pub async fn write<T, F>(&self, f: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction<'_>) -> ApiResult<T> + Send + 'static,
    {
        let db = self.clone();
        tokio::task::spawn_blocking(move || db.write_blocking(f))
            .await
            .map_err(|e| ApiError::internal("running a database write", e))?
    }

    /// [`Db::read_blocking`] on a blocking thread.
    pub async fn read<T, F>(&self, f: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction<'_>) -> ApiResult<T> + Send + 'static,
    {
        let db = self.clone();
        tokio::task::spawn_blocking(move || db.read_blocking(f))
            .await
            .map_err(|e| ApiError::internal("running a database read", e))?
    }

    fn open_reader(&self) -> ApiResult<Connection> {
        let conn = Connection::open_with_flags(
            &self.inner.path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        conn.execute_batch("PRAGMA query_only = ON;")?;
        Ok(conn)
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic mid-transaction drops the Transaction, which rolls back: the connection is fine.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn migrate(conn: &mut Connection, path: &Path) -> Result<(), DbError> {
    let open_error = |source| DbError::Open {
        path: path.to_path_buf(),
        source,
    };
    let known = MIGRATIONS.len() as i64;
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(open_error)?;
    let found: i64 = tx
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(open_error)?;
    if found > known {
        return Err(DbError::Newer {
            path: path.to_path_buf(),
            found,
            known,
        });
    }
    for sql in MIGRATIONS.iter().skip(found as usize) {
        tx.execute_batch(sql).map_err(open_error)?;
    }
    tx.pragma_update(None, "user_version", known)
        .map_err(open_error)?;
    tx.commit().map_err(open_error)
}

pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// A data directory written by the server before access codes (schema v2) opens with its
    /// events public, its change log and tokens untouched.
    #[test]
    fn a_v2_data_directory_opens_with_its_events_public() {
        let dir = tempfile::tempdir().unwrap();
        {
            let conn = Connection::open(dir.path().join(DB_FILE)).unwrap();
            for sql in &MIGRATIONS[..2] {
                conn.execute_batch(sql).unwrap();
            }
            conn.execute_batch(
                "PRAGMA user_version = 2;
                 INSERT INTO event (id, epoch, head_seq, created_at, updated_at)
                     VALUES ('fair', 'ep1', 7, 1, 1);
                 INSERT INTO token (id, hash, role, event_id, subject, created_at)
                     VALUES ('tok', x'00', 'organiser', 'fair', 'anna', 1);",
            )
            .unwrap();
        }
        let db = Db::open(dir.path()).unwrap();
        let (access, head, tokens) = db
            .read_blocking(|tx| {
                Ok((
                    crate::access::read(tx, "fair")?,
                    crate::log::require_head(tx, "fair")?,
                    crate::auth::list(tx, Some("fair"))?,
                ))
            })
            .unwrap();
        assert_eq!(access, Some(crate::access::Access::Public));
        assert_eq!((head.epoch.as_str(), head.seq), ("ep1", 7));
        assert_eq!(tokens.len(), 1);
    }
}
